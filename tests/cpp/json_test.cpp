// json: numbers as the results format writes them, and text that survives bytes that are not UTF-8.
#include "json.hpp"

#include <cmath>   // NAN, INFINITY
#include <limits>  // std::numeric_limits

#include <gtest/gtest.h>

namespace parlab {
namespace {

TEST(Json, WholeNumbersWithoutAFractionOthersShortestRoundTrip) {
    EXPECT_EQ(dump_json(to_json_number(400.0)), "400");
    EXPECT_EQ(dump_json(to_json_number(4294967295.0)), "4294967295");
    EXPECT_EQ(dump_json(to_json_number(0.5)), "0.5");
    EXPECT_EQ(dump_json(to_json_number(0.1 + 0.2)), "0.30000000000000004");
    EXPECT_EQ(dump_json(to_json_number(1.2345e-05)), "1.2345e-05");
    EXPECT_EQ(dump_json(to_json_number(1.234567891)), "1.234567891");
    EXPECT_EQ(dump_json(to_json_number(NAN)), "null");
    EXPECT_EQ(dump_json(to_json_number(INFINITY)), "null");
}

TEST(Json, KeepsKeyOrderUnsignedRangeAndReplacesBadUtf8) {
    nlohmann::ordered_json doc;
    doc["z"] = std::numeric_limits<std::uint64_t>::max();
    doc["a"] = std::string("cut \xE2\x82");
    EXPECT_EQ(dump_json(doc), "{\"z\":18446744073709551615,\"a\":\"cut \xEF\xBF\xBD\"}");
}

}  // namespace
}  // namespace parlab
