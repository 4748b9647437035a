// counter: bounds, task values, and what each sync leaves in the counter under threads, threads-gil and one thread.
#include "workloads/counter.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "executor.hpp"
#include "run.hpp"
#include "run_builder.hpp"

namespace parlab {
namespace {

workload_params counter(const std::string& sync, const std::string& count = "4",
                        const std::string& increments = "200000") {
    return parse_params("counter", {{"count", count}, {"increments", increments}, {"sync", sync}});
}

run_result run_in(const workload_params& params, const std::string& mode, unsigned workers,
                  const executor_options& options = {}) {
    run_control control;
    auto exec = make_portable_executor(mode, workers, options);
    return run_workload(params, *exec, control);
}

std::string error_of(const std::map<std::string, std::string>& values) {
    try {
        static_cast<void>(parse_params("counter", values));
    } catch (const invalid_argument_error& e) {
        return e.what();
    }
    return "";
}

TEST(Counter, ParametersAndTasks) {
    const auto defaults = parse_params("counter", {});
    EXPECT_EQ(defaults.get_int("count"), 4);
    EXPECT_EQ(defaults.get_int("increments"), 2'000'000);
    EXPECT_EQ(defaults.get_choice("sync"), "none");
    EXPECT_EQ(defaults.get_int("shared"), 0);
    EXPECT_EQ(get_task_count(counter("mutex", "7")), 7);
    const auto work = make_workload(counter("atomic", "3", "10"));
    ASSERT_EQ(work->get_task_count(), 3U);
    EXPECT_EQ(work->describe(2), "add 1 to the counter 10 times (sync atomic, task 3)");
    EXPECT_EQ(work->get_counter_value(), std::optional<std::uint64_t>(0));
    EXPECT_EQ(work->compute(0, run_control{}), 10U);  // a task's value is its increments, in every mode
    EXPECT_EQ(work->get_counter_value(), std::optional<std::uint64_t>(10));
    EXPECT_THROW(static_cast<void>(work->compute(3, run_control{})), std::out_of_range);
    EXPECT_EQ(make_workload(parse_params("primes", {}))->get_counter_value(), std::nullopt);
    // With a task set to crash, the counter is still the counter's (the crash wrapper passes it through).
    const auto crashing = make_workload(parse_params("counter", {{"count", "2"}, {"increments", "5"}, {"crash_task", "1"}}));
    EXPECT_EQ(crashing->compute(0, run_control{}), 5U);
    EXPECT_EQ(crashing->get_counter_value(), std::optional<std::uint64_t>(5));
}

TEST(Counter, BadValuesNameTheParameterAndItsBounds) {
    EXPECT_NE(error_of({{"sync", "spin"}}).find("sync"), std::string::npos);
    EXPECT_NE(error_of({{"sync", "spin"}}).find("none, atomic, mutex, local"), std::string::npos);
    EXPECT_NE(error_of({{"increments", "0"}}).find("between 1 and 100000000"), std::string::npos);
    EXPECT_NE(error_of({{"count", "1025"}}).find("between 1 and 1024"), std::string::npos);
    EXPECT_NE(error_of({{"shared", "2"}}).find("between 0 and 1"), std::string::npos);
    EXPECT_EQ(error_of({{"shared", "1"}}), "");  // natively memory can be shared with forked processes
}

TEST(Counter, OneThreadLosesNothingWhateverTheSync) {
    for (const char* sync : {"none", "atomic", "mutex", "local"}) {
        for (const auto& [mode, workers] : {std::pair{"sequential", 1U}, std::pair{"async", 3U}}) {
            const auto run = run_in(counter(sync), mode, workers);
            ASSERT_TRUE(run.ok && run.complete) << run.error;
            EXPECT_EQ(run.checksum, 4U * 200'000U);
            EXPECT_EQ(run.counter_value, std::optional<std::uint64_t>(4U * 200'000U)) << sync << " " << mode;
            EXPECT_EQ(run.lost_updates, std::optional<std::int64_t>(0)) << sync << " " << mode;
            ASSERT_TRUE(run.ns_per_increment.has_value());
            EXPECT_GT(*run.ns_per_increment, 0.0);
        }
    }
}

TEST(Counter, AtomicMutexAndLocalLoseNothingOnThreads) {
    for (const char* sync : {"atomic", "mutex", "local"}) {
        for (const char* mode : {"threads", "threads-gil"}) {
            const auto run = run_in(counter(sync, "8"), mode, 4);
            ASSERT_TRUE(run.ok && run.complete) << run.error;
            EXPECT_EQ(run.lost_updates, std::optional<std::int64_t>(0)) << sync << " " << mode;
            EXPECT_EQ(run.counter_value, std::optional<std::uint64_t>(8U * 200'000U));
        }
    }
}

TEST(Counter, UnsynchronisedThreadsLoseUpdates) {
    // A lost update needs two threads between one's load and its store: likely on any machine in a few runs of
    // millions of increments (preemption does it on one CPU), so the test looks for one in up to 20 runs.
    std::int64_t lost = 0;
    for (int attempt = 0; attempt < 20 && lost == 0; ++attempt) {
        const auto run = run_in(counter("none", "4", "2000000"), "threads", 2);
        ASSERT_TRUE(run.ok && run.complete) << run.error;
        ASSERT_TRUE(run.lost_updates && run.counter_value);
        EXPECT_EQ(*run.lost_updates, static_cast<std::int64_t>(run.checksum - *run.counter_value));
        EXPECT_GE(*run.lost_updates, 0);
        EXPECT_LT(*run.lost_updates, static_cast<std::int64_t>(run.checksum));  // the last store counts at least 1
        lost = *run.lost_updates;
    }
    EXPECT_GT(lost, 0);
}

TEST(Counter, TheSimulatedLockHandsOverBetweenLoadAndStore) {
    // A waiter asks for the lock after 0.1 ms; the holder hands it over at its next checkpoint, between a load and its
    // store, so the holder's next store overwrites what the other thread added meanwhile: updates are lost at every
    // hand-over while both tasks run. Both run only if the second worker starts before the first task ends, which a
    // loaded machine can delay past a whole task, so the test looks for a run with a hand-over in up to 20 runs, and
    // in that run the hand-over must have lost updates.
    executor_options options;
    options.switch_interval_ms = 0.1;
    bool handed_over = false;
    for (int attempt = 0; attempt < 20 && !handed_over; ++attempt) {
        const auto run = run_in(counter("none", "2", "2000000"), "threads-gil", 2, options);
        ASSERT_TRUE(run.ok && run.complete) << run.error;
        ASSERT_TRUE(run.lost_updates.has_value());
        for (const auto& task : run.tasks) handed_over = handed_over || task.held.size() > 1;
        if (handed_over) EXPECT_GT(*run.lost_updates, 0) << "the lock changed hands but no update was lost";
    }
    EXPECT_TRUE(handed_over) << "in 20 runs no task held the lock more than once";
}

TEST(Counter, ADriversRunTakesTheCounterItWasGivenAndOnlyForTheCounter) {
    run_timings timings;
    for (std::uint32_t i = 0; i < 4; ++i) {
        task_timing task;
        task.id = i;
        task.start_s = 0.1 * i;
        task.end_s = 0.1 * i + 0.05;
        task.value = 200'000;
        timings.tasks.push_back(task);
    }
    timings.wall_s = 0.5;
    timings.startup_s = 0.1;
    timings.counter_value = 0;  // a browser's process workers added to their own instances' counters
    const auto run = build_run(counter("atomic"), "processes", 2, timings);
    EXPECT_EQ(run.counter_value, std::optional<std::uint64_t>(0));
    EXPECT_EQ(run.lost_updates, std::optional<std::int64_t>(800'000));
    ASSERT_TRUE(run.ns_per_increment.has_value());
    EXPECT_DOUBLE_EQ(*run.ns_per_increment, 0.4 * 1e9 / 800'000);

    timings.error = "stopped";
    const auto failed = build_run(counter("atomic"), "processes", 2, timings);
    EXPECT_EQ(failed.counter_value, std::optional<std::uint64_t>(0));
    EXPECT_EQ(failed.lost_updates, std::nullopt) << "a failed run's count says nothing about lost updates";

    timings.error.clear();
    timings.tasks.resize(1);
    timings.tasks[0].value = 1;
    const auto primes = build_run(parse_params("primes", {{"inputs", "10"}}), "threads", 1, timings);
    EXPECT_EQ(primes.counter_value, std::nullopt);
    EXPECT_EQ(primes.lost_updates, std::nullopt);
}

}  // namespace
}  // namespace parlab
