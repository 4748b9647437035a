// cv: the two phases' tasks, checksums equal in every mode (processes included), overlapping waits, memory, job.
#include "workloads/cv.hpp"

#include <gtest/gtest.h>

#include "process_pool.hpp"
#include "render.hpp"
#include "report.hpp"
#include "run.hpp"

namespace parlab {
namespace {

workload_params cv_params(const std::string& phase, const std::string& latency_ms = "0") {
    return parse_params("cv", {{"phase", phase}, {"count", "6"}, {"latency_ms", latency_ms}, {"page_kpx", "40"}});
}

TEST(Cv, ParametersHaveTheirDefaultsAndBounds) {
    const auto params = parse_params("cv", {});
    EXPECT_EQ(params.get_choice("phase"), "gather");
    EXPECT_EQ(params.get_int("count"), 10);
    EXPECT_DOUBLE_EQ(params.get_real("latency_ms"), 400);
    EXPECT_EQ(get_task_count(params), 10);
    EXPECT_THROW(static_cast<void>(parse_params("cv", {{"phase", "print"}})), invalid_argument_error);
    EXPECT_THROW(static_cast<void>(parse_params("cv", {{"count", "0"}})), invalid_argument_error);
    EXPECT_THROW(static_cast<void>(parse_params("cv", {{"count", "1001"}})), invalid_argument_error);
    EXPECT_THROW(static_cast<void>(parse_params("cv", {{"page_kpx", "9"}})), invalid_argument_error);
    EXPECT_THROW(static_cast<void>(parse_params("cv", {{"latency_ms", "10001"}})), invalid_argument_error);
    try {
        static_cast<void>(parse_params("cv", {{"page_kpx", "60000"}}));
        FAIL();
    } catch (const invalid_argument_error& e) {
        EXPECT_NE(std::string(e.what()).find("'page_kpx' must be an integer between 10 and 50000"), std::string::npos)
            << e.what();
    }
}

TEST(Cv, PhasesHaveOneTaskPerDocumentAndTheirLabels) {
    const auto gather = make_workload(cv_params("gather", "250"));
    const auto render = make_workload(cv_params("render", "250"));
    EXPECT_EQ(gather->get_task_count(), 6U);
    EXPECT_EQ(render->get_task_count(), 6U);
    EXPECT_EQ(gather->get_phase(), "gather");
    EXPECT_EQ(render->get_phase(), "render");
    EXPECT_DOUBLE_EQ(gather->get_wait_seconds(2), 0.25);
    EXPECT_DOUBLE_EQ(render->get_wait_seconds(2), 0.0);  // the latency applies to gather only
    EXPECT_TRUE(gather->records_memory());
    const run_control control;
    // gather's value is the photo's checksum, the same photo render derives from the seed.
    const auto photo = render::make_photo(1, 3);
    EXPECT_EQ(gather->compute(3, control), render::fnv1a64(photo.pixels.data(), photo.pixels.size()));
    EXPECT_NE(render->compute(3, control), render->compute(4, control));
    EXPECT_EQ(render->compute(3, control), render->compute(3, control));
}

TEST(Cv, RenderChecksumIsTheSameInEveryMode) {
    const auto params = cv_params("render");
    run_control control;
    auto sequential = make_native_executor("sequential", 1);
    const auto reference = run_workload(params, *sequential, control);
    ASSERT_TRUE(reference.ok && reference.complete) << reference.error;
    for (const auto& [mode, workers] : std::vector<std::pair<std::string, unsigned>>{
             {"threads", 3}, {"threads-gil", 3}, {"async", 2}, {"processes", 2}}) {
        auto exec = make_native_executor(mode, workers);
        const auto run = run_workload(params, *exec, control);
        ASSERT_TRUE(run.ok && run.complete) << mode << ": " << run.error;
        EXPECT_EQ(run.checksum, reference.checksum) << mode;
        ASSERT_EQ(run.tasks.size(), 6U);
        for (const auto& task : run.tasks) {
            EXPECT_EQ(task.phase, "render");
            ASSERT_TRUE(task.rss_kib.has_value()) << mode;  // processes: carried back over the pipe
            EXPECT_GT(*task.rss_kib, 0);
        }
    }
}

TEST(Cv, GatherWaitsOverlapUnderThreads) {
    const auto params = cv_params("gather", "200");
    run_control control;
    auto exec = make_native_executor("threads", 6);
    const auto run = run_workload(params, *exec, control);
    ASSERT_TRUE(run.ok && run.complete) << run.error;
    // Every task's wait overlaps every other's: each starts before any ends.
    double last_start = 0;
    double first_end = 1e9;
    for (const auto& task : run.tasks) {
        EXPECT_EQ(task.phase, "gather");
        EXPECT_GE(task.wait_s, 0.2);
        last_start = std::max(last_start, task.start_s);
        first_end = std::min(first_end, task.end_s);
    }
    EXPECT_LT(last_start, first_end);
}

TEST(Cv, OtherWorkloadsRecordNoMemoryAndJsonCarriesJobAndMemory) {
    run_control control;
    auto exec = make_native_executor("sequential", 1);
    auto primes = run_workload(parse_params("primes", {{"inputs", "1000"}}), *exec, control);
    EXPECT_FALSE(primes.tasks.at(0).rss_kib.has_value());
    EXPECT_EQ(run_to_json(primes).find("rss_kib"), std::string::npos);
    EXPECT_EQ(run_to_json(primes).find("\"job\""), std::string::npos);

    auto run = run_workload(cv_params("gather"), *exec, control);
    run.job = job_info{"cv-test", 1, 2};
    const std::string json = run_to_json(run);
    EXPECT_NE(json.find("\"job\":{\"id\":\"cv-test\",\"phase\":1,\"phases\":2}"), std::string::npos) << json;
    EXPECT_NE(json.find("\"rss_kib\":"), std::string::npos);
    EXPECT_NE(json.find("\"phase\":\"gather\""), std::string::npos);
}

}  // namespace
}  // namespace parlab
