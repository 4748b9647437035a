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
