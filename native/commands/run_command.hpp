// `parlab run`: one workload in one mode with one number of workers.
#pragma once

#include <memory>  // std::unique_ptr

#include "commands/command.hpp"

namespace parlab {

/// Adds `run` and its flags to app.
[[nodiscard]] std::unique_ptr<command> add_run_command(CLI::App& app);

}  // namespace parlab
