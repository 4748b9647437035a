// The deadlock workload: each task holds one lab lock while it takes the other.
#include "deadlock.hpp"

#include <chrono>  // std::chrono::milliseconds

#include "executor.hpp"
#include "thread_pool.hpp"

namespace parlab {

deadlock_workload::deadlock_workload(bool opposite, std::int64_t hold_ms, std::int64_t rounds)
    : opposite_(opposite), hold_ms_(hold_ms), task_count_(static_cast<std::size_t>(2 * rounds)) {}

std::size_t deadlock_workload::get_first_lock(std::size_t task) const { return opposite_ && task % 2 == 1 ? 1 : 0; }

std::uint64_t deadlock_workload::compute(std::size_t task, const run_control& control) const {
    if (task >= task_count_) throw std::out_of_range("deadlock: no task " + std::to_string(task));
    // The executor's worker index (0 outside a thread pool: sequential, async and each process run one task at
    // a time, so none of them waits on its own locks).
    const unsigned worker = thread_pool::get_worker_index().value_or(0);
    const std::size_t first = get_first_lock(task);
    const lab_lock_hold first_hold(locks_, first, worker, control);
    {
        const interpreter_lock_released unlocked(control.lock);
        wait_until(platform::clock::now() + std::chrono::milliseconds(hold_ms_), control);
    }
    const lab_lock_hold second_hold(locks_, 1 - first, worker, control);
    return 2;
}

std::string deadlock_workload::describe(std::size_t task) const {
    const std::size_t first = get_first_lock(task);
    return "task " + std::to_string(task + 1) + ": " + locks_.get_name(first) + " then " +
           locks_.get_name(1 - first);
}

namespace {

using pt = param_type;

std::int64_t count_deadlock_tasks(const workload_params& params) { return 2 * params.get_int("rounds"); }

std::unique_ptr<workload> make_deadlock(const workload_params& params, bool /*hold_data*/) {
    return std::make_unique<deadlock_workload>(params.get_choice("lock_order") == "opposite",
                                               params.get_int("hold_ms"), params.get_int("rounds"));
}

}  // namespace

workload_description describe_deadlock() {
    return {"deadlock",
            {
                {"deadlock", "lock_order", pt::choice, "opposite", 0, 0, {"opposite", "consistent"}, 0, "",
                 "opposite: odd tasks take lock B then A, even tasks A then B (can deadlock); consistent: every "
                 "task takes A then B (cannot)"},
                {"deadlock", "hold_ms", pt::integer, "50", 1, 1000, {}, 0, "",
                 "ms each task holds its first lock (sleeping) before it takes the second"},
                {"deadlock", "rounds", pt::integer, "1", 1, 100, {}, 0, "",
                 "pairs of tasks (tasks = 2 x rounds); all share the two locks"},
            },
            nullptr,  // its parameters are independent
            count_deadlock_tasks,
            make_deadlock};
}

}  // namespace parlab
