// The JSON results format (nlohmann::ordered_json) and the text tables, which only format the sweep summary.
#include "report.hpp"

#include <algorithm>  // std::find, std::find_if, std::min_element, std::sort
#include <optional>  // std::optional

#include "json.hpp"
#include "modes.hpp"
#include "platform.hpp"
#include "summary.hpp"
#include "text_table.hpp"

namespace parlab {

nlohmann::ordered_json run_to_json_value(const run_result& run) {
    nlohmann::ordered_json out;
    out["workload"] = run.params.workload;
    out["params"] = params_to_json_value(run.params);
    out["mode"] = run.mode;
    out["workers"] = run.workers;
    out["ok"] = run.ok;
    out["complete"] = run.complete;
    out["error"] = run.ok ? nlohmann::ordered_json() : nlohmann::ordered_json(run.error);
    out["started_at"] = run.started_at;
    out["wall_s"] = to_json_number(run.wall_s);
    out["startup_s"] = to_json_number(run.startup_s);
    out["cpu_s"] = run.cpu_s ? to_json_number(*run.cpu_s) : nullptr;
    out["avg_task_s"] = to_json_number(run.avg_task_s);
    out["hardware_concurrency"] = run.hardware_concurrency;
    out["task_count"] = static_cast<std::uint64_t>(run.task_count);
    out["tasks_done"] = static_cast<std::uint64_t>(run.tasks.size());
    out["checksum"] = std::to_string(run.checksum);  // a string: JavaScript numbers lose bits past 2^53
    auto& tasks = out["tasks"] = nlohmann::ordered_json::array();
    for (const auto& task : run.tasks) {
        nlohmann::ordered_json record;
        record["id"] = task.id;
        record["worker"] = task.worker;
        record["pid"] = task.pid;
        record["thread"] = task.thread;
        record["phase"] = task.phase;
        record["start_s"] = to_json_number(task.start_s);
        record["end_s"] = to_json_number(task.end_s);
        record["wait_s"] = to_json_number(task.wait_s);
        record["cpu_s"] = task.cpu_s ? to_json_number(*task.cpu_s) : nullptr;
        record["value"] = std::to_string(task.value);
        if (task.rss_kib) record["rss_kib"] = *task.rss_kib;
        if (task.late_s) record["late_s"] = to_json_number(*task.late_s);  // tasks with a wait only
        if (task.rank) {  // mpi only
            record["rank"] = *task.rank;
            record["host"] = task.host;
        }
        if (!task.held.empty()) {  // threads-gil only
            auto& held = record["held"] = nlohmann::ordered_json::array();
            for (const auto& [from, to] : task.held) held.push_back({to_json_number(from), to_json_number(to)});
        }
        tasks.push_back(std::move(record));
    }
    if (run.switch_interval_ms) out["switch_interval_ms"] = to_json_number(*run.switch_interval_ms);
    if (run.bytes_transferred) out["bytes_transferred"] = *run.bytes_transferred;  // processes only
    if (run.warm_workers) out["warm_workers"] = *run.warm_workers;  // the browser's processes only
    if (run.counter_value) {  // counter workload only (at most 1024 x 10^8 increments: exact as a JSON number)
        out["counter_value"] = *run.counter_value;
        out["lost_updates"] = run.lost_updates ? nlohmann::ordered_json(*run.lost_updates) : nlohmann::ordered_json();
        out["ns_per_increment"] =
            run.ns_per_increment ? to_json_number(*run.ns_per_increment) : nlohmann::ordered_json();
    }
    if (run.late_max_s) {  // runs with waiting tasks only
        out["late_median_s"] = to_json_number(*run.late_median_s);
        out["late_max_s"] = to_json_number(*run.late_max_s);
    }
    if (!run.lock_stretches.empty()) {  // workloads with lab locks only
        auto& locks = out["locks"] = nlohmann::ordered_json::array();
        for (const auto& s : run.lock_stretches)
            locks.push_back({{"worker", s.worker}, {"lock", s.lock}, {"state", s.held ? "held" : "waiting"},
                             {"from_s", to_json_number(s.from_s)}, {"to_s", to_json_number(s.to_s)}});
    }
    if (run.job) out["job"] = {{"id", run.job->id}, {"phase", run.job->phase}, {"phases", run.job->phases}};
    if (!run.failed_tasks.empty()) {  // only then: files of runs without lost tasks read as they always did
        auto& failed = out["failed_tasks"] = nlohmann::ordered_json::array();
        for (const auto& lost : run.failed_tasks) failed.push_back({{"id", lost.id}, {"error", lost.error}});
    }
    return out;
}

namespace {

nlohmann::ordered_json optional_json(const std::optional<std::string>& text) {
    return text ? nlohmann::ordered_json(*text) : nlohmann::ordered_json();
}

/// The sweep table's columns.
const std::vector<text_column>& get_sweep_columns() {
    static const std::vector<text_column> columns = {
        {"mode", 12, false}, {"workers", 7},     {"runs", 6},           {"median s", 11},
        {"vs 1 worker", 13}, {"efficiency", 12}, {"vs sequential", 15},
    };
    return columns;
}

/// "threads: Amdahl fit f = 0.200 (speed-up limit 5.00x; residual 0.000)", or why there is none.
std::string fit_line(const mode_fit& mode) {
    const amdahl_fit& fit = mode.fit;
    if (!fit.ok) return mode.mode + ": no Amdahl fit (" + fit.message + ")\n";
    const char* limit_format = fit.limit < 10 ? "%.2fx" : fit.limit < 100 ? "%.1fx" : "%.0fx";
    const std::string limit = fit.serial_fraction > 0 ? "speed-up limit " + format_number(limit_format, fit.limit)
                                                      : "no speed-up limit";
    return mode.mode + ": Amdahl fit f = " + format_number("%.3f", fit.serial_fraction) + " (" + limit +
           "; residual " + format_number("%.3f", fit.residual) + ")\n";
}

/// mpi runs: "vm: ranks 1, 2; node-b: rank 3" (hosts in order of their first task's rank); "" for other runs.
std::string describe_task_hosts(const run_result& run) {
    std::vector<std::pair<std::string, std::vector<std::uint32_t>>> hosts;
    for (const auto& task : run.tasks) {
        if (!task.rank) continue;
        auto host = std::find_if(hosts.begin(), hosts.end(), [&](const auto& h) { return h.first == task.host; });
        if (host == hosts.end()) host = hosts.insert(hosts.end(), {task.host, {}});
        if (std::find(host->second.begin(), host->second.end(), *task.rank) == host->second.end())
            host->second.push_back(*task.rank);
    }
    std::sort(hosts.begin(), hosts.end(), [](const auto& a, const auto& b) {
        return *std::min_element(a.second.begin(), a.second.end()) < *std::min_element(b.second.begin(), b.second.end());
    });
    std::string text;
    for (auto& [name, ranks] : hosts) {
        std::sort(ranks.begin(), ranks.end());
        text += (text.empty() ? "" : "; ") + name + (ranks.size() == 1 ? ": rank " : ": ranks ");
        for (std::size_t i = 0; i < ranks.size(); ++i) text += (i ? ", " : "") + std::to_string(ranks[i]);
    }
    return text;
}

}  // namespace

std::string run_to_json(const run_result& run) { return dump_json(run_to_json_value(run)); }

std::string results_to_json(const environment_info& env, const std::vector<run_result>& runs) {
    nlohmann::ordered_json out;
    out["schema_version"] = results_schema_version;
    out["generator"] = generator_name;
    out["created"] = platform::get_utc_timestamp();
    out["environment"] = {
        {"target", env.target},
        {"os", env.os},
        {"cpu_model", optional_json(env.cpu_model)},
        {"logical_cpus", env.logical_cpus},
        {"compiler", env.compiler},
        {"user_agent", optional_json(env.user_agent)},
        {"cross_origin_isolated",
         env.cross_origin_isolated ? nlohmann::ordered_json(*env.cross_origin_isolated) : nlohmann::ordered_json()},
    };
    if (env.mpi) {
        nlohmann::ordered_json host_list = nlohmann::ordered_json::array();
        for (const auto& host : env.mpi->hosts) host_list.push_back({{"host", host.name}, {"ranks", host.ranks}});
        out["environment"]["mpi"] = {{"library", env.mpi->library}, {"ranks", env.mpi->ranks}, {"hosts", host_list}};
    }
    auto& list = out["runs"] = nlohmann::ordered_json::array();
    for (const auto& run : runs) list.push_back(run_to_json_value(run));
    return dump_json(out) + "\n";
}

std::string run_to_text(const run_result& run) {
    std::string text = run.params.workload + " " + params_to_json(run.params) + ", " + run.mode + ", " +
                       std::to_string(run.workers) + " worker" + (run.workers == 1 ? "" : "s") + "\n";
    text += "  total time      " + format_number("%.4f s", run.wall_s) + "  (pool start-up " +
            format_number("%.6f s", run.startup_s) + ")\n";
    text += "  tasks           " + std::to_string(run.tasks.size()) + " of " + std::to_string(run.task_count) +
            ", average task time " + format_number("%.6f s", run.avg_task_s) + "\n";
    if (run.cpu_s)
        text += "  CPU in tasks    " + format_number("%.4f s", *run.cpu_s) + "  (" +
                format_number("%.2f", run.wall_s > 0 ? *run.cpu_s / run.wall_s : 0.0) + " cores busy on average)\n";
    if (run.switch_interval_ms)
        text += "  interpreter lock  simulated, switch interval " + format_number("%.3g ms", *run.switch_interval_ms) +
                ": one thread computes at a time\n";
    if (run.bytes_transferred)
        text += "  data moved      " + std::to_string(*run.bytes_transferred) +
                (run.mode == get_mpi_mode_spec().name ? " bytes in MPI messages between rank 0 and the other ranks"
                                                      : " bytes between the parent and its worker processes") +
                " (copied: they share no memory)\n";
    if (const std::string hosts = describe_task_hosts(run); !hosts.empty()) text += "  ranks by host   " + hosts + "\n";
    text += "  checksum        " + std::to_string(run.checksum) + "\n";
    if (run.counter_value) {
        text += "  counter         " + std::to_string(*run.counter_value) + " after " + std::to_string(run.checksum) +
                " increments";
        if (run.lost_updates)
            text += ": " + std::to_string(*run.lost_updates) + " updates lost (" +
                    format_number("%.1f%%", run.checksum > 0 ? 100.0 * static_cast<double>(*run.lost_updates) /
                                                                   static_cast<double>(run.checksum)
                                                             : 0.0) +
                    ")";
        text += "\n";
        if (run.ns_per_increment)
            text += "  per increment   " + format_number("%.2f ns", *run.ns_per_increment) +
                    " (run time less start-up, over the increments made)\n";
    }
    if (run.late_max_s)
        text += "  late            " + format_number("%.1f ms", *run.late_median_s * 1000) + " median, " +
                format_number("%.1f ms", *run.late_max_s * 1000) +
                " at most: how long after its wait was due each waiting task began\n";
    if (!run.ok) text += "  FAILED          " + run.error + "\n";
    else if (!run.complete) text += "  STOPPED         before every task finished: partial results\n";
    for (const auto& lost : run.failed_tasks)
        text += "  lost            task " + std::to_string(lost.id) + ": " + lost.error + "\n";
    return text;
}

std::string sweep_to_text(const std::vector<run_result>& runs) {
    const sweep_summary summary = summarize_sweep(runs);
    const auto& columns = get_sweep_columns();
    const auto optional_cell = [](const std::optional<double>& value, const char* pattern) {
        return value ? format_number(pattern, *value) : std::string("-");
    };
    std::string text = format_header(columns) + "\n";
    for (const auto& point : summary.points) {
        std::vector<std::string> cells = {point.mode, std::to_string(point.workers), std::to_string(point.runs)};
        if (!point.median_s) {
            text += format_row(columns, cells) + "   (failed or stopped)\n";
            continue;
        }
        cells.push_back(format_number("%.4f", *point.median_s));
        cells.push_back(optional_cell(point.speedup, "%.2fx"));
        cells.push_back(optional_cell(point.efficiency, "%.2f"));
        cells.push_back(optional_cell(point.vs_sequential, "%.2fx"));
        text += format_row(columns, cells) + "\n";
    }
    for (const auto& point : summary.points) {
        if (!point.median_lost_updates || !point.increments) continue;
        const double share = *point.increments > 0 ? *point.median_lost_updates / static_cast<double>(*point.increments) : 0;
        text += point.mode + " x" + std::to_string(point.workers) + ": " +
                format_number("%.0f", *point.median_lost_updates) + " of " + std::to_string(*point.increments) +
                " updates lost (" + format_number("%.1f%%", 100 * share) + "), " +
                format_number("%.2f ns", *point.median_ns_per_increment) + " per increment (medians)\n";
    }
    for (const auto& point : summary.points)
        if (point.median_late_max_s)
            text += point.mode + " x" + std::to_string(point.workers) + ": the latest waiting task began " +
                    format_number("%.1f ms", *point.median_late_max_s * 1000) + " after it was due (median of runs)\n";
    for (const auto& fit : summary.fits) text += fit_line(fit);
    if (summary.critical_path && summary.critical_path->binds)  // only where it, not a serial part, is the limit
        text += "critical path: total work / longest task = " +
                format_number("%.2fx", summary.critical_path->limit) +
                " (tasks of unequal size: no number of workers does better)\n";
    return text;
}

}  // namespace parlab
