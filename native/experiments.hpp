// The guided experiments natively: one preset per lesson card (docs/lessons/), each a list of parlab command lines
// planned from the logical CPUs and run in this process through the same parser and code as `parlab sweep` / `run`
// / `cv` / `ipc`.
#pragma once

#include <functional>   // std::function
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <utility>      // std::pair
#include <vector>       // std::vector

namespace parlab {

/// One step of a preset: the arguments of one parlab command, e.g. {"sweep", "--workload", "download", ...}.
struct experiment_step {
    std::vector<std::string> args;  ///< a parlab command line without the program name
    bool writes_results = true;     ///< takes --out FILE (run, sweep): its runs join the experiment's results file
    bool takes_repeats = false;     ///< takes --repeats R (sweep)
    bool own_process = false;       ///< run in a forked child: the step is meant to crash the whole program
    std::string note;               ///< one line printed before the step (what it shows)
};

/// A named experiment: the card it belongs to and the commands that make it.
struct experiment_preset {
    std::string_view name;    ///< the card's id, e.g. "io-threads"
    std::string_view title;   ///< the card's title
    std::string_view lesson;  ///< its lesson file under docs/lessons/, e.g. "01-io-bound-threads.md"
    std::vector<experiment_step> steps;
};

/// Largest CPU count a plan can be made for (`--cpus` takes 1..max_plan_cpus).
inline constexpr unsigned max_plan_cpus = 256;

/// Every preset planned for a machine with `cpus` logical CPUs (clamped to 1..max_plan_cpus), in lesson order:
/// worker counts, task counts and sizes follow the cards' plan rules (docs/native-program.md), capped at the
/// core's max_workers and parameter bounds.
[[nodiscard]] std::vector<experiment_preset> get_experiment_presets(unsigned cpus);

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

/// Runs one parlab command line as `main` would (arguments without the program name); returns its exit code.
using cli_runner = std::function<int(const std::vector<std::string>&)>;

/// `parlab experiment list [--cpus N]` and `parlab experiment run NAME [--cpus N] [--repeats R] [--out FILE]
/// [--format text|json]` (args: what follows "experiment"). --cpus plans for N logical CPUs instead of this
/// machine's (a teaching override: the runs still measure this machine). Runs each step through run_cli; an unknown
/// name or flag prints one line naming the choices and returns 2. Returns 0 when every step ran (a run that fails on
/// purpose, as in the isolation preset, is part of the lesson), 2 on bad input, 128 + signal when stopped.
[[nodiscard]] int run_experiment_command(const std::vector<std::string>& args, const cli_runner& run_cli);

}  // namespace parlab
