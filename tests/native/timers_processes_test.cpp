// timers in the process pool: each timer's lateness comes back through the pipe with its record; the job has none.
#include <gtest/gtest.h>

#include "process_pool.hpp"
#include "run.hpp"

namespace parlab {
namespace {

TEST(TimersProcesses, LatenessTravelsWithEveryTimersRecord) {
    run_control control;
    process_pool_executor pool(4);
    const auto run = run_workload(
        parse_params("timers", {{"timers", "3"}, {"period_ms", "1"}, {"job_limit", "100000"}}), pool, control);
    ASSERT_TRUE(run.ok && run.complete) << run.error;
    ASSERT_EQ(run.tasks.size(), 4U);
    EXPECT_FALSE(run.tasks[0].late_s);
    for (std::size_t k = 1; k < 4; ++k) {
        ASSERT_TRUE(run.tasks[k].late_s) << "timer " << k;
        EXPECT_GE(*run.tasks[k].late_s, 0.0);
    }
    EXPECT_TRUE(run.late_max_s);
}

}  // namespace
}  // namespace parlab
