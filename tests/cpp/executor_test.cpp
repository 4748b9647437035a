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
    run_control control;
    auto threads = make_portable_executor("threads", 2);
    const auto params = parse_params("download", {{"count", "200"}, {"latency_ms", "20"}, {"work_kib", "0"}});
    std::thread stopper([&] {
        while (control.done.load() < 4) std::this_thread::yield();
        control.cancel.store(1);
    });
    const auto run = run_workload(params, *threads, control);
    stopper.join();
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
}

}  // namespace
}  // namespace parlab
