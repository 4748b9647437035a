// lab_info: the modes the shells run, and apart from them the modes only results files carry (mpi).
#include "lab_info.hpp"

#include <gtest/gtest.h>

namespace parlab {
namespace {

TEST(LabInfo, MpiIsAResultModeThatNoShellOffers) {
    const auto info = get_lab_info({"native", 8, true});
    for (const auto& mode : info.at("modes")) EXPECT_NE(mode.at("name"), "mpi");
    ASSERT_EQ(info.at("modes").size(), get_mode_names().size());
    ASSERT_EQ(info.at("result_modes").size(), 1U);
    const auto& mpi = info.at("result_modes").at(0);
    EXPECT_EQ(mpi.at("name"), "mpi");
    EXPECT_EQ(mpi.at("separate_memory"), true);
    EXPECT_EQ(mpi.at("pthreads"), false);
    EXPECT_EQ(mpi.at("label"), std::string(get_mpi_mode_spec().label));
}

}  // namespace
}  // namespace parlab
