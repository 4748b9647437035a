// amdahl: the fit recovers a known serial fraction, handles the extremes, and refuses too few points.
#include "amdahl.hpp"

#include <gtest/gtest.h>

#include <cmath>  // std::isinf

namespace parlab {
namespace {

std::vector<amdahl_point> exact_points(double f, std::vector<double> workers) {
    std::vector<amdahl_point> points;
    for (const double n : workers) points.push_back({n, amdahl_speedup(f, n)});
    return points;
}

TEST(Amdahl, ExactDataGivesItsSerialFractionBack) {
    for (const double f : {0.01, 0.05, 0.25, 0.5, 0.9}) {
        const auto fit = fit_amdahl(exact_points(f, {1, 2, 3, 4, 8, 16}));
        ASSERT_TRUE(fit.ok) << fit.message;
        EXPECT_NEAR(fit.serial_fraction, f, 1e-12);
        EXPECT_NEAR(fit.limit, 1.0 / f, 1e-9);
        EXPECT_NEAR(fit.residual, 0.0, 1e-12);
        ASSERT_EQ(fit.predicted.size(), 6U);
        EXPECT_NEAR(fit.predicted[4], amdahl_speedup(f, 8), 1e-12);
    }
}

TEST(Amdahl, PerfectScalingGivesZeroAndNoLimit) {
    const auto fit = fit_amdahl({{1, 1}, {2, 2}, {4, 4}});
    ASSERT_TRUE(fit.ok);
    EXPECT_EQ(fit.serial_fraction, 0.0);
    EXPECT_TRUE(std::isinf(fit.limit));
    EXPECT_NEAR(fit.residual, 0.0, 1e-12);
}

TEST(Amdahl, NoScalingGivesOne) {
    const auto fit = fit_amdahl({{1, 1}, {2, 1}, {4, 1}});
    ASSERT_TRUE(fit.ok);
    EXPECT_DOUBLE_EQ(fit.serial_fraction, 1.0);
    EXPECT_DOUBLE_EQ(fit.limit, 1.0);
}

TEST(Amdahl, OutOfRangeDataIsClamped) {
    // Slower with more workers (f would exceed 1) and super-linear (f would be negative).
    const auto slower = fit_amdahl({{1, 1}, {2, 0.8}});
    ASSERT_TRUE(slower.ok);
    EXPECT_EQ(slower.serial_fraction, 1.0);
    EXPECT_NEAR(slower.residual, std::sqrt(0.04 / 2), 1e-12);
    const auto faster = fit_amdahl({{1, 1}, {2, 2.5}});
    ASSERT_TRUE(faster.ok);
    EXPECT_EQ(faster.serial_fraction, 0.0);
}

// The same dataset and expected value as tests/web/amdahl.test.mjs: the C++ and JavaScript fits agree.
TEST(Amdahl, SharedDatasetMatchesTheJavaScriptFit) {
    const auto fit = fit_amdahl({{1, 1.0}, {2, 1.8}, {4, 3.1}, {8, 4.9}});
    ASSERT_TRUE(fit.ok);
    EXPECT_NEAR(fit.serial_fraction, 0.0959427740009024, 1e-9);
    EXPECT_NEAR(fit.residual, 0.058502579560477753, 1e-9);
}

TEST(Amdahl, TooFewOrBadPointsAreAResultNotACrash) {
    EXPECT_FALSE(fit_amdahl({}).ok);
    EXPECT_FALSE(fit_amdahl({{1, 1}}).ok);
    EXPECT_FALSE(fit_amdahl({{1, 1}, {1, 1.1}}).ok);  // one distinct worker count
    const auto no_base = fit_amdahl({{2, 1.8}, {4, 3}});  // no 1-worker point
    EXPECT_FALSE(no_base.ok);
    EXPECT_NE(no_base.message.find("not enough points"), std::string::npos) << no_base.message;
    EXPECT_FALSE(fit_amdahl({{1, 1}, {2, 0}}).ok);
    EXPECT_FALSE(fit_amdahl({{1, 1}, {2, std::nan("")}}).ok);
    EXPECT_FALSE(fit_amdahl({{0, 1}, {2, 2}}).ok);
    EXPECT_NE(fit_amdahl({{1, 1}, {2, -1}}).message.find("bad point"), std::string::npos);
}

}  // namespace
}  // namespace parlab
