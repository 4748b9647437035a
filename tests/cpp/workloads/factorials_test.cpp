// factorials: exact decimal values and a checksum that identifies them.
#include "workloads/factorials.hpp"

#include <gtest/gtest.h>

namespace parlab {
namespace {

TEST(Factorials, DecimalValuesAreExact) {
    EXPECT_EQ(factorial_decimal(0), "1");
    EXPECT_EQ(factorial_decimal(1), "1");
    EXPECT_EQ(factorial_decimal(10), "3628800");
    EXPECT_EQ(factorial_decimal(20), "2432902008176640000");
    EXPECT_EQ(factorial_decimal(50), "30414093201713378043612608166064768844377641568960512000000000000");
    EXPECT_EQ(factorial_decimal(1000).size(), 2568U);  // 1000! has 2568 digits
}

TEST(Factorials, TasksCycleThroughInputsAndChecksumsDiffer) {
    const factorials_workload w({10, 20, 30}, 2);
    ASSERT_EQ(w.get_task_count(), 6U);
    const run_control control;
    EXPECT_EQ(w.compute(0, control), w.compute(3, control));
    EXPECT_EQ(w.compute(2, control), w.compute(5, control));
    EXPECT_NE(w.compute(0, control), w.compute(1, control));
    EXPECT_EQ(w.describe(4), "20!");
    EXPECT_THROW(static_cast<void>(w.compute(6, control)), std::out_of_range);
}

TEST(Factorials, ChecksumIsFnv1aOfLimbs) {
    // 10! = 3628800 is one limb; FNV-1a over its four little-endian bytes.
    std::uint64_t hash = 14695981039346656037ULL;
    for (const std::uint8_t byte : {0x00, 0x5f, 0x37, 0x00}) {
        hash ^= byte;
        hash *= 1099511628211ULL;
    }
    ASSERT_EQ(3628800U, 0x00375f00U);
    EXPECT_EQ(checksum_limbs({3628800}), hash);
}

}  // namespace
}  // namespace parlab
