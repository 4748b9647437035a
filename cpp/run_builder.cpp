// build_run: a run from a driver's timings, with the rules run_workload applies to its own.
#include "run_builder.hpp"

#include <algorithm>  // std::sort, std::find_if, std::max_element

#include "executor.hpp"
#include "modes.hpp"
#include "platform.hpp"
#include "summary.hpp"  // median
#include "workload.hpp"

namespace parlab {

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
    if (work->get_counter_value()) run.counter_value = timings.counter_value;  // the counter workload's only
    if (spec->interpreter_lock) run.switch_interval_ms = timings.switch_interval_ms;
    if (timings.warm_workers) {
        if (!spec->separate_memory)
            throw invalid_argument_error("timings: warm_workers belongs to a mode with separate memory, not " + mode);
        if (*timings.warm_workers > workers)
            throw invalid_argument_error("timings: warm_workers " + std::to_string(*timings.warm_workers) +
                                         " is more than the run's " + std::to_string(workers) + " workers");
        run.warm_workers = timings.warm_workers;
    }

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
        if (!(timed.start_s <= timed.end_s))
            throw invalid_argument_error("timings: task " + std::to_string(timed.id) + " ends before it starts");
        if (!(timed.wait_s >= 0 && timed.wait_s <= timed.end_s - timed.start_s + 1e-9))
            throw invalid_argument_error("timings: task " + std::to_string(timed.id) +
                                         " waits longer than it lasts, or less than nothing");
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
        // A driver computes a task as soon as its wait ends (one instance, one thread): the wait beyond the one asked
        // is how late it ran.
        if (const double asked = work->get_wait_seconds(timed.id); asked > 0)
            task.late_s = std::max(0.0, timed.wait_s - asked);
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

    std::vector<double> lateness;
    for (const auto& task : run.tasks)
        if (task.late_s) lateness.push_back(*task.late_s);
    run.late_median_s.reset();
    run.late_max_s.reset();
    if (!lateness.empty()) {
        run.late_median_s = median(lateness);
        run.late_max_s = *std::max_element(lateness.begin(), lateness.end());
    }

    // Each task's value is the increments it made, so the checksum is what the counter would read had none been lost.
    run.lost_updates.reset();
    run.ns_per_increment.reset();
    if (run.counter_value && run.ok && run.complete) {
        run.lost_updates = static_cast<std::int64_t>(run.checksum - *run.counter_value);
        const double busy_s = run.wall_s - run.startup_s;
        if (run.checksum > 0 && busy_s > 0) run.ns_per_increment = busy_s * 1e9 / static_cast<double>(run.checksum);
    }
}

}  // namespace parlab
