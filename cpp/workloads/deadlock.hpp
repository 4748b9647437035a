// Two locks taken in opposite orders: the classic deadlock, which the lab's locks detect and name.
#pragma once

#include <cstdint>  // std::int64_t, std::uint64_t
#include <string>   // std::string

#include "lab_lock.hpp"
#include "workload.hpp"
#include "workload_registry.hpp"

namespace parlab {

class deadlock_workload final : public workload {
public:
    /// 2 x rounds tasks; each takes lock A or B, holds it hold_ms (a sleep, as time.sleep: no CPU, and the
    /// interpreter lock released), then takes the other. Even tasks take A then B; odd tasks B then A when
    /// opposite is true, A then B otherwise.
    deadlock_workload(bool opposite, std::int64_t hold_ms, std::int64_t rounds);

    [[nodiscard]] std::size_t get_task_count() const override { return task_count_; }
    /// Takes both locks as above and returns 2 (the locks it took), whatever the mode. Throws deadlock_error
    /// naming the workers and locks when its wait is part of a deadlock.
    [[nodiscard]] std::uint64_t compute(std::size_t task, const run_control& control) const override;
    /// Every hold and wait of locks A and B in this process (a process pool's parent takes none).
    [[nodiscard]] std::vector<lock_stretch> get_lock_stretches(platform::clock::time_point run_start) const override {
        return locks_.get_stretches(run_start);
    }
    /// "task 2: B then A".
    [[nodiscard]] std::string describe(std::size_t task) const override;

private:
    /// The lock task takes first (0: A, 1: B); it takes the other one second.
    [[nodiscard]] std::size_t get_first_lock(std::size_t task) const;

    bool opposite_;
    std::int64_t hold_ms_;
    std::size_t task_count_;
    mutable lab_locks locks_{{"A", "B"}};  // a process has its own copy: processes cannot deadlock on them
};

/// The deadlock workload's entry in the registry: its parameters, task count and factory.
[[nodiscard]] workload_description describe_deadlock();

}  // namespace parlab
