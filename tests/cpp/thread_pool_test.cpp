// thread_pool: every task runs once, on pool threads with valid indices; errors reach wait().
#include "thread_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <stdexcept>

namespace parlab {
namespace {

TEST(ThreadPool, RunsEveryTaskExactlyOnce) {
    constexpr int task_count = 1000;
    std::vector<std::atomic<int>> runs(task_count);
    {
        thread_pool pool(4);
        EXPECT_EQ(pool.get_thread_count(), 4U);
        for (int i = 0; i < task_count; ++i) pool.submit([&runs, i] { runs[i].fetch_add(1); });
        pool.wait();
    }
    for (int i = 0; i < task_count; ++i) EXPECT_EQ(runs[i].load(), 1) << i;
}

TEST(ThreadPool, WorkerIndexIsSetOnlyInsidePoolThreads) {
    EXPECT_FALSE(thread_pool::get_worker_index().has_value());
    std::mutex m;
    std::set<unsigned> seen;
    thread_pool pool(3);
    for (int i = 0; i < 300; ++i)
        pool.submit([&] {
            const auto index = thread_pool::get_worker_index();
            ASSERT_TRUE(index.has_value());
            const std::scoped_lock lock(m);
            seen.insert(*index);
        });
    pool.wait();
    for (const unsigned index : seen) EXPECT_LT(index, 3U);
}

TEST(ThreadPool, FirstExceptionIsRethrownByWaitAndOtherTasksStillRun) {
    std::atomic<int> ran{0};
    thread_pool pool(2);
    pool.submit([] { throw std::runtime_error("boom"); });
    for (int i = 0; i < 10; ++i) pool.submit([&] { ran.fetch_add(1); });
    EXPECT_THROW(pool.wait(), std::runtime_error);
    EXPECT_EQ(ran.load(), 10);
    pool.wait();  // the error was handed over once
}

TEST(ThreadPool, DestructorWaitsForQueuedTasks) {
    std::atomic<int> ran{0};
    {
        thread_pool pool(1);
        for (int i = 0; i < 50; ++i) pool.submit([&] { ran.fetch_add(1); });
    }
    EXPECT_EQ(ran.load(), 50);
}

}  // namespace
}  // namespace parlab
