// Shared flags between a running run and whoever watches it: a cancel request and a finished-task count.
#pragma once

#include <atomic>     // std::atomic
#include <cstdint>    // std::int32_t
#include <stdexcept>  // std::runtime_error

#include "interpreter_lock.hpp"

namespace parlab {

/// Two int32 cells that other threads (a signal handler, the page via wasm shared memory) may touch.
/// Both are lock-free std::atomic<std::int32_t>, laid out as plain int32 so JavaScript's Atomics can use them.
struct run_control {
    std::atomic<std::int32_t> cancel{0};  ///< non-zero asks the run to stop as soon as it can
    std::atomic<std::int32_t> done{0};    ///< tasks finished so far in the current run
    std::atomic<std::int32_t> stop_all{0};  ///< like cancel, but reset() keeps it: stops every later run too
    interpreter_lock* lock = nullptr;     ///< set in threads-gil mode: computations hand it over at checkpoints

    [[nodiscard]] bool is_cancelled() const {
        return cancel.load(std::memory_order_relaxed) != 0 || stop_all.load(std::memory_order_relaxed) != 0;
    }

    /// A safe point in a computation (every few hundred microseconds of work): throws cancelled_error if a
    /// stop was asked for; in threads-gil mode, hands the interpreter lock over if another thread asked.
    void checkpoint() const;
    /// Clears cancel and done for a new run; stop_all stays (a signal that came between runs still counts).
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

inline void run_control::checkpoint() const {
    if (is_cancelled()) throw cancelled_error();
    if (lock != nullptr) lock->yield_if_requested();
}

}  // namespace parlab
