// summary: repeats become medians with their spread, speed-ups come from the right baseline, fits per mode.
#include "summary.hpp"

#include <gtest/gtest.h>

namespace parlab {
namespace {

run_result timed(const std::string& mode, unsigned workers, double wall, bool ok = true) {
    run_result run;
    run.mode = mode;
    run.workers = workers;
    run.wall_s = wall;
    run.ok = ok;
    return run;
}

TEST(Summary, MedianOfOddAndEvenCounts) {
    EXPECT_DOUBLE_EQ(median({3.0, 1.0, 2.0}), 2.0);
    EXPECT_DOUBLE_EQ(median({4.0, 1.0, 2.0, 3.0}), 2.5);
    EXPECT_DOUBLE_EQ(median({}), 0.0);
}

TEST(Summary, GroupsRepeatsInOrderOfAppearanceWithMedianAndSpread) {
    const auto summary = summarize_sweep({timed("threads", 2, 1.0), timed("threads", 1, 9.0), timed("threads", 1, 2.0),
                                          timed("threads", 1, 1.0), timed("threads", 2, 3.0, false)});
    ASSERT_EQ(summary.points.size(), 2U);
    const auto& two = summary.points[0];
    EXPECT_EQ(two.mode, "threads");
    EXPECT_EQ(two.workers, 2U);
    EXPECT_EQ(two.runs, 1U);  // the failed run is not timed
    EXPECT_DOUBLE_EQ(*two.median_s, 1.0);
    const auto& one = summary.points[1];
    EXPECT_EQ(one.runs, 3U);
    EXPECT_DOUBLE_EQ(*one.median_s, 2.0);
    EXPECT_DOUBLE_EQ(*one.min_s, 1.0);
    EXPECT_DOUBLE_EQ(*one.max_s, 9.0);
    EXPECT_DOUBLE_EQ(*two.speedup, 2.0);
    EXPECT_DOUBLE_EQ(*two.efficiency, 1.0);
    EXPECT_FALSE(two.vs_sequential);  // no sequential run
}

TEST(Summary, SpeedUpNeedsTheModesOneWorkerRunAndVsSequentialTheSequentialRun) {
    const auto summary = summarize_sweep({timed("sequential", 1, 4.0), timed("processes", 2, 2.0),
                                          timed("async", 1, 1.0, false), timed("async", 2, 1.0)});
    ASSERT_EQ(summary.points.size(), 4U);
    EXPECT_FALSE(summary.points[1].speedup);
    EXPECT_DOUBLE_EQ(*summary.points[1].vs_sequential, 2.0);
    EXPECT_FALSE(summary.points[2].median_s);  // every run failed: no time, no ratio
    EXPECT_FALSE(summary.points[2].vs_sequential);
    EXPECT_FALSE(summary.points[3].speedup);
    EXPECT_TRUE(summary.fits.empty());  // no mode has two timed worker counts
}

TEST(Summary, FitsEachModeWithTwoOrMoreTimedWorkerCounts) {
    const auto summary = summarize_sweep({timed("threads", 1, 1.0), timed("threads", 2, 0.6), timed("sequential", 1, 1.0),
                                          timed("processes", 2, 0.5), timed("processes", 4, 0.3)});
    ASSERT_EQ(summary.fits.size(), 2U);
    EXPECT_EQ(summary.fits[0].mode, "threads");
    ASSERT_TRUE(summary.fits[0].fit.ok);
    EXPECT_NEAR(summary.fits[0].fit.serial_fraction, 0.2, 1e-9);
    EXPECT_EQ(summary.fits[1].mode, "processes");
    EXPECT_FALSE(summary.fits[1].fit.ok);  // no 1-worker time to measure speed-ups against
}

}  // namespace
}  // namespace parlab

namespace parlab {
namespace {

run_result sequential_with_tasks(const std::vector<double>& durations) {
    run_result run = timed("sequential", 1, 0);
    double at = 0;
    for (std::size_t i = 0; i < durations.size(); ++i) {
        task_record task;
        task.id = static_cast<std::uint32_t>(i);
        task.start_s = at;
        task.end_s = at += durations[i];
        run.tasks.push_back(task);
    }
    run.wall_s = at;
    return run;
}

TEST(Summary, CriticalPathIsTotalOverLongestTaskFromTheSequentialMedians) {
    // Three repeats: task 1's median is 0.5 s, so total 0.25 + 0.5 + 0.25 = 1.0 s over 0.5 s: 2x.
    const auto summary = summarize_sweep({sequential_with_tasks({0.25, 0.5, 0.25}),
                                          sequential_with_tasks({0.25, 1.0, 0.25}),
                                          sequential_with_tasks({0.25, 0.375, 0.25}), timed("threads", 3, 0.5)});
    ASSERT_TRUE(summary.critical_path);
    EXPECT_DOUBLE_EQ(summary.critical_path->limit, 2.0);
    ASSERT_EQ(summary.critical_path->shares.size(), 3U);
    EXPECT_DOUBLE_EQ(summary.critical_path->shares[1], 0.5);
    EXPECT_TRUE(summary.critical_path->binds);  // 2x < 0.9 x 3 tasks, and below the 3 workers run
}

TEST(Summary, CriticalPathOfEqualTasksDoesNotBindAndNeedsASequentialRun) {
    const auto equal = summarize_sweep({sequential_with_tasks({0.25, 0.25, 0.25, 0.25}), timed("threads", 2, 0.5)});
    ASSERT_TRUE(equal.critical_path);
    EXPECT_DOUBLE_EQ(equal.critical_path->limit, 4.0);
    EXPECT_FALSE(equal.critical_path->binds);
    EXPECT_FALSE(summarize_sweep({timed("threads", 1, 1.0), timed("threads", 2, 0.5)}).critical_path);
}

}  // namespace
}  // namespace parlab
