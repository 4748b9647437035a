// The guided cards' verdicts as pure functions of (figures, CPUs): the same rules as web/site/experiments.js, with
// gaps between claims so that figures off by 20% give "inconclusive", never another claim.
#pragma once

#include <map>          // std::map
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

namespace parlab {

/// Speed-ups by worker count; a missing or non-finite entry is a run that did not finish.
using speedups_by_workers = std::map<unsigned, double>;

/// What a card concludes from its figures.
struct card_verdict {
    std::string verdict;  ///< a prediction's id, "inconclusive", or empty: no verdict (the runs it needs are missing)
    std::string reason;   ///< for "inconclusive": why, when the rule knows (empty: the figures sit between claims)
};

inline constexpr std::string_view inconclusive_verdict = "inconclusive";

/// The I/O card (io-threads): speed-ups over sequential of threads, async and threads-gil at each worker count.
struct io_threads_figures {
    speedups_by_workers threads;
    speedups_by_workers async;
    speedups_by_workers gil;  ///< shown beside the verdict, not judged
};

/// "more" (well past the cores: at least 1.5 x cpus and clearly faster), "cores" (no better past the cores than at
/// them), "none", "slower", or inconclusive; inconclusive with a reason when no run went past `cpus` workers.
[[nodiscard]] card_verdict judge_io_threads(const io_threads_figures& figures, unsigned cpus);

/// The CPU-bound card (cpu-gil): speed-ups over sequential at 2 and 3 workers; processes without their start-up.
struct cpu_gil_figures {
    speedups_by_workers threads;
    speedups_by_workers gil;
    speedups_by_workers processes_busy;
};

/// "not-gil", "all", "processes-only", "none", or inconclusive; no verdict without a processes figure.
[[nodiscard]] card_verdict judge_cpu_gil(const cpu_gil_figures& figures);

/// The more-workers-than-cores card (oversubscription): speed-ups over 1 worker of primes (cpu) and downloads (io).
struct oversubscription_figures {
    speedups_by_workers cpu;
    speedups_by_workers io;
    unsigned max_workers = 0;  ///< the largest pool that could run (named in the reason when it is no more than cpus)
};

/// "cpu-stops" (primes gain under 1.25x past the cores, downloads at least 1.6x), "both-stop", "both-grow", "slower",
/// or inconclusive; inconclusive with a reason when no run went past `cpus` workers.
[[nodiscard]] card_verdict judge_oversubscription(const oversubscription_figures& figures, unsigned cpus);

/// One worker count of the Amdahl card: the whole job's measured speed-up, Amdahl's prediction, and min(workers, cpus).
struct amdahl_card_point {
    unsigned workers = 0;
    double speedup = 0;
    double amdahl = 0;
    double linear = 0;
};

/// The Amdahl card: the measured serial fraction and the points at more than 1 worker.
struct amdahl_card_figures {
    double serial_fraction = 0;  ///< NaN when the serial part or the 1-worker run is missing
    std::vector<amdahl_card_point> points;
};

/// Judged at the best measured point: "capped" (at most 1.12x Amdahl's prediction), "linear" (near min(workers,
/// cpus) and well above Amdahl), "none" (flat where Amdahl predicts flat), or inconclusive.
[[nodiscard]] card_verdict judge_amdahl(const amdahl_card_figures& figures);

}  // namespace parlab
