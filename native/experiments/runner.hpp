// Running a preset: each step's typed job in this process (a crashing one in a forked child), the runs kept in
// memory, then the closing summary, the verdict and one results file.
#pragma once

#include <functional>  // std::function
#include <ostream>     // std::ostream
#include <string>      // std::string
#include <vector>      // std::vector

#include "experiments/presets.hpp"
#include "run_control.hpp"
#include "run_result.hpp"

namespace parlab {

/// Runs one step's job on control and returns its runs (none for an ipc report), printing the job's own report to
/// `report` unless it is null. run_job is the real one; tests pass a model of a machine.
using job_runner =
    std::function<std::vector<run_result>(const experiment_job& job, run_control& control, std::ostream* report)>;

/// The job as `parlab run|sweep|cv|ipc` would run it, with the same checks (invalid_argument_error when refused)
/// and the same report.
[[nodiscard]] std::vector<run_result> run_job(const experiment_job& job, run_control& control, std::ostream* report);

/// How `parlab experiment run` was asked to run a preset.
struct experiment_settings {
    unsigned cpus = 1;             ///< the plan's CPUs
    bool cpus_overridden = false;  ///< --cpus given: a teaching override, the runs still measure this machine
    unsigned repeats = 3;          ///< for the steps that take repeats
    std::string out_path;          ///< the results file, or empty
    bool json = false;             ///< print the results file instead of the text
};

/// "Plan for 16 CPUs (...)": whose CPUs the plan was made for.
[[nodiscard]] std::string plan_line(unsigned cpus, bool overridden);

/// Runs every step of the preset with runner, stopping after a step once SIGINT or SIGTERM came; prints the text
/// (or the results JSON) and writes settings.out_path. Returns 0 when every step ran (a run that fails on purpose,
/// as in the isolation preset, is part of the lesson), 1 when the file could not be written, 2 when a step was
/// refused, 128 + signal when stopped.
[[nodiscard]] int run_experiment(const experiment_preset& preset, const experiment_settings& settings,
                                 const job_runner& runner);

}  // namespace parlab
