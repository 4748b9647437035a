// deadlock: opposite lock orders deadlock on two threads and are named; consistent orders and one-at-a-time modes finish.
#include "workloads/deadlock.hpp"

#include <gtest/gtest.h>

#include <thread>  // std::thread

#include <nlohmann/json.hpp>

#include "executor.hpp"
#include "report.hpp"
#include "run.hpp"

namespace parlab {
namespace {

constexpr const char* two_worker_deadlock = "deadlock: worker 0 holds A, waits for B; worker 1 holds B, waits for A";

/// Whether the error names the two-worker deadlock; which worker ran which task (and so took A first) is the pool's
/// choice, so worker 0 may hold either lock.
bool names_two_worker_deadlock(const std::string& error) {
    return error.find(two_worker_deadlock) != std::string::npos ||
           error.find("deadlock: worker 0 holds B, waits for A; worker 1 holds A, waits for B") != std::string::npos;
}

workload_params deadlock_params(const std::string& order, const std::string& hold_ms = "300",
                                const std::string& rounds = "1") {
    return parse_params("deadlock", {{"lock_order", order}, {"hold_ms", hold_ms}, {"rounds", rounds}});
}

TEST(Deadlock, TasksNameTheirLockOrderAndCountTwoPerRound) {
    const deadlock_workload opposite(true, 1, 3);
    EXPECT_EQ(opposite.get_task_count(), 6U);
    EXPECT_EQ(opposite.describe(0), "task 1: A then B");
    EXPECT_EQ(opposite.describe(1), "task 2: B then A");
    const deadlock_workload consistent(false, 1, 1);
    EXPECT_EQ(consistent.describe(1), "task 2: A then B");
    EXPECT_EQ(get_task_count(deadlock_params("opposite", "50", "7")), 14);
}

TEST(Deadlock, OneTaskAtATimeTakesBothLocksAndFreesThem) {
    const deadlock_workload work(true, 1, 1);
    const run_control control;
    EXPECT_EQ(work.compute(0, control), 2U);
    EXPECT_EQ(work.compute(1, control), 2U);
}

TEST(Deadlock, OppositeOrdersOnTwoThreadsEndWithOneLineNamingBothWorkersAndLocks) {
    run_control control;
    const auto run = run_workload(deadlock_params("opposite"), *make_portable_executor("threads", 2), control);
    EXPECT_FALSE(run.ok);
    EXPECT_TRUE(names_two_worker_deadlock(run.error)) << run.error;
    EXPECT_EQ(run.error.find('\n'), std::string::npos);
    EXPECT_TRUE(run.tasks.empty());
}

TEST(Deadlock, ADeadlockedRunKeepsEachWorkersHoldAndWaitUntilTheEnd) {
    run_control control;
    const auto run = run_workload(deadlock_params("opposite"), *make_portable_executor("threads", 2), control);
    ASSERT_FALSE(run.ok);
    // Each worker held its first lock, then waited for the other's until the deadlock was named: four stretches.
    ASSERT_EQ(run.lock_stretches.size(), 4U);
    for (const unsigned worker : {0U, 1U}) {
        std::optional<lock_stretch> held;
        std::optional<lock_stretch> waited;
        for (const auto& s : run.lock_stretches) {
            if (s.worker != worker) continue;
            (s.held ? held : waited) = s;
        }
        ASSERT_TRUE(held && waited) << "worker " << worker;
        EXPECT_NE(held->lock, waited->lock) << "worker " << worker << " waits for the lock it does not hold";
        EXPECT_LE(held->from_s, waited->from_s) << "worker " << worker;
        EXPECT_LE(waited->from_s, waited->to_s);
        EXPECT_LE(waited->to_s, held->to_s + 1e-6) << "the hold ends as the run unwinds, after the wait";
        EXPECT_LE(held->to_s, run.wall_s + 1e-6);
        // The wait lasted at least the detection bound before the deadlock was named.
        EXPECT_GE(waited->to_s - waited->from_s, std::chrono::duration<double>(deadlock_bound).count() - 1e-3);
    }
    const auto json = run_to_json_value(run);
    ASSERT_TRUE(json.contains("locks"));
    EXPECT_EQ(json["locks"].size(), 4U);
    EXPECT_EQ(json["locks"][0]["state"], "held");
}

TEST(Deadlock, InOneOrderAHoldNeverOverlapsAnotherOfTheSameLock) {
    run_control control;
    const auto run = run_workload(deadlock_params("consistent", "20", "3"), *make_portable_executor("threads", 2), control);
    ASSERT_TRUE(run.ok) << run.error;
    std::size_t holds = 0;
    for (const auto& a : run.lock_stretches) {
        if (!a.held) continue;
        ++holds;
        for (const auto& b : run.lock_stretches)
            if (&a != &b && b.held && a.lock == b.lock)
                EXPECT_TRUE(a.to_s <= b.from_s + 1e-6 || b.to_s <= a.from_s + 1e-6)
                    << "lock " << a.lock << " held by workers " << a.worker << " and " << b.worker << " at once";
    }
    EXPECT_EQ(holds, 12U) << "6 tasks, each held both locks once";
    // A workload without lab locks has none to show.
    EXPECT_TRUE(run_workload(parse_params("primes", {{"inputs", "100"}}), *make_portable_executor("threads", 1), control)
                    .lock_stretches.empty());
}

TEST(Deadlock, UnderTheInterpreterLockWaitersReleaseItAndTheDeadlockIsNamed) {
    // Were the simulated interpreter lock kept while waiting, the second task could never take its first lock.
    run_control control;
    const auto run = run_workload(deadlock_params("opposite"), *make_portable_executor("threads-gil", 2), control);
    EXPECT_FALSE(run.ok);
    EXPECT_TRUE(names_two_worker_deadlock(run.error)) << run.error;
}

TEST(Deadlock, ConsistentOrderFinishesInEveryPortableMode) {
    for (const auto& [mode, workers] : std::vector<std::pair<std::string, unsigned>>{
             {"sequential", 1}, {"threads", 2}, {"threads", 4}, {"threads-gil", 2}, {"async", 2}}) {
        run_control control;
        const auto run = run_workload(deadlock_params("consistent", "20", "2"), *make_portable_executor(mode, workers),
                                      control);
        EXPECT_TRUE(run.ok) << mode << ": " << run.error;
        EXPECT_EQ(run.tasks.size(), 4U) << mode;
        EXPECT_EQ(run.checksum, 8U) << mode;
    }
}

TEST(Deadlock, OppositeOrderFinishesWhenOneTaskRunsAtATime) {
    for (const auto& [mode, workers] : std::vector<std::pair<std::string, unsigned>>{
             {"sequential", 1}, {"threads", 1}, {"async", 2}}) {
        run_control control;
        const auto run = run_workload(deadlock_params("opposite", "20"), *make_portable_executor(mode, workers),
                                      control);
        EXPECT_TRUE(run.ok) << mode << ": " << run.error;
        EXPECT_EQ(run.checksum, 4U) << mode;
    }
}

TEST(Deadlock, WorkersQueuedBehindTheCycleLeaveToo) {
    // Four workers, two rounds: workers 2 and 3 queue behind the cycle of 0 and 1; all four leave.
    run_control control;
    const auto params = deadlock_params("opposite", "300", "2");
    const auto run = run_workload(params, *make_portable_executor("threads", 4), control);
    EXPECT_FALSE(run.ok);
    EXPECT_NE(run.error.find("deadlock: worker "), std::string::npos) << run.error;
    EXPECT_TRUE(run.tasks.empty());
}

TEST(LabLocks, ACycleIsReportedOnceEveryWaiterWaitedPastTheBoundAndTheOthersLeaveCancelled) {
    lab_locks locks({"A", "B"});
    const run_control control;
    locks.acquire(0, 0, control);
    locks.acquire(1, 1, control);
    std::string reported;
    int cancelled = 0;
    auto wait_for = [&](std::size_t index, unsigned worker) {
        try {
            locks.acquire(index, worker, control);
        } catch (const deadlock_error& e) {
            reported = e.what();
        } catch (const cancelled_error&) {
            ++cancelled;
        }
        locks.release(1 - index, worker);
    };
    std::thread first(wait_for, 1, 0);
    std::thread second(wait_for, 0, 1);
    first.join();
    second.join();
    EXPECT_EQ(reported, two_worker_deadlock);
    EXPECT_EQ(cancelled, 1);
    EXPECT_FALSE(locks.get_holder(0));
    EXPECT_FALSE(locks.get_holder(1));
    locks.acquire(1, 0, control);  // a reported deadlock is forgotten once the locks are idle
    EXPECT_EQ(locks.get_holder(1), 0U);
    locks.release(1, 0);
}

TEST(LabLocks, AWaiterLeavesOnCancelAndReleasingALockNotHeldIsAnError) {
    lab_locks locks({"A"});
    run_control control;
    locks.acquire(0, 0, control);
    std::thread waiter([&] { EXPECT_THROW(locks.acquire(0, 1, control), cancelled_error); });
    control.cancel.store(1);
    waiter.join();
    EXPECT_THROW(locks.release(0, 1), std::logic_error);
    locks.release(0, 0);
}

}  // namespace
}  // namespace parlab
