// counter in the process pool: each worker process adds to its own copy, unless the counter is in shared memory.
#include <gtest/gtest.h>

#include <string>

#include "process_pool.hpp"
#include "run.hpp"

namespace parlab {
namespace {

run_result run_processes(const std::string& sync, const std::string& shared, const std::string& increments = "200000") {
    run_control control;
    process_pool_executor pool(2);
    return run_workload(
        parse_params("counter", {{"count", "4"}, {"increments", increments}, {"sync", sync}, {"shared", shared}}), pool,
        control);
}

TEST(CounterProcesses, PrivateCopiesLeaveTheParentsCounterUntouched) {
    for (const char* sync : {"none", "atomic", "mutex", "local"}) {
        const auto run = run_processes(sync, "0");
        ASSERT_TRUE(run.ok && run.complete) << run.error;
        EXPECT_EQ(run.checksum, 800'000U) << "every task made its increments, in its own process";
        EXPECT_EQ(run.counter_value, std::optional<std::uint64_t>(0)) << sync;
        EXPECT_EQ(run.lost_updates, std::optional<std::int64_t>(800'000)) << sync;
    }
}

TEST(CounterProcesses, SharedMemorySynchronisedLosesNothing) {
    for (const char* sync : {"atomic", "mutex", "local"}) {
        const auto run = run_processes(sync, "1");
        ASSERT_TRUE(run.ok && run.complete) << run.error;
        EXPECT_EQ(run.counter_value, std::optional<std::uint64_t>(800'000)) << sync;
        EXPECT_EQ(run.lost_updates, std::optional<std::int64_t>(0)) << sync;
    }
}

TEST(CounterProcesses, SharedMemoryUnsynchronisedRacesLikeThreads) {
    std::int64_t lost = 0;  // as for threads: look for a lost update in up to 20 runs
    for (int attempt = 0; attempt < 20 && lost == 0; ++attempt) {
        const auto run = run_processes("none", "1", "2000000");
        ASSERT_TRUE(run.ok && run.complete) << run.error;
        ASSERT_TRUE(run.counter_value && run.lost_updates);
        EXPECT_GT(*run.counter_value, 0U) << "the workers' stores reached the parent's memory";
        EXPECT_GE(*run.lost_updates, 0);
        lost = *run.lost_updates;
    }
    EXPECT_GT(lost, 0);
}

}  // namespace
}  // namespace parlab
