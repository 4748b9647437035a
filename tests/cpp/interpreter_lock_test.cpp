// interpreter_lock: one holder at a time, waiters force hand-overs, no deadlock when the holder never yields.
#include "interpreter_lock.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

namespace parlab {
namespace {

/// Busy work with safe points, holding the lock, as a CPU-bound Python thread would.
void compute_holding(interpreter_lock& lock, std::vector<held_interval>& sink, std::chrono::milliseconds work) {
    interpreter_lock::set_interval_sink(&sink);
    lock.acquire();
    const auto end = platform::clock::now() + work;
    while (platform::clock::now() < end) lock.yield_if_requested();
    lock.release();
    interpreter_lock::set_interval_sink(nullptr);
}

TEST(InterpreterLock, HeldIntervalsOfDifferentThreadsNeverOverlap) {
    interpreter_lock lock(std::chrono::microseconds(1000));
    std::vector<held_interval> a, b;
    std::thread ta([&] { compute_holding(lock, a, std::chrono::milliseconds(60)); });
    std::thread tb([&] { compute_holding(lock, b, std::chrono::milliseconds(60)); });
    ta.join();
    tb.join();
    ASSERT_FALSE(a.empty());
    ASSERT_FALSE(b.empty());
    for (const auto& x : a)
        for (const auto& y : b) EXPECT_TRUE(x.end <= y.start || y.end <= x.start) << "two holders at once";
    // A waiter asks after one interval, so 60 ms of work each cannot run in one stretch per thread.
    EXPECT_GE(a.size() + b.size(), 3U);
}

TEST(InterpreterLock, HolderThatNeverYieldsStillHandsOverWhenItReleases) {
    interpreter_lock lock(std::chrono::microseconds(500));
    lock.acquire();
    bool waiter_ran = false;
    std::thread waiter([&] {
        lock.acquire();
        waiter_ran = true;
        lock.release();
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // the waiter asks, nobody yields
    lock.release();  // forced: returns once the waiter has the lock
    waiter.join();
    EXPECT_TRUE(waiter_ran);
}

TEST(InterpreterLock, UncontendedYieldKeepsTheLock) {
    interpreter_lock lock(std::chrono::microseconds(100));
    std::vector<held_interval> sink;
    compute_holding(lock, sink, std::chrono::milliseconds(5));
    EXPECT_EQ(sink.size(), 1U);
    EXPECT_EQ(lock.get_switch_count(), 1U);
}

}  // namespace
}  // namespace parlab
