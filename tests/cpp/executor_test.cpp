// Portable executors through run_workload: checksums agree across modes, every task once, records consistent.
#include "run.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

namespace parlab {
namespace {

workload_params chunked_primes(int n, int chunks) {
    return parse_params("primes", {{"shape", "chunked"}, {"n", std::to_string(n)}, {"chunks", std::to_string(chunks)}});
}

void expect_every_task_once(const run_result& run) {
    ASSERT_EQ(run.tasks.size(), run.task_count);
    for (std::size_t i = 0; i < run.tasks.size(); ++i) EXPECT_EQ(run.tasks[i].id, i);
}

void expect_consistent_records(const run_result& run) {
    for (const auto& t : run.tasks) {
        EXPECT_LT(t.worker, run.workers);
        EXPECT_GE(t.start_s, 0.0);
        EXPECT_LE(t.start_s, t.end_s);
        EXPECT_LE(t.end_s, run.wall_s);
        EXPECT_GE(t.wait_s, 0.0);
        EXPECT_LE(t.wait_s, t.end_s - t.start_s + 1e-9);
    }
}

/// Runs `count` downloads of 20 ms on `workers` workers of `mode` and cancels the run once `after` are done.
run_result run_cancelled_after(const std::string& mode, unsigned workers, int count, std::int32_t after) {
    run_control control;
    auto exec = make_portable_executor(mode, workers);
    const auto params =
        parse_params("download", {{"count", std::to_string(count)}, {"latency_ms", "20"}, {"work_kib", "0"}});
    std::thread stopper([&] {
        while (control.done.load() < after) std::this_thread::yield();
        control.cancel.store(1);
    });
    auto run = run_workload(params, *exec, control);
    stopper.join();
    return run;
}

TEST(Executors, ChecksumsAgreeAcrossModesAndWorkerCounts) {
    const auto params = chunked_primes(300000, 32);
    run_control control;
    auto sequential = make_portable_executor("sequential", 1);
    const auto base = run_workload(params, *sequential, control);
    EXPECT_TRUE(base.ok);
    EXPECT_TRUE(base.complete);
    expect_every_task_once(base);
    for (const unsigned workers : {1U, 2U, 4U, 7U}) {
        auto threads = make_portable_executor("threads", workers);
        const auto run = run_workload(params, *threads, control);
        EXPECT_EQ(run.checksum, base.checksum) << workers;
        EXPECT_EQ(run.workers, workers);
        expect_every_task_once(run);
        expect_consistent_records(run);
    }
}

TEST(Executors, ThreadsRunOnDistinctThreadsOfOneProcess) {
    run_control control;
    auto threads = make_portable_executor("threads", 3);
    const auto run = run_workload(chunked_primes(200000, 60), *threads, control);
    std::set<std::uint64_t> thread_ids;
    std::map<unsigned, std::uint64_t> thread_of_worker;
    for (const auto& t : run.tasks) {
        EXPECT_EQ(t.pid, run.tasks.front().pid);
        thread_ids.insert(t.thread);
        const auto [it, inserted] = thread_of_worker.emplace(t.worker, t.thread);
        EXPECT_EQ(it->second, t.thread) << "worker " << t.worker << " changed thread";
    }
    EXPECT_LE(thread_ids.size(), 3U);
}

TEST(Executors, SequentialTasksDoNotOverlapAndRunInOrder) {
    run_control control;
    auto sequential = make_portable_executor("sequential", 1);
    const auto run = run_workload(parse_params("factorials", {{"repeat", "20"}}), *sequential, control);
    expect_every_task_once(run);
    for (std::size_t i = 1; i < run.tasks.size(); ++i) EXPECT_LE(run.tasks[i - 1].end_s, run.tasks[i].start_s);
}

TEST(Executors, DownloadWaitsAreRecordedAndOverlapInThreads) {
    run_control control;
    auto threads = make_portable_executor("threads", 4);
    const auto params = parse_params("download", {{"count", "4"}, {"latency_ms", "30"}, {"work_kib", "1"}});
    const auto run = run_workload(params, *threads, control);
    expect_every_task_once(run);
    for (const auto& t : run.tasks) {
        EXPECT_GE(t.wait_s, 0.030 - 1e-3);
        EXPECT_EQ(t.phase, "download");
    }
    auto sequential = make_portable_executor("sequential", 1);
    EXPECT_EQ(run_workload(params, *sequential, control).checksum, run.checksum);
}

TEST(Executors, CancelledRunIsIncompleteAndKeepsFinishedTasks) {
    const auto run = run_cancelled_after("threads", 2, 200, 4);
    EXPECT_TRUE(run.ok);
    EXPECT_FALSE(run.complete);
    EXPECT_GE(run.tasks.size(), 4U);
    EXPECT_LT(run.tasks.size(), 200U);
}

TEST(Executors, RejectsBadModesAndWorkerCounts) {
    EXPECT_THROW(static_cast<void>(make_portable_executor("fibers", 1)), invalid_argument_error);
    EXPECT_THROW(static_cast<void>(make_portable_executor("threads", 0)), invalid_argument_error);
    EXPECT_THROW(static_cast<void>(make_portable_executor("threads", max_workers + 1)), invalid_argument_error);
    EXPECT_THROW(static_cast<void>(make_portable_executor("sequential", 2)), invalid_argument_error);
    try {
        static_cast<void>(make_portable_executor("threads", 0));
        ADD_FAILURE() << "0 workers accepted";
    } catch (const invalid_argument_error& e) {
        EXPECT_EQ(e.parameter(), "workers");
        EXPECT_EQ(e.bounds(), "1.." + std::to_string(max_workers));
        EXPECT_EQ(e.naming("--workers"), "--workers must be between 1 and " + std::to_string(max_workers) + " (got 0)");
    }
    try {
        static_cast<void>(make_portable_executor("fibers", 1));
        ADD_FAILURE() << "fibers accepted";
    } catch (const invalid_argument_error& e) {
        EXPECT_EQ(e.parameter(), "mode");
        EXPECT_EQ(e.bounds(), "one of sequential, threads, threads-gil, async, processes");
    }
}

}  // namespace
}  // namespace parlab

