// download: deterministic latencies within the jitter, deterministic payload checksums.
#include "workloads/download.hpp"

#include <gtest/gtest.h>

namespace parlab {
namespace {

TEST(Download, LatencyWithoutJitterIsExact) {
    const download_workload w(5, 400, 0, 1, 1);
    for (std::size_t i = 0; i < 5; ++i) EXPECT_DOUBLE_EQ(w.get_wait_seconds(i), 0.4);
}

TEST(Download, JitterStaysInBoundsAndDependsOnSeedAndTask) {
    const download_workload a(50, 100, 40, 7, 0);
    const download_workload b(50, 100, 40, 8, 0);
    bool any_differs = false;
    for (std::size_t i = 0; i < 50; ++i) {
        EXPECT_GE(a.get_wait_seconds(i), 0.060);
        EXPECT_LE(a.get_wait_seconds(i), 0.140);
        EXPECT_DOUBLE_EQ(a.get_wait_seconds(i), a.get_wait_seconds(i));
        any_differs = any_differs || a.get_wait_seconds(i) != b.get_wait_seconds(i);
    }
    EXPECT_TRUE(any_differs);
}

TEST(Download, PayloadChecksumIsDeterministicPerTask) {
    const download_workload w(3, 0, 0, 1, 64);
    const run_control control;
    EXPECT_EQ(w.compute(1, control), w.compute(1, control));
    EXPECT_NE(w.compute(0, control), w.compute(1, control));
    EXPECT_EQ(w.get_phase(), "download");
}

}  // namespace
}  // namespace parlab
