// A simulated interpreter lock, modelled on CPython's GIL: one thread computes at a time, waiters force a
// hand-over once a switch interval has passed, and waiting (I/O) releases it.
#pragma once

#include <atomic>              // std::atomic
#include <chrono>              // std::chrono::microseconds
#include <condition_variable>  // std::condition_variable
#include <cstdint>             // std::uint64_t
#include <mutex>               // std::mutex
#include <vector>              // std::vector

#include "platform.hpp"

namespace parlab {

/// One stretch of time during which a thread held the lock.
struct held_interval {
    platform::clock::time_point start;
    platform::clock::time_point end;
};

class interpreter_lock {
public:
    // ---- constructors ----

    /// switch_interval is CPython's sys.getswitchinterval() (5 ms by default): how long a waiter lets the
    /// holder run before it asks for the lock.
    explicit interpreter_lock(std::chrono::microseconds switch_interval);

    interpreter_lock(const interpreter_lock&) = delete;
    interpreter_lock& operator=(const interpreter_lock&) = delete;

    // ---- public members ----

    /// Blocks until the calling thread holds the lock. A thread that has waited a whole switch interval
    /// without any hand-over asks the holder to drop it (CPython's gil_drop_request).
    void acquire();

    /// Releases the lock, which the calling thread must hold; the stretch it held it is appended to the
    /// thread's interval sink, if one is set. If a waiter had asked, blocks until some thread took over
    /// (CPython's FORCE_SWITCHING), so the releasing thread cannot simply take it straight back.
    void release();

    /// Called by the holder at safe points of its computation (CPython's eval breaker): if a waiter asked
    /// for the lock, hands it over and then waits to get it back. Cheap (one relaxed load) otherwise.
    void yield_if_requested();

    /// Number of acquisitions so far (each hand-over is one).
    [[nodiscard]] std::uint64_t get_switch_count() const;

    /// Sets where this thread's held intervals are recorded (nullptr: nowhere). Per thread.
    static void set_interval_sink(std::vector<held_interval>* sink);

private:
    // ---- data ----

    const std::chrono::microseconds switch_interval_;
    mutable std::mutex state_mutex_;
    std::condition_variable lock_released_cv_;  // signalled when the lock becomes free
    std::condition_variable lock_taken_cv_;     // signalled when a thread takes the lock (for forced switches)
    bool locked_ = false;
    std::uint64_t switch_number_ = 0;      // incremented on every acquisition
    std::atomic<bool> drop_request_{false};
    platform::clock::time_point held_since_{};
};

}  // namespace parlab
