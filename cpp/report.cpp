// The JSON results format and the text tables, both computed from run_result alone.
#include "report.hpp"

#include <algorithm>  // std::sort, std::find_if
#include <cstdio>     // std::snprintf
#include <map>        // std::map
#include <utility>    // std::pair

#include "amdahl.hpp"
#include "json_writer.hpp"
#include "platform.hpp"

namespace parlab {

namespace {

void write_run(json_writer& out, const run_result& run) {
    out.begin_object();
    out.key("workload");
    out.value(run.params.workload);
    out.key("params");
    out.raw(params_to_json(run.params));
    out.key("mode");
    out.value(run.mode);
    out.key("workers");
    out.value(run.workers);
    out.key("ok");
    out.value(run.ok);
    out.key("complete");
    out.value(run.complete);
    out.key("error");
    if (run.ok) out.null();
    else out.value(run.error);
    out.key("started_at");
    out.value(run.started_at);
    out.key("wall_s");
    out.value(run.wall_s);
    out.key("startup_s");
    out.value(run.startup_s);
    out.key("cpu_s");
    if (run.cpu_s) out.value(*run.cpu_s);
    else out.null();
    out.key("avg_task_s");
    out.value(run.avg_task_s);
    out.key("hardware_concurrency");
    out.value(run.hardware_concurrency);
    out.key("task_count");
    out.value(static_cast<std::uint64_t>(run.task_count));
    out.key("tasks_done");
    out.value(static_cast<std::uint64_t>(run.tasks.size()));
    out.key("checksum");
    out.value(std::to_string(run.checksum));
    out.key("tasks");
    out.begin_array();
    for (const auto& task : run.tasks) {
        out.begin_object();
        out.key("id");
        out.value(task.id);
        out.key("worker");
        out.value(task.worker);
        out.key("pid");
        out.value(task.pid);
        out.key("thread");
        out.value(task.thread);
        out.key("phase");
        out.value(task.phase);
        out.key("start_s");
        out.value(task.start_s);
        out.key("end_s");
        out.value(task.end_s);
        out.key("wait_s");
        out.value(task.wait_s);
        out.key("cpu_s");
        if (task.cpu_s) out.value(*task.cpu_s);
        else out.null();
        out.key("value");
        out.value(std::to_string(task.value));
        if (task.rss_kib) {
            out.key("rss_kib");
            out.value(*task.rss_kib);
        }
        if (!task.held.empty()) {  // threads-gil only
            out.key("held");
            out.begin_array();
            for (const auto& [from, to] : task.held) {
                out.begin_array();
                out.value(from);
                out.value(to);
                out.end_array();
            }
            out.end_array();
        }
        out.end_object();
    }
    out.end_array();
    if (run.switch_interval_ms) {
        out.key("switch_interval_ms");
        out.value(*run.switch_interval_ms);
    }
    if (run.bytes_transferred) {  // processes only: shared-memory modes copy nothing
        out.key("bytes_transferred");
        out.value(*run.bytes_transferred);
    }
    if (run.job) {
        out.key("job");
        out.begin_object();
        out.key("id");
        out.value(run.job->id);
        out.key("phase");
        out.value(run.job->phase);
        out.key("phases");
        out.value(run.job->phases);
        out.end_object();
    }
    if (!run.failed_tasks.empty()) {  // only then: files of runs without lost tasks read as they always did
        out.key("failed_tasks");
        out.begin_array();
        for (const auto& lost : run.failed_tasks) {
            out.begin_object();
            out.key("id");
            out.value(lost.id);
            out.key("error");
            out.value(lost.error);
            out.end_object();
        }
        out.end_array();
    }
    out.end_object();
}

void write_optional(json_writer& out, const std::optional<std::string>& text) {
    if (text) out.value(*text);
    else out.null();
}

std::string format(const char* pattern, double a) {
    char buf[64];
    std::snprintf(buf, sizeof buf, pattern, a);
    return buf;
}

std::string pad(std::string text, std::size_t width) {
    if (text.size() < width) text.insert(0, width - text.size(), ' ');
    return text;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

/// Per mode with at least two timed worker counts: the Amdahl fit of its self-relative speed-ups (amdahl.hpp).
std::string amdahl_lines(const std::vector<std::pair<std::string, unsigned>>& order,
                         const std::map<std::pair<std::string, unsigned>, std::vector<double>>& walls) {
    std::vector<std::string> modes;
    for (const auto& key : order)
        if (std::find(modes.begin(), modes.end(), key.first) == modes.end()) modes.push_back(key.first);
    std::string text;
    for (const auto& mode : modes) {
        std::map<unsigned, double> medians;
        for (const auto& [key, samples] : walls)
            if (key.first == mode && !samples.empty()) medians[key.second] = median(samples);
        if (medians.size() < 2) continue;
        std::vector<amdahl_point> points;
        const auto base = medians.find(1);
        if (base != medians.end())
            for (const auto& [workers, wall] : medians)
                if (wall > 0) points.push_back({static_cast<double>(workers), base->second / wall});
        const amdahl_fit fit = fit_amdahl(points);
        if (!fit.ok) {
            text += mode + ": no Amdahl fit (" + fit.message + ")\n";
            continue;
        }
        const char* limit_format = fit.limit < 10 ? "%.2fx" : fit.limit < 100 ? "%.1fx" : "%.0fx";
        const std::string limit = fit.serial_fraction > 0 ? "speed-up limit " + format(limit_format, fit.limit)
                                                          : "no speed-up limit";
        text += mode + ": Amdahl fit f = " + format("%.3f", fit.serial_fraction) + " (" + limit + "; residual " +
                format("%.3f", fit.residual) + ")\n";
    }
    return text;
}

}  // namespace

std::string run_to_json(const run_result& run) {
    json_writer out;
    write_run(out, run);
    return out.take();
}

std::string results_to_json(const environment_info& env, const std::vector<run_result>& runs) {
    json_writer out;
    out.begin_object();
    out.key("schema_version");
    out.value(results_schema_version);
    out.key("generator");
    out.value(generator_name);
    out.key("created");
    out.value(platform::get_utc_timestamp());
    out.key("environment");
    out.begin_object();
    out.key("target");
    out.value(env.target);
    out.key("os");
    out.value(env.os);
    out.key("cpu_model");
    write_optional(out, env.cpu_model);
    out.key("logical_cpus");
    out.value(env.logical_cpus);
    out.key("compiler");
    out.value(env.compiler);
    out.key("user_agent");
    write_optional(out, env.user_agent);
    out.key("cross_origin_isolated");
    if (env.cross_origin_isolated) out.value(*env.cross_origin_isolated);
    else out.null();
    out.end_object();
    out.key("runs");
    out.begin_array();
    for (const auto& run : runs) write_run(out, run);
    out.end_array();
    out.end_object();
    return out.take() + "\n";
}

std::string run_to_text(const run_result& run) {
    std::string text = run.params.workload + " " + params_to_json(run.params) + ", " + run.mode + ", " +
                       std::to_string(run.workers) + " worker" + (run.workers == 1 ? "" : "s") + "\n";
    text += "  total time      " + format("%.4f s", run.wall_s) + "  (pool start-up " +
            format("%.6f s", run.startup_s) + ")\n";
    text += "  tasks           " + std::to_string(run.tasks.size()) + " of " + std::to_string(run.task_count) +
            ", average task time " + format("%.6f s", run.avg_task_s) + "\n";
    if (run.cpu_s)
        text += "  CPU in tasks    " + format("%.4f s", *run.cpu_s) + "  (" +
                format("%.2f", run.wall_s > 0 ? *run.cpu_s / run.wall_s : 0.0) + " cores busy on average)\n";
    if (run.switch_interval_ms)
        text += "  interpreter lock  simulated, switch interval " + format("%.3g ms", *run.switch_interval_ms) +
                ": one thread computes at a time\n";
    if (run.bytes_transferred)
        text += "  data moved      " + std::to_string(*run.bytes_transferred) +
                " bytes between the parent and its worker processes (copied: they share no memory)\n";
    text += "  checksum        " + std::to_string(run.checksum) + "\n";
    if (!run.ok) text += "  FAILED          " + run.error + "\n";
    else if (!run.complete) text += "  STOPPED         before every task finished: partial results\n";
    for (const auto& lost : run.failed_tasks)
        text += "  lost            task " + std::to_string(lost.id) + ": " + lost.error + "\n";
    return text;
}

std::string sweep_to_text(const std::vector<run_result>& runs) {
    // Group repeated runs of one (mode, workers) and report their median wall time.
    std::vector<std::pair<std::string, unsigned>> order;
    std::map<std::pair<std::string, unsigned>, std::vector<double>> walls;
    for (const auto& run : runs) {
        const auto key = std::make_pair(run.mode, run.workers);
        if (walls.find(key) == walls.end()) order.push_back(key);
        if (run.ok && run.complete) walls[key].push_back(run.wall_s);
        else walls[key];
    }
    std::optional<double> sequential;
    if (const auto it = walls.find({"sequential", 1}); it != walls.end() && !it->second.empty())
        sequential = median(it->second);

    std::string text = "mode        workers  runs   median s   vs 1 worker  efficiency  vs sequential\n";
    for (const auto& key : order) {
        const auto& samples = walls[key];
        text += key.first + std::string(12 - std::min<std::size_t>(11, key.first.size()), ' ');
        text += pad(std::to_string(key.second), 7) + pad(std::to_string(samples.size()), 6);
        if (samples.empty()) {
            text += "   (failed or stopped)\n";
            continue;
        }
        const double wall = median(samples);
        text += pad(format("%.4f", wall), 11);
        const auto base = walls.find({key.first, 1});
        if (base != walls.end() && !base->second.empty() && wall > 0) {
            const double speedup = median(base->second) / wall;
            text += pad(format("%.2fx", speedup), 13) + pad(format("%.2f", speedup / key.second), 12);
        } else {
            text += pad("-", 13) + pad("-", 12);
        }
        text += sequential && wall > 0 ? pad(format("%.2fx", *sequential / wall), 15) : pad("-", 15);
        text += "\n";
    }
    text += amdahl_lines(order, walls);
    return text;
}

}  // namespace parlab
