// `parlab-mpi ipc`: the ping-pong's flags (those of parlab ipc throughput), then its table or JSON.
#pragma once

#include <memory>  // std::unique_ptr
#include <string>  // std::string
#include <vector>  // std::vector

#include "commands/command.hpp"
#include "world.hpp"

namespace parlab::mpi {

[[nodiscard]] std::unique_ptr<command> add_pingpong_command(CLI::App& app, const world& here,
                                                            const std::vector<std::string>& hosts);

}  // namespace parlab::mpi
