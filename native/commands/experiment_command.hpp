// `parlab experiment list|run`: the guided experiments, one preset per lesson card (native/experiments/).
#pragma once

#include <memory>  // std::unique_ptr
#include <string>  // std::string
#include <vector>  // std::vector

#include "commands/command.hpp"
#include "experiments/runner.hpp"

namespace parlab {

/// Adds `experiment` to app; its arguments go to run_experiment_command with the real job runner.
[[nodiscard]] std::unique_ptr<command> add_experiment_command(CLI::App& app);

/// `parlab experiment list [--cpus N]` and `parlab experiment run NAME [--cpus N] [--repeats R] [--out FILE]
/// [--format text|json]` (args: what follows "experiment"). --cpus plans for N logical CPUs instead of this
/// machine's (a teaching override: the runs still measure this machine). Runs each step's job with runner; an
/// unknown name or flag, or an --out that cannot be written, prints one line and returns 2. Otherwise as
/// run_experiment.
[[nodiscard]] int run_experiment_command(const std::vector<std::string>& args, const job_runner& runner = run_job);

}  // namespace parlab
