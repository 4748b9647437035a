// `parlab sweep`: one workload on a grid, every mode in --modes x every count in --workers, repeated.
#pragma once

#include <memory>  // std::unique_ptr

#include "commands/command.hpp"

namespace parlab {

/// Adds `sweep` and its flags to app.
[[nodiscard]] std::unique_ptr<command> add_sweep_command(CLI::App& app);

}  // namespace parlab
