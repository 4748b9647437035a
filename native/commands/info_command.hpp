// `parlab info`: the lab info document (modes, every workload's parameters and bounds, limits, build) as JSON.
#pragma once

#include <memory>  // std::unique_ptr

#include "commands/command.hpp"

namespace parlab {

/// Adds `info` to app.
[[nodiscard]] std::unique_ptr<command> add_info_command(CLI::App& app);

}  // namespace parlab
