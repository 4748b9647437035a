// Bad values on the command line: one line on stderr naming the flag the user typed, and exit code 2.
#pragma once

#include <string>       // std::string
#include <string_view>  // std::string_view

#include "params.hpp"  // invalid_argument_error

namespace parlab {

/// The flag of a workload parameter: "latency_ms" -> "--latency-ms".
[[nodiscard]] std::string flag_name(std::string_view param);

/// Prints "parlab: error: ..." (one line, the parameter named by its flag) to stderr; returns exit_usage.
int print_usage_error(const invalid_argument_error& error);

}  // namespace parlab
