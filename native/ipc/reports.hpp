// The ipc commands' reports: measuring happens in hello.cpp and throughput.cpp, printing here.
#pragma once

#include <string>  // std::string

#include "ipc/hello.hpp"
#include "ipc/throughput.hpp"

namespace parlab {

[[nodiscard]] std::string hello_to_text(const hello_result& result);
[[nodiscard]] std::string hello_to_json(const hello_result& result);
[[nodiscard]] std::string throughput_to_text(const throughput_result& result);
[[nodiscard]] std::string throughput_to_json(const throughput_result& result);

}  // namespace parlab
