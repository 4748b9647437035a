// One run assembled from task timings a driver measured outside the core (the page's JavaScript drivers): the
// core still decides its phase, memory records, checksum and totals, as run_workload does for its own runs.
#pragma once

#include <cstdint>   // std::int64_t, std::uint64_t
#include <optional>  // std::optional
#include <string>    // std::string
#include <utility>   // std::pair
#include <vector>    // std::vector

#include "params.hpp"
#include "run_result.hpp"

namespace parlab {

/// One finished task as a driver timed it (seconds since the run's start, as task_record).
struct task_timing {
    std::uint32_t id = 0;
    std::uint32_t worker = 0;
    std::int64_t pid = 0;
    std::uint64_t thread = 0;
    double start_s = 0;
    double end_s = 0;
    double wait_s = 0;
    std::optional<double> cpu_s;
    std::uint64_t value = 0;
    std::optional<std::int64_t> rss_kib;  ///< kept only for workloads that record memory
    std::vector<std::pair<double, double>> held;
};

/// What a driver measured of a whole run, besides its tasks.
struct run_timings {
    std::vector<task_timing> tasks;
    double wall_s = 0;
    double startup_s = 0;
    std::string started_at;                       ///< ISO 8601 UTC; empty: now
    std::string error;                            ///< one line when the run failed
    std::optional<unsigned> hardware_concurrency;  ///< as the driver's host reports it; empty: the platform's
    std::optional<std::uint64_t> bytes_transferred;
    std::optional<double> switch_interval_ms;
    /// Counter workload: the counter's value after the run in the driver's own instance (the parent's memory).
    std::optional<std::uint64_t> counter_value;
    /// Modes with separate memory: how many of the run's worker processes were kept warm from an earlier run
    /// (the page's process Web Workers); empty where every run starts its own (natively).
    std::optional<unsigned> warm_workers;
};

/// The run of `params` in `mode` on `workers` that these timings describe: tasks sorted by id, each with the
/// workload's phase, checksum, totals, ok and complete as run_workload computes them. Throws
/// invalid_argument_error for an unknown mode, workers out of bounds, a task id out of range or given twice, or
/// task times out of order (end before start, a wait longer than the task).
[[nodiscard]] run_result build_run(const workload_params& params, const std::string& mode, unsigned workers,
                                   run_timings timings);

/// The totals of a run whose tasks are in: sorts tasks (and lost tasks) by id, sums checksum, cpu_s and
/// avg_task_s, and sets ok, complete and the lost tasks' summary error. Shared by run_workload and build_run.
void add_totals(run_result& run);

}  // namespace parlab