namespace parlab {
namespace {

bool overlap(double a_from, double a_to, double b_from, double b_to) { return a_from < b_to && b_from < a_to; }

TEST(ThreadsGil, OneThreadComputesAtATimeAndChecksumsStillAgree) {
    run_control control;
    const auto params = chunked_primes(400000, 16);
    auto gil = make_portable_executor("threads-gil", 3, executor_options{1.0});
    const auto run = run_workload(params, *gil, control);
    ASSERT_TRUE(run.ok) << run.error;
    expect_every_task_once(run);
    EXPECT_EQ(run.mode, "threads-gil");
    ASSERT_TRUE(run.switch_interval_ms.has_value());
    EXPECT_DOUBLE_EQ(*run.switch_interval_ms, 1.0);
    auto sequential = make_portable_executor("sequential", 1);
    EXPECT_EQ(run_workload(params, *sequential, control).checksum, run.checksum);
    for (const auto& t : run.tasks) {
        ASSERT_FALSE(t.held.empty()) << "task " << t.id << " computed without the lock";
        for (const auto& [from, to] : t.held) {
            EXPECT_LE(t.start_s, from);
            EXPECT_LE(to, t.end_s + 1e-9);
        }
    }
    for (const auto& a : run.tasks)
        for (const auto& b : run.tasks)
            if (a.id < b.id)
                for (const auto& [af, at] : a.held)
                    for (const auto& [bf, bt] : b.held)
                        EXPECT_FALSE(overlap(af, at, bf, bt)) << "tasks " << a.id << " and " << b.id << " both held it";
    EXPECT_FALSE(control.lock != nullptr) << "the run left a dangling lock pointer";
}

TEST(ThreadsGil, WaitsDoNotHoldTheLockSoTheyOverlap) {
    run_control control;
    auto gil = make_portable_executor("threads-gil", 4);
    const auto run =
        run_workload(parse_params("download", {{"count", "4"}, {"latency_ms", "40"}, {"work_kib", "1"}}), *gil, control);
    ASSERT_TRUE(run.ok) << run.error;
    ASSERT_EQ(run.tasks.size(), 4U);
    // With four threads every task starts at once; all four waits overlap one another.
    for (const auto& a : run.tasks)
        for (const auto& b : run.tasks)
            if (a.id < b.id) EXPECT_TRUE(overlap(a.start_s, a.start_s + a.wait_s, b.start_s, b.start_s + b.wait_s));
}

TEST(Async, OneThreadOverlappingWaitsAndNoOverlappingComputations) {
    run_control control;
    auto loop = make_portable_executor("async", 4);
    const auto params = parse_params("download", {{"count", "12"}, {"latency_ms", "30"}, {"work_kib", "16"}});
    const auto run = run_workload(params, *loop, control);
    ASSERT_TRUE(run.ok) << run.error;
    expect_every_task_once(run);
    bool some_waits_overlap = false;
    for (const auto& a : run.tasks) {
        EXPECT_EQ(a.thread, run.tasks.front().thread) << "async runs every task on one thread";
        EXPECT_LT(a.worker, 4U);
        for (const auto& b : run.tasks) {
            if (a.id >= b.id) continue;
            EXPECT_FALSE(overlap(a.start_s + a.wait_s, a.end_s, b.start_s + b.wait_s, b.end_s))
                << "computations of tasks " << a.id << " and " << b.id << " overlap";
            some_waits_overlap =
                some_waits_overlap || overlap(a.start_s, a.start_s + a.wait_s, b.start_s, b.start_s + b.wait_s);
        }
    }
    EXPECT_TRUE(some_waits_overlap);
    auto sequential = make_portable_executor("sequential", 1);
    EXPECT_EQ(run_workload(params, *sequential, control).checksum, run.checksum);
}

TEST(Async, CpuBoundTasksRunOneAfterAnother) {
    run_control control;
    auto loop = make_portable_executor("async", 8);
    const auto run = run_workload(chunked_primes(100000, 10), *loop, control);
    ASSERT_TRUE(run.ok) << run.error;
    expect_every_task_once(run);
    for (std::size_t i = 1; i < run.tasks.size(); ++i)
        EXPECT_LE(run.tasks[i - 1].end_s, run.tasks[i].start_s + run.tasks[i].wait_s);
}

TEST(Async, StopsWhenCancelled) {
    const auto run = run_cancelled_after("async", 2, 300, 3);
    EXPECT_FALSE(run.complete);
    EXPECT_GE(run.tasks.size(), 3U);
}

TEST(Executors, RejectsASwitchIntervalOutOfBounds) {
    EXPECT_THROW(static_cast<void>(make_portable_executor("threads-gil", 2, executor_options{0.01})),
                 invalid_argument_error);
    EXPECT_THROW(static_cast<void>(make_portable_executor("threads-gil", 2, executor_options{5000})),
                 invalid_argument_error);
    try {
        static_cast<void>(make_portable_executor("threads-gil", 2, executor_options{5000}));
    } catch (const invalid_argument_error& e) {
        EXPECT_EQ(e.parameter(), "switch_interval_ms");
        EXPECT_EQ(e.bounds(), "0.1..1000");
    }
}

}  // namespace
}  // namespace parlab
