// run_workload: runs one workload on one executor and times it; add_totals (run_builder.hpp) sums it up.
#include "run.hpp"

#include "run_builder.hpp"

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
    result.error = std::move(done.error);
    result.failed_tasks = std::move(done.failed_tasks);
    result.bytes_transferred = done.bytes_transferred;
    result.counter_value = work->get_counter_value();
    result.lock_stretches = work->get_lock_stretches(run_start);
    add_totals(result);
    return result;
}

}  // namespace parlab
