// The guided experiments' presets, one per lesson card (docs/lessons/): each a list of typed jobs planned from the
// logical CPUs, run in this process with the same code as `parlab sweep` / `run` / `cv` / `ipc`.
#pragma once

#include <string>       // std::string
#include <string_view>  // std::string_view
#include <variant>      // std::variant
#include <vector>       // std::vector

#include "ipc/throughput.hpp"
#include "jobs/cv_job.hpp"
#include "jobs/grid_job.hpp"

namespace parlab {

/// An ipc report: the hello, or the throughput measurement with its options.
struct ipc_job {
    bool hello = true;
    throughput_options throughput;  ///< when not hello
};

/// What one step runs.
using experiment_job = std::variant<grid_job, cv_job, ipc_job>;

/// One step of a preset: a job, and the parlab command line that runs the same job (shown to the reader).
struct experiment_step {
    experiment_job job;
    std::string_view command;               ///< the equivalent command: run, sweep, cv or ipc
    std::vector<std::string> shown_params;  ///< the workload parameters that command line names, in its order
    bool own_process = false;  ///< run in a forked child: the step is meant to crash the whole program
    std::string note;          ///< one line printed before the step (what it shows)

    /// Whether its runs join the experiment's results (run, sweep, cv; not the ipc reports).
    [[nodiscard]] bool writes_results() const { return command != "ipc"; }
    /// Whether the experiment's --repeats applies (sweep, cv: a run step is one run on purpose).
    [[nodiscard]] bool takes_repeats() const { return command == "sweep" || command == "cv"; }
    /// The command line without the program name, e.g. {"sweep", "--workload", "download", "--count", "12", ...}.
    [[nodiscard]] std::vector<std::string> get_args() const;
    /// The step as a user types it: "parlab sweep --workload download ...".
    [[nodiscard]] std::string get_command_line() const;
};

/// A named experiment: the card it belongs to and the steps that make it.
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

}  // namespace parlab
