// run_workload: the single place where a run is timed and its totals computed.
#include "run.hpp"

#include <algorithm>  // std::sort

namespace parlab {

run_result run_workload(const workload_params& params, executor& exec, run_control& control) {
    const auto work = make_workload(params);

    run_result result;
    result.params = params;
    result.mode = exec.get_mode();
    result.workers = exec.get_workers();
    result.switch_interval_ms = exec.get_switch_interval_ms();
    result.hardware_concurrency = platform::get_hardware_concurrency();
    result.task_count = work->get_task_count();
    result.started_at = platform::get_utc_timestamp();

    control.reset();
    const auto run_start = platform::clock::now();
    execution done = exec.execute(*work, control, run_start);
    result.wall_s = std::chrono::duration<double>(platform::clock::now() - run_start).count();

    result.startup_s = done.startup_s;
    result.tasks = std::move(done.tasks);
    std::sort(result.tasks.begin(), result.tasks.end(),
              [](const task_record& a, const task_record& b) { return a.id < b.id; });
    result.error = std::move(done.error);
    result.failed_tasks = std::move(done.failed_tasks);
    result.bytes_transferred = done.bytes_transferred;
    std::sort(result.failed_tasks.begin(), result.failed_tasks.end(),
              [](const failed_task& a, const failed_task& b) { return a.id < b.id; });
    if (result.error.empty() && !result.failed_tasks.empty()) {
        const auto& first = result.failed_tasks.front();
        result.error = std::to_string(result.failed_tasks.size()) + " task" +
                       (result.failed_tasks.size() == 1 ? "" : "s") + " lost to dead workers (replaced, the run went on); task " +
                       std::to_string(first.id) + ": " + first.error;
    }
    result.ok = result.error.empty();
    result.complete = result.tasks.size() == result.task_count;

    double task_seconds = 0;
    double cpu_seconds = 0;
    bool cpu_known = !result.tasks.empty();
    for (const auto& task : result.tasks) {
        result.checksum += task.value;  // wraps modulo 2^64, as documented
        task_seconds += task.end_s - task.start_s;
        if (task.cpu_s) cpu_seconds += *task.cpu_s;
        else cpu_known = false;
    }
    if (cpu_known) result.cpu_s = cpu_seconds;
    if (!result.tasks.empty()) result.avg_task_s = task_seconds / static_cast<double>(result.tasks.size());
    return result;
}

}  // namespace parlab
