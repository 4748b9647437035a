// primes: known sums, chunking covers [2, n] exactly, cancellation.
#include "workloads/primes.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace parlab {
namespace {

TEST(Primes, IsPrimeAgreesWithSmallKnownList) {
    const std::vector<std::uint32_t> primes = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47};
    for (std::uint32_t x = 0; x < 50; ++x) {
        const bool expected = std::find(primes.begin(), primes.end(), x) != primes.end();
        EXPECT_EQ(is_prime(x), expected) << x;
    }
    EXPECT_TRUE(is_prime(99'999'989));
    EXPECT_FALSE(is_prime(99'999'991));  // 7 x 14285713
}

TEST(Primes, SumsMatchPublishedValues) {
    const run_control control;
    EXPECT_EQ(sum_primes(2, 1'000'000, control), 37'550'402'023ULL);
    EXPECT_EQ(sum_primes(2, 2'000'000, control), 142'913'828'922ULL);
    EXPECT_EQ(sum_primes(2, 3'000'000, control), 312'471'072'265ULL);
}

TEST(Primes, ChunksCoverTheRangeOnceWithoutGaps) {
    for (const std::int64_t chunks : {1, 3, 64, 999}) {
        const auto w = primes_workload::chunked(1000, chunks);
        ASSERT_EQ(w.get_task_count(), static_cast<std::size_t>(chunks));
        std::uint32_t expected_lo = 2;
        for (const auto& r : w.get_ranges()) {
            EXPECT_EQ(r.lo, expected_lo);
            EXPECT_LE(r.lo, r.hi);
            expected_lo = r.hi + 1;
        }
        EXPECT_EQ(expected_lo, 1001U);
    }
}

TEST(Primes, ChunkedSumEqualsWholeSum) {
    const run_control control;
    const auto w = primes_workload::chunked(2'000'000, 64);
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < w.get_task_count(); ++i) sum += w.compute(i, control);
    EXPECT_EQ(sum, 142'913'828'922ULL);
}

TEST(Primes, CancelledComputationThrows) {
    run_control control;
    control.cancel = 1;
    EXPECT_THROW(static_cast<void>(sum_primes(2, 10'000'000, control)), cancelled_error);
}

}  // namespace
}  // namespace parlab
