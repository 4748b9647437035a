// `parlab cv`: the CV factory, a two-phase job (gather photos, then render pages), each phase in its own mode.
#pragma once

#include <memory>  // std::unique_ptr

#include "commands/command.hpp"

namespace parlab {

/// Adds `cv` and its flags to app. Running prints the summary and per-task log (or the results JSON), writes --out;
/// returns 0, 1 when a phase failed, 2 for a bad value (one line naming the flag and its bounds), 128 + signal when
/// stopped (SIGINT, SIGTERM).
[[nodiscard]] std::unique_ptr<command> add_cv_command(CLI::App& app);

}  // namespace parlab
