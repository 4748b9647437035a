// A sweep's summary, computed once: medians of repeats, spread, speed-ups, efficiency, Amdahl fits, critical path.
#pragma once

#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint64_t
#include <optional>  // std::optional
#include <string>    // std::string
#include <vector>    // std::vector

#include "amdahl.hpp"
#include "run_result.hpp"

namespace parlab {

/// The median of the values (the mean of the middle two for an even count); 0 for none.
[[nodiscard]] double median(std::vector<double> values);

/// One cell of a sweep's grid: every run of one mode at one worker count. Only ok and complete runs are timed.
struct sweep_point {
    std::string mode;
    unsigned workers = 1;
    std::size_t runs = 0;                 ///< timed runs (ok and complete)
    std::optional<double> median_s;       ///< median wall time of the timed runs; none when no run was timed
    std::optional<double> min_s;          ///< spread: the fastest and the slowest timed run
    std::optional<double> max_s;
    std::optional<double> speedup;        ///< the same mode's 1-worker median / median_s, where both exist
    std::optional<double> efficiency;     ///< speedup / workers
    std::optional<double> vs_sequential;  ///< the sequential 1-worker median / median_s, where both exist
    /// Counter workload: the median of the timed runs' lost updates and ns per increment, and their increments made.
    std::optional<double> median_lost_updates;
    std::optional<double> median_ns_per_increment;
    std::optional<std::uint64_t> increments;
    /// Runs with waiting tasks: the median over the timed runs of each run's largest lateness (late_max_s).
    std::optional<double> median_late_max_s;
};

/// A mode timed at two or more worker counts, and the Amdahl fit of its speed-ups over its 1-worker median.
struct mode_fit {
    std::string mode;
    amdahl_fit fit;  ///< not ok (with its message) when the mode has no 1-worker time
};

/// The critical-path bound: with tasks of unequal size no worker count beats total work / longest task.
struct critical_path_bound {
    double limit = 0;            ///< total / longest, from the sequential runs' task times (median per task)
    std::vector<double> shares;  ///< each task's share of the total work, by task id
    /// True where it, not a serial fraction, limits this sweep: the longest task is clearly more than its share
    /// (limit < 0.9 x tasks) and the bound is below the most workers the sweep ran.
    bool binds = false;
};

/// What a sweep measured, for reporters to format.
struct sweep_summary {
    std::vector<sweep_point> points;  ///< one per (mode, workers), in the order each first appears in the runs
    std::vector<mode_fit> fits;       ///< one per mode with two or more timed worker counts, in order of appearance
    /// From the timed sequential runs with two or more tasks; none without such a run or with an untimed task.
    std::optional<critical_path_bound> critical_path;
};

/// Groups the runs by (mode, workers) and computes every figure of the summary once.
[[nodiscard]] sweep_summary summarize_sweep(const std::vector<run_result>& runs);

}  // namespace parlab
