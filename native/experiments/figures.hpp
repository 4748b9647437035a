// What a preset's runs add up to: the closing table of times and speed-ups, and the Amdahl preset's figures.
#pragma once

#include <nlohmann/json.hpp>  // nlohmann::ordered_json

#include <ostream>  // std::ostream
#include <string>   // std::string
#include <utility>  // std::pair
#include <vector>   // std::vector

#include "run_result.hpp"

namespace parlab {

/// A preset's runs, one list per step that has results (run, sweep, cv), in step order.
using steps_runs = std::vector<std::vector<run_result>>;

/// The Amdahl preset's figures: a serial part that runs alone, then the parallel part at each worker count.
struct amdahl_row {
    unsigned workers = 1;
    double parallel_s = 0;   ///< the parallel part's wall time at this worker count (median of repeats)
    double total_s = 0;      ///< serial + parallel
    double speedup = 0;      ///< the 1-worker total over this total
    double predicted = 0;    ///< Amdahl: 1 / (s + (1 - s) / min(workers, cpus))
};
struct amdahl_summary {
    bool ok = false;         ///< false: a figure is missing or failed; message says which, and nothing else is set
    std::string message;
    double serial_s = 0;     ///< the serial part's wall time (median of repeats)
    double serial_fraction = 0;  ///< s = serial / (serial + parallel at 1 worker)
    double limit = 0;        ///< 1 / s: no worker count can pass it, since every total includes the serial part
    std::vector<amdahl_row> rows;  ///< by worker count, ascending; the first is 1 worker
};

/// The Amdahl summary from the serial part's time and the parallel part's (workers, time) pairs, for a plan made for
/// `cpus` CPUs. Not ok when a time is not positive or there is no 1-worker time (the base of every speed-up).
[[nodiscard]] amdahl_summary summarize_amdahl(double serial_s, const std::vector<std::pair<unsigned, double>>& parallel_s,
                                              unsigned cpus);

/// The Amdahl summary of the preset's two steps: the serial part's median, the parallel part's median per worker
/// count (ok runs only).
[[nodiscard]] amdahl_summary summarize_amdahl_runs(const steps_runs& runs, unsigned cpus);

/// The Amdahl table: each worker count's serial, parallel and total time, speed-up and Amdahl's prediction.
void print_amdahl(const amdahl_summary& summary, unsigned cpus, std::ostream& out);

/// The summary as the results file's experiment.amdahl object.
[[nodiscard]] nlohmann::ordered_json amdahl_to_json(const amdahl_summary& summary);

/// The closing summary: each run's time and its speed-up over the step's first run when that is sequential or 1
/// worker, otherwise over an earlier step's sequential run of the same workload (cpu-gil's "largest task first");
/// a two-phase job's phases and total, relative to the first job.
void print_summary(const steps_runs& runs, std::ostream& out);

}  // namespace parlab
