// workload: make_workload builds every workload, and the crash option fails one task the same way in every mode.
#include "workload.hpp"

#include <gtest/gtest.h>

#include <csignal>  // SIGABRT

#include "executor.hpp"
#include "run.hpp"

namespace parlab {
namespace {

workload_params crashing(const std::string& how) {
    return parse_params("factorials", {{"repeat", "20"}, {"crash_task", "7"}, {"crash_how", how}});
}

TEST(Workload, TaskCountMatchesTheParameters) {
    for (const auto& name : get_workload_names()) {
        const auto params = parse_params(std::string(name), {});
        EXPECT_EQ(static_cast<std::int64_t>(make_workload(params)->get_task_count()), get_task_count(params)) << name;
    }
}

TEST(Workload, CrashThrowFailsTheRunWithTheTaskIdInEveryPortableMode) {
    run_control control;
    for (const auto& [mode, workers] : {std::pair<std::string, unsigned>{"sequential", 1}, {"threads", 3}}) {
        auto exec = make_portable_executor(mode, workers);
        const auto run = run_workload(crashing("throw"), *exec, control);
        EXPECT_FALSE(run.ok) << mode;
        EXPECT_EQ(run.error.rfind("task 7 (", 0), 0U) << run.error;
        EXPECT_NE(run.error.find("crashed on purpose (crash_how=throw)"), std::string::npos) << run.error;
        EXPECT_FALSE(run.complete);
        for (const auto& task : run.tasks) EXPECT_NE(task.id, 7U);
    }
}

TEST(Workload, OtherTasksComputeAsWithoutTheCrashOption) {
    const run_control control;
    const auto plain = make_workload(parse_params("factorials", {{"repeat", "20"}}));
    const auto crash = make_workload(crashing("abort"));
    EXPECT_EQ(crash->get_task_count(), plain->get_task_count());
    EXPECT_EQ(crash->compute(6, control), plain->compute(6, control));
    EXPECT_EQ(crash->describe(7), plain->describe(7));
}

// In one process (sequential, threads) abort and exit take the whole program down: the lesson of the option.
TEST(WorkloadDeathTest, CrashAbortAndExitEndTheWholeProcessInThreadsMode) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    run_control control;
    EXPECT_EXIT(
        {
            auto exec = make_portable_executor("threads", 2);
            static_cast<void>(run_workload(crashing("abort"), *exec, control));
        },
        ::testing::KilledBySignal(SIGABRT), "");
    EXPECT_EXIT(
        {
            auto exec = make_portable_executor("threads", 2);
            static_cast<void>(run_workload(crashing("exit"), *exec, control));
        },
        ::testing::ExitedWithCode(3), "");
}

}  // namespace
}  // namespace parlab

namespace parlab {
namespace {

TEST(Workload, WithoutFilesATaskOpensNoneAndPreparingItDoesNothing) {
    const auto work = make_workload(parse_params("factorials", {{"repeat", "2"}}));
    EXPECT_TRUE(work->get_task_files(0).empty());
    work->prepare_task(0);
    const auto again = make_workload(parse_params("factorials", {{"repeat", "2"}}));
    EXPECT_EQ(work->compute(0, run_control{}), again->compute(0, run_control{}));
}

// A workload knows the parameters make_workload built it from (the mpi executor sends them to the other ranks),
// crash wrapper included.
TEST(Workload, KnowsTheParametersItWasBuiltFrom) {
    for (const auto& params : {parse_params("primes", {{"inputs", "1000,2000"}}),
                               parse_params("primes", {{"inputs", "1000,2000"}, {"crash_task", "1"}})}) {
        const auto work = make_workload(params);
        ASSERT_NE(work->get_params(), nullptr);
        EXPECT_EQ(work->get_params()->values, params.values);
    }
}

}  // namespace
}  // namespace parlab
