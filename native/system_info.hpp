// What native results files say about the machine: OS, CPU model, logical CPUs, compiler.
#pragma once

#include "run_result.hpp"

namespace parlab {

/// The environment block of a native results file, read from uname and /proc/cpuinfo.
[[nodiscard]] environment_info get_native_environment();

}  // namespace parlab
