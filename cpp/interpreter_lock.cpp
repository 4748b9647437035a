// The interpreter lock's hand-over protocol, after CPython's Python/ceval_gil.h (take_gil, drop_gil).
#include "interpreter_lock.hpp"

namespace parlab {

namespace {
thread_local std::vector<held_interval>* interval_sink = nullptr;
}

interpreter_lock::interpreter_lock(std::chrono::microseconds switch_interval) : switch_interval_(switch_interval) {}

void interpreter_lock::acquire() {
    std::unique_lock lock(state_mutex_);
    while (locked_) {
        const std::uint64_t seen = switch_number_;
        const bool timed_out = !lock_released_cv_.wait_for(lock, switch_interval_, [this] { return !locked_; });
        // A whole interval passed and nobody else got the lock meanwhile: ask the holder to let go.
        if (timed_out && locked_ && switch_number_ == seen) drop_request_.store(true, std::memory_order_relaxed);
    }
    locked_ = true;
    ++switch_number_;
    held_since_ = platform::clock::now();
    drop_request_.store(false, std::memory_order_relaxed);
    lock_taken_cv_.notify_all();
}

void interpreter_lock::release() {
    std::unique_lock lock(state_mutex_);
    const bool forced = drop_request_.load(std::memory_order_relaxed);
    if (interval_sink != nullptr) interval_sink->push_back({held_since_, platform::clock::now()});
    locked_ = false;
    const std::uint64_t released_at = switch_number_;
    lock_released_cv_.notify_one();
    if (forced) lock_taken_cv_.wait(lock, [&] { return switch_number_ != released_at; });
}

void interpreter_lock::yield_if_requested() {
    if (!drop_request_.load(std::memory_order_relaxed)) return;
    release();
    acquire();
}

std::uint64_t interpreter_lock::get_switch_count() const {
    const std::scoped_lock lock(state_mutex_);
    return switch_number_;
}

void interpreter_lock::set_interval_sink(std::vector<held_interval>* sink) { interval_sink = sink; }

}  // namespace parlab
