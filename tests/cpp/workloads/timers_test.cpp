// timers: bounds, tasks, and where each timer ran relative to the job: after it on an event loop, with the lock taken
// under threads-gil; late_s on every timer and nowhere else, in the JSON and the text report.
#include "workloads/timers.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "executor.hpp"
#include "report.hpp"
#include "run.hpp"
#include "run_builder.hpp"
#include "workloads/primes.hpp"

namespace parlab {
namespace {

// A job of primes up to 2,000,000 takes far longer than 1 ms on any machine, so timer 1 (due after 1 ms) falls due
// while it computes.
workload_params timers(const std::string& count = "3", const std::string& period_ms = "1") {
    return parse_params("timers", {{"timers", count}, {"period_ms", period_ms}, {"job_limit", "2000000"}});
}

run_result run_in(const workload_params& params, const std::string& mode, unsigned workers) {
    run_control control;
    auto exec = make_portable_executor(mode, workers, {});
    return run_workload(params, *exec, control);
}

std::string error_of(const std::map<std::string, std::string>& values) {
    try {
        static_cast<void>(parse_params("timers", values));
    } catch (const invalid_argument_error& e) {
        return e.what();
    }
    return "";
}

TEST(Timers, ParametersAndTasks) {
    const auto defaults = parse_params("timers", {});
    EXPECT_EQ(defaults.get_int("timers"), 10);
    EXPECT_EQ(defaults.get_int("period_ms"), 20);
    EXPECT_EQ(defaults.get_int("job_limit"), 2'000'000);
    EXPECT_EQ(get_task_count(timers("7")), 8);
    const auto work = make_workload(parse_params("timers", {{"timers", "2"}, {"period_ms", "30"}, {"job_limit", "100"}}));
    ASSERT_EQ(work->get_task_count(), 3U);
    EXPECT_EQ(work->get_wait_seconds(0), 0.0);
    EXPECT_DOUBLE_EQ(work->get_wait_seconds(2), 0.060);
    EXPECT_EQ(work->describe(0), "job: primes <= 100");
    EXPECT_EQ(work->describe(2), "timer 2 due after 60 ms");
    EXPECT_EQ(work->compute(0, run_control{}), sum_primes(2, 100, run_control{}));
    EXPECT_EQ(work->compute(1, run_control{}), 0U);
    EXPECT_THROW(static_cast<void>(work->compute(3, run_control{})), std::out_of_range);
}

TEST(Timers, BadValuesNameTheParameterAndItsBounds) {
    EXPECT_NE(error_of({{"timers", "0"}}).find("timers"), std::string::npos);
    EXPECT_NE(error_of({{"timers", "101"}}).find("between 1 and 100"), std::string::npos) << error_of({{"timers", "101"}});
    EXPECT_NE(error_of({{"period_ms", "0"}}).find("period_ms"), std::string::npos);
    EXPECT_NE(error_of({{"job_limit", "1"}}).find("job_limit"), std::string::npos);
}

TEST(Timers, OnAnEventLoopTimersDueDuringTheJobRunAfterIt) {
    const auto run = run_in(timers(), "async", 4);
    ASSERT_TRUE(run.ok && run.complete) << run.error;
    ASSERT_EQ(run.tasks.size(), 4U);
    const auto& job = run.tasks[0];
    EXPECT_FALSE(job.late_s) << "the job has no wait";
    std::size_t due_during_job = 0;
    for (std::size_t k = 1; k < run.tasks.size(); ++k) {
        const auto& timer = run.tasks[k];
        ASSERT_TRUE(timer.late_s) << "timer " << k;
        EXPECT_GE(*timer.late_s, 0.0);
        const double due = timer.start_s + 0.001 * static_cast<double>(k);
        if (due >= job.end_s) continue;
        ++due_during_job;
        // One thread computes one task at a time: a timer due while the job computed began only after the job ended.
        EXPECT_GE(timer.start_s + timer.wait_s, job.end_s - 1e-6) << "timer " << k;
        EXPECT_GE(due + *timer.late_s, job.end_s - 1e-6) << "timer " << k;
    }
    EXPECT_GE(due_during_job, 1U);
    ASSERT_TRUE(run.late_max_s && run.late_median_s);
    EXPECT_GE(*run.late_max_s, *run.late_median_s);
}

TEST(Timers, UnderTheInterpreterLockATimerRunsOnlyWithTheLock) {
    const auto run = run_in(timers(), "threads-gil", 4);
    ASSERT_TRUE(run.ok && run.complete) << run.error;
    for (std::size_t k = 1; k < run.tasks.size(); ++k) {
        const auto& timer = run.tasks[k];
        ASSERT_TRUE(timer.late_s) << "timer " << k;
        ASSERT_FALSE(timer.held.empty()) << "timer " << k << " computed without the lock";
        const double due = timer.start_s + 0.001 * static_cast<double>(k);
        // late_s is measured once the lock is held: the timer began no earlier than it took the lock.
        EXPECT_GE(due + *timer.late_s, timer.held.front().first - 1e-6) << "timer " << k;
    }
}

TEST(Timers, EveryModeGivesTheSameChecksumAndLatenessOnTimersOnly) {
    const auto params = timers();
    const auto expected = sum_primes(2, 2'000'000, run_control{});
    for (const auto& [mode, workers] : std::map<std::string, unsigned>{
             {"sequential", 1}, {"threads", 4}, {"threads-gil", 4}, {"async", 4}}) {
        const auto run = run_in(params, mode, workers);
        ASSERT_TRUE(run.ok && run.complete) << mode << ": " << run.error;
        EXPECT_EQ(run.checksum, expected) << mode;
        const auto json = run_to_json_value(run);
        EXPECT_FALSE(json["tasks"][0].contains("late_s")) << mode;
        for (std::size_t k = 1; k < 4; ++k) EXPECT_TRUE(json["tasks"][k].contains("late_s")) << mode << " timer " << k;
        EXPECT_TRUE(json.contains("late_max_s")) << mode;
        EXPECT_NE(run_to_text(run).find("  late  "), std::string::npos) << mode;
    }
    // A run of tasks without waits has no lateness at all.
    const auto primes = run_in(parse_params("primes", {{"inputs", "1000"}}), "threads", 1);
    EXPECT_FALSE(primes.late_max_s);
    EXPECT_FALSE(run_to_json_value(primes).contains("late_max_s"));
}

TEST(Timers, ADriversTimingsGiveLatenessFromTheWaitBeyondTheOneAsked) {
    run_timings timings;
    timings.wall_s = 0.5;
    const auto timed = [](std::uint32_t id, double start, double end, double wait) {
        task_timing task;
        task.id = id;
        task.start_s = start;
        task.end_s = end;
        task.wait_s = wait;
        return task;
    };
    // Timer 1 asked 1 ms and waited 400 ms (the job held the loop); timer 2 asked 2 ms and waited 2 ms.
    timings.tasks = {timed(0, 0, 0.4, 0), timed(1, 0, 0.4, 0.4), timed(2, 0, 0.002, 0.002)};
    const auto run = build_run(timers("2"), "async", 3, timings);
    EXPECT_FALSE(run.tasks[0].late_s);
    ASSERT_TRUE(run.tasks[1].late_s && run.tasks[2].late_s);
    EXPECT_NEAR(*run.tasks[1].late_s, 0.399, 1e-9);
    EXPECT_NEAR(*run.tasks[2].late_s, 0.0, 1e-9);
    EXPECT_NEAR(*run.late_max_s, 0.399, 1e-9);
}

}  // namespace
}  // namespace parlab
