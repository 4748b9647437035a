// `parlab ipc hello|throughput`: a child's hello over a pipe, and pipes vs queues timed message by message.
#pragma once

#include <memory>  // std::unique_ptr

#include "commands/command.hpp"

namespace parlab {

/// Adds `ipc hello` and `ipc throughput` and their flags to app. Running prints the report (text or JSON) and
/// returns 0, 1 when a check or a transport failed, 2 for bad values (one line naming the flag and its bounds).
[[nodiscard]] std::unique_ptr<command> add_ipc_command(CLI::App& app);

}  // namespace parlab
