// build_run: a run from a driver's timings, with the rules run_workload applies to its own.
#include "run_builder.hpp"

#include <algorithm>  // std::sort, std::find_if
#include <charconv>   // std::from_chars

#include "executor.hpp"
#include "modes.hpp"
#include "platform.hpp"
#include "workload.hpp"

namespace parlab {
namespace {

[[noreturn]] void refuse(const std::string& field, const std::string& what) {
    throw invalid_argument_error("timings: " + field + " " + what);
}

/// A number at json[key] (or nullopt when absent or null when `optional`); refuses anything else.
std::optional<double> number_at(const nlohmann::json& json, const char* key, const std::string& where,
                                bool optional = false) {
    const auto found = json.find(key);
    if (found == json.end() || found->is_null()) {
        if (optional) return std::nullopt;
        refuse(where + key, "is missing");
    }
    if (!found->is_number()) refuse(where + key, "must be a number");
    return found->get<double>();
}

/// A whole number 0..max at json[key]; refuses fractions, negatives and overflow.
template <typename T>
T whole_at(const nlohmann::json& json, const char* key, const std::string& where, T max) {
    const double value = *number_at(json, key, where);
    if (!(value >= 0 && value <= static_cast<double>(max) && value == static_cast<double>(static_cast<T>(value))))
        refuse(where + key, "must be a whole number between 0 and " + std::to_string(max));
    return static_cast<T>(value);
}

/// A task value: a decimal string of a uint64, or a number that holds one exactly.
std::uint64_t value_at(const nlohmann::json& task, const std::string& where) {
    const auto found = task.find("value");
    if (found != task.end() && found->is_string()) {
        const auto& text = found->get_ref<const std::string&>();
        std::uint64_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size() || text.empty())
            refuse(where + "value", "must be a decimal uint64 (got \"" + text + "\")");
        return value;
    }
    return whole_at<std::uint64_t>(task, "value", where, std::uint64_t{1} << 53);
}

task_timing parse_task(const nlohmann::json& json, const std::string& where) {
    if (!json.is_object()) refuse(where.substr(0, where.size() - 1), "must be an object");
    task_timing task;
    task.id = whole_at<std::uint32_t>(json, "id", where, static_cast<std::uint32_t>(max_tasks_per_run));
    task.worker = whole_at<std::uint32_t>(json, "worker", where, max_workers);
    task.pid = whole_at<std::int64_t>(json, "pid", where, std::int64_t{1} << 53);
    task.thread = whole_at<std::uint64_t>(json, "thread", where, std::uint64_t{1} << 53);
    task.start_s = *number_at(json, "start_s", where);
    task.end_s = *number_at(json, "end_s", where);
    task.wait_s = *number_at(json, "wait_s", where);
    task.cpu_s = number_at(json, "cpu_s", where, true);
    task.value = value_at(json, where);
    if (const auto kib = number_at(json, "rss_kib", where, true)) task.rss_kib = static_cast<std::int64_t>(*kib);
    if (const auto held = json.find("held"); held != json.end() && !held->is_null()) {
        if (!held->is_array()) refuse(where + "held", "must be a list of [start_s, end_s] pairs");
        for (const auto& pair : *held) {
            if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number() || !pair[1].is_number())
                refuse(where + "held", "must be a list of [start_s, end_s] pairs");
            task.held.emplace_back(pair[0].get<double>(), pair[1].get<double>());
        }
    }
    if (!(task.start_s <= task.end_s)) refuse(where + "end_s", "must not come before start_s");
    if (!(task.wait_s >= 0 && task.wait_s <= task.end_s - task.start_s + 1e-9))
        refuse(where + "wait_s", "must be between 0 and end_s - start_s");
    return task;
}

}  // namespace

run_timings parse_run_timings(const nlohmann::json& json) {
    if (!json.is_object()) throw invalid_argument_error("timings must be a JSON object");
    run_timings timings;
    const auto tasks = json.find("tasks");
    if (tasks == json.end() || !tasks->is_array()) refuse("tasks", "must be a list");
    for (std::size_t i = 0; i < tasks->size(); ++i)
        timings.tasks.push_back(parse_task((*tasks)[i], "tasks[" + std::to_string(i) + "]."));
    timings.wall_s = *number_at(json, "wall_s", "");
    timings.startup_s = *number_at(json, "startup_s", "");
    if (const auto at = json.find("started_at"); at != json.end() && at->is_string()) timings.started_at = *at;
    if (const auto error = json.find("error"); error != json.end() && !error->is_null()) {
        if (!error->is_string()) refuse("error", "must be a string or null");
        timings.error = *error;
    }
    if (json.contains("hardware_concurrency") && !json["hardware_concurrency"].is_null())
        timings.hardware_concurrency = std::max(1U, whole_at<unsigned>(json, "hardware_concurrency", "", 1U << 20));
    if (json.contains("bytes_transferred") && !json["bytes_transferred"].is_null())
        timings.bytes_transferred = whole_at<std::uint64_t>(json, "bytes_transferred", "", std::uint64_t{1} << 53);
    timings.switch_interval_ms = number_at(json, "switch_interval_ms", "", true);
    return timings;
}

