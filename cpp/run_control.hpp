// Shared flags between a running run and whoever watches it: a cancel request and a finished-task count.
#pragma once

#include <atomic>     // std::atomic
#include <cstdint>    // std::int32_t
#include <stdexcept>  // std::runtime_error

namespace parlab {

/// Two int32 cells that other threads (a signal handler, the page via wasm shared memory) may touch.
/// Both are lock-free std::atomic<std::int32_t>, laid out as plain int32 so JavaScript's Atomics can use them.
struct run_control {
    std::atomic<std::int32_t> cancel{0};  ///< non-zero asks the run to stop as soon as it can
    std::atomic<std::int32_t> done{0};    ///< tasks finished so far in the current run

    [[nodiscard]] bool is_cancelled() const { return cancel.load(std::memory_order_relaxed) != 0; }
    void reset() {
        cancel.store(0);
        done.store(0);
    }
};

static_assert(std::atomic<std::int32_t>::is_always_lock_free);

/// Thrown by a workload that noticed a cancel request; executors catch it and record nothing for the task.
struct cancelled_error : std::runtime_error {
    cancelled_error() : std::runtime_error("cancelled") {}
};

}  // namespace parlab
