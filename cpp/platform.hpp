// The core's only window onto the operating system: clocks, ids, and the compiler's name.
#pragma once

#include <chrono>   // std::chrono::steady_clock
#include <cstdint>  // std::int64_t, std::uint64_t
#include <string>   // std::string

namespace parlab::platform {

/// Monotonic clock shared by every process on the machine (CLOCK_MONOTONIC on Linux), so that times taken
/// in a worker process and in its parent can be compared.
using clock = std::chrono::steady_clock;

/// CPU seconds used so far by the calling thread; negative where the platform cannot tell (wasm).
[[nodiscard]] double get_thread_cpu_seconds();

/// The calling process's id; 0 in wasm (the page numbers wasm instances itself).
[[nodiscard]] std::int64_t get_pid();

/// The calling thread's id as the OS shows it (gettid on Linux, the pthread id in wasm).
[[nodiscard]] std::uint64_t get_thread_id();

/// Memory in use by the calling process, in KiB: natively its resident set (/proc/self/statm); in wasm the
/// instance's linear memory size (what it has grown to, not what is touched). Negative if it cannot tell.
[[nodiscard]] std::int64_t get_memory_kib();

/// The compiler that built this binary, e.g. "GCC 12.2.0" or "Emscripten 3.1.6 (clang 14.0.6)".
[[nodiscard]] std::string get_compiler();

/// Logical CPUs as std::thread::hardware_concurrency reports them (at least 1).
[[nodiscard]] unsigned get_hardware_concurrency();

/// Now as an ISO 8601 UTC timestamp, e.g. "2026-11-23T08:00:00Z".
[[nodiscard]] std::string get_utc_timestamp();

}  // namespace parlab::platform