run_result build_run(const workload_params& params, const std::string& mode, unsigned workers, run_timings timings) {
    const auto& modes = get_mode_specs();
    const auto spec = std::find_if(modes.begin(), modes.end(), [&](const mode_spec& m) { return m.name == mode; });
    if (spec == modes.end()) throw invalid_argument_error("mode '" + mode + "' is not one of the lab's modes");
    if (spec->one_worker) workers = 1;
    if (workers < 1 || workers > max_workers)
        throw invalid_argument_error("workers must be between 1 and " + std::to_string(max_workers) + " (got " +
                                     std::to_string(workers) + ")");
    const auto work = make_workload(params, false);  // only its rules are read: no data needed

    run_result run;
    run.params = params;
    run.mode = mode;
    run.workers = workers;
    run.task_count = work->get_task_count();
    run.started_at = timings.started_at.empty() ? platform::get_utc_timestamp() : timings.started_at;
    run.wall_s = timings.wall_s;
    run.startup_s = timings.startup_s;
    run.error = timings.error;
    run.hardware_concurrency = timings.hardware_concurrency.value_or(platform::get_hardware_concurrency());
    run.bytes_transferred = timings.bytes_transferred;
    if (spec->interpreter_lock) run.switch_interval_ms = timings.switch_interval_ms;

    std::vector<bool> seen(run.task_count, false);
    for (auto& timed : timings.tasks) {
        if (timed.id >= run.task_count)
            throw invalid_argument_error("timings: task " + std::to_string(timed.id) +
                                         " is out of range (the run has " + std::to_string(run.task_count) + " tasks)");
        if (seen[timed.id])
            throw invalid_argument_error("timings: task " + std::to_string(timed.id) + " finished twice");
        seen[timed.id] = true;
        if (timed.worker >= workers)
            throw invalid_argument_error("timings: task " + std::to_string(timed.id) + " ran on worker " +
                                         std::to_string(timed.worker) + " of " + std::to_string(workers));
        task_record task;
        task.id = timed.id;
        task.worker = timed.worker;
        task.pid = timed.pid;
        task.thread = timed.thread;
        task.phase = work->get_phase();
        task.start_s = timed.start_s;
        task.end_s = timed.end_s;
        task.wait_s = timed.wait_s;
        task.cpu_s = timed.cpu_s;
        task.value = timed.value;
        if (work->records_memory() && timed.rss_kib && *timed.rss_kib >= 0) task.rss_kib = timed.rss_kib;
        task.held = std::move(timed.held);
        run.tasks.push_back(std::move(task));
    }
    add_totals(run);
    return run;
}

void add_totals(run_result& run) {
    std::sort(run.tasks.begin(), run.tasks.end(),
              [](const task_record& a, const task_record& b) { return a.id < b.id; });
    std::sort(run.failed_tasks.begin(), run.failed_tasks.end(),
              [](const failed_task& a, const failed_task& b) { return a.id < b.id; });
    if (run.error.empty() && !run.failed_tasks.empty()) {
        const auto& first = run.failed_tasks.front();
        run.error = std::to_string(run.failed_tasks.size()) + " task" + (run.failed_tasks.size() == 1 ? "" : "s") +
                    " lost to dead workers (replaced, the run went on); task " + std::to_string(first.id) + ": " +
                    first.error;
    }
    run.ok = run.error.empty();
    run.complete = run.tasks.size() == run.task_count;

    run.checksum = 0;
    double task_seconds = 0;
    double cpu_seconds = 0;
    bool cpu_known = !run.tasks.empty();
    for (const auto& task : run.tasks) {
        run.checksum += task.value;  // wraps modulo 2^64, as documented
        task_seconds += task.end_s - task.start_s;
        if (task.cpu_s) cpu_seconds += *task.cpu_s;
        else cpu_known = false;
    }
    run.cpu_s = cpu_known ? std::optional<double>(cpu_seconds) : std::nullopt;
    run.avg_task_s = run.tasks.empty() ? 0 : task_seconds / static_cast<double>(run.tasks.size());
}

}  // namespace parlab
