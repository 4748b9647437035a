// run_builder: a run from a driver's timings gets the workload's phase and memory rule, the checksum and totals
// run_workload computes, and refuses timings that cannot be (unknown mode, a task twice or out of range).
#include "run_builder.hpp"

#include <gtest/gtest.h>

#include "executor.hpp"
#include "report.hpp"
#include "run.hpp"

namespace parlab {
namespace {

task_timing timed(std::uint32_t id, std::uint32_t worker, double start, double end, double wait,
                  std::uint64_t value) {
    task_timing task;
    task.id = id;
    task.worker = worker;
    task.pid = worker + 1;
    task.thread = worker + 1;
    task.start_s = start;
    task.end_s = end;
    task.wait_s = wait;
    task.value = value;
    task.rss_kib = 2048;
    return task;
}

run_timings timings_of(std::vector<task_timing> tasks) {
    run_timings timings;
    timings.tasks = std::move(tasks);
    timings.wall_s = 1.0;
    timings.startup_s = 0.25;
    timings.started_at = "2026-12-02T16:00:00Z";
    timings.hardware_concurrency = 8;
    return timings;
}

workload_params gather_params() {
    return parse_params("cv", {{"phase", "gather"}, {"count", "3"}, {"latency_ms", "20"}, {"page_kpx", "40"}});
}

TEST(RunBuilder, GatherTasksAreWaitsWithMemoryAndTheirValuesSum) {
    const auto run = build_run(gather_params(), "processes", 2,
                               timings_of({timed(2, 1, 0.3, 0.6, 0.2, 18446744073709551615ULL),
                                           timed(0, 0, 0.25, 0.5, 0.2, 1), timed(1, 1, 0.26, 0.3, 0.02, 2)}));
    EXPECT_TRUE(run.ok);
    EXPECT_TRUE(run.complete);
    EXPECT_EQ(run.task_count, 3U);
    ASSERT_EQ(run.tasks.size(), 3U);
    for (std::uint32_t i = 0; i < 3; ++i) {
        EXPECT_EQ(run.tasks[i].id, i) << "sorted by id";
        EXPECT_EQ(run.tasks[i].phase, "gather") << "the workload's phase, not the driver's";
        EXPECT_EQ(run.tasks[i].rss_kib, 2048) << "cv records memory";
    }
    EXPECT_EQ(run.checksum, 2U) << "1 + 2 + (2^64 - 1) wraps to 2";
    EXPECT_NEAR(run.avg_task_s, (0.25 + 0.04 + 0.3) / 3, 1e-12);
    EXPECT_FALSE(run.cpu_s.has_value());
    EXPECT_EQ(run.hardware_concurrency, 8U);
    EXPECT_EQ(run.started_at, "2026-12-02T16:00:00Z");
    EXPECT_DOUBLE_EQ(run.startup_s, 0.25);
    const std::string json = run_to_json(run);
    EXPECT_NE(json.find("\"phase\":\"gather\""), std::string::npos) << json;
    EXPECT_NE(json.find("\"rss_kib\":2048"), std::string::npos) << json;
}

TEST(RunBuilder, MemoryOnlyWhereTheWorkloadRecordsItAndOneWorkerModesRunOne) {
    const auto params = parse_params("primes", {{"inputs", "10,20"}});
    const auto run = build_run(params, "sequential", 4, timings_of({timed(0, 0, 0, 0.1, 0, 17)}));
    EXPECT_EQ(run.workers, 1U) << "sequential always reports one worker";
    ASSERT_EQ(run.tasks.size(), 1U);
    EXPECT_EQ(run.tasks[0].phase, "compute");
    EXPECT_FALSE(run.tasks[0].rss_kib.has_value());
    EXPECT_TRUE(run.ok);
    EXPECT_FALSE(run.complete) << "one task of two";
}

TEST(RunBuilder, TheSameTotalsAsRunWorkload) {
    const auto params = parse_params("primes", {{"inputs", "1000,2000,3000"}});
    const auto exec = make_portable_executor("sequential", 1, {});
    run_control control;
    const auto native = run_workload(params, *exec, control);
    std::vector<task_timing> tasks;
    for (const auto& t : native.tasks) tasks.push_back(timed(t.id, t.worker, t.start_s, t.end_s, t.wait_s, t.value));
    const auto built = build_run(params, "sequential", 1, timings_of(tasks));
    EXPECT_EQ(built.checksum, native.checksum);
    EXPECT_DOUBLE_EQ(built.avg_task_s, native.avg_task_s);
    EXPECT_EQ(built.complete, native.complete);
    EXPECT_EQ(params_to_json(built.params), params_to_json(native.params));
}

TEST(RunBuilder, AnErrorMakesTheRunFailedWithWhatFinished) {
    auto timings = timings_of({timed(0, 0, 0, 0.1, 0.05, 5)});
    timings.error = "process worker 2: boom";
    const auto run = build_run(gather_params(), "processes", 2, timings);
    EXPECT_FALSE(run.ok);
    EXPECT_FALSE(run.complete);
    EXPECT_EQ(run.error, "process worker 2: boom");
    EXPECT_EQ(run.checksum, 5U);
}

TEST(RunBuilder, RefusesTimingsThatCannotBe) {
    const auto params = gather_params();
    EXPECT_THROW(static_cast<void>(build_run(params, "fork", 1, timings_of({}))), invalid_argument_error);
    EXPECT_THROW(static_cast<void>(build_run(params, "processes", 0, timings_of({}))), invalid_argument_error);
    try {
        static_cast<void>(build_run(params, "processes", 2,
                                    timings_of({timed(1, 0, 0, 1, 0, 1), timed(1, 1, 0, 1, 0, 1)})));
        FAIL() << "a task given twice";
    } catch (const invalid_argument_error& e) {
        EXPECT_STREQ(e.what(), "timings: task 1 finished twice");
    }
    const auto refusal = [&](task_timing task) {
        try {
            static_cast<void>(build_run(params, "processes", 2, timings_of({std::move(task)})));
        } catch (const invalid_argument_error& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(refusal(timed(3, 0, 0, 1, 0, 1)), "timings: task 3 is out of range (the run has 3 tasks)");
    EXPECT_EQ(refusal(timed(0, 2, 0, 1, 0, 1)), "timings: task 0 ran on worker 2 of 2");
    EXPECT_EQ(refusal(timed(0, 0, 1, 0.5, 0, 1)), "timings: task 0 ends before it starts");
    EXPECT_EQ(refusal(timed(0, 0, 0, 1, 2, 1)), "timings: task 0 waits longer than it lasts, or less than nothing");
}

}  // namespace
}  // namespace parlab
