// Modes that only some programs link (parlab-mpi's "mpi"): the shared commands find their executors here.
#pragma once

#include <functional>   // std::function
#include <memory>       // std::unique_ptr
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "executor.hpp"
#include "run_result.hpp"

namespace parlab {

/// One linked mode: its executor and what a results file's environment says of it.
struct linked_mode {
    std::string name;                 ///< e.g. "mpi" (cpp/modes.hpp: get_mpi_mode_spec)
    unsigned default_workers = 1;     ///< the workers `run` uses with this mode when --workers is not given
    /// Makes its executor for `workers`; throws invalid_argument_error (one line) for a count it cannot run.
    std::function<std::unique_ptr<executor>(unsigned workers)> make;
    /// Adds its part to the environment block of results files (may be empty).
    std::function<void(environment_info&)> describe;
};

/// Links a mode into this program; the first linked mode becomes `run`'s default. Call before building the CLI.
void link_mode(linked_mode mode);

/// Every mode linked so far, in the order linked.
[[nodiscard]] const std::vector<linked_mode>& get_linked_modes();

/// The linked mode of that name, or nullptr.
[[nodiscard]] const linked_mode* find_linked_mode(std::string_view name);

}  // namespace parlab
