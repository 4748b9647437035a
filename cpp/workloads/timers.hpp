// Responsiveness without a screen: timers due while one CPU-bound job runs, on an event loop, threads or processes.
#pragma once

#include <cstdint>  // std::int64_t, std::uint64_t

#include "workload.hpp"
#include "workload_registry.hpp"

namespace parlab {

/// Task 0 is one CPU-bound job (the sum of the primes up to `job_limit`, no wait); tasks 1..`timers` are timers:
/// task k waits k x `period_ms` from its start, then does nothing. Each timer's record says how late it ran
/// (late_s): on one event loop (async) a timer due while the job computes runs only after it; on threads or
/// processes it runs on time; under a simulated interpreter lock it waits for the job to hand the lock over.
/// A timer's value is 0; the job's is its sum (the same in every mode).
class timers_workload final : public workload {
public:
    timers_workload(std::int64_t timers, std::int64_t period_ms, std::int64_t job_limit);

    [[nodiscard]] std::size_t get_task_count() const override { return timers_ + 1; }
    [[nodiscard]] double get_wait_seconds(std::size_t task) const override;
    [[nodiscard]] std::uint64_t compute(std::size_t task, const run_control& control) const override;
    [[nodiscard]] std::string describe(std::size_t task) const override;

private:
    std::size_t timers_;
    double period_s_;
    std::uint32_t job_limit_;
};

/// The timers workload's entry in the registry: its parameters, cross-checks, task count and factory.
[[nodiscard]] workload_description describe_timers();

}  // namespace parlab
