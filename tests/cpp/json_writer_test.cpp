// json_writer: commas, nesting, escaping, and non-finite numbers.
#include "json_writer.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace parlab {
namespace {

TEST(JsonWriter, WritesNestedContainersWithCommas) {
    json_writer out;
    out.begin_object();
    out.key("a");
    out.value(1);
    out.key("b");
    out.begin_array();
    out.value(true);
    out.null();
    out.begin_object();
    out.end_object();
    out.end_array();
    out.key("c");
    out.value("x");
    out.end_object();
    EXPECT_EQ(out.take(), R"({"a":1,"b":[true,null,{}],"c":"x"})");
}

TEST(JsonWriter, EscapesStringsAndKeys) {
    json_writer out;
    out.begin_object();
    out.key("q\"");
    out.value(std::string("line\nbreak\\ <tag> \x01"));
    out.end_object();
    EXPECT_EQ(out.take(), "{\"q\\\"\":\"line\\nbreak\\\\ <tag> \\u0001\"}");
}

TEST(JsonWriter, NonFiniteNumbersBecomeNull) {
    json_writer out;
    out.begin_array();
    out.value(std::numeric_limits<double>::infinity());
    out.value(std::numeric_limits<double>::quiet_NaN());
    out.value(0.25);
    out.end_array();
    EXPECT_EQ(out.take(), "[null,null,0.25]");
}

}  // namespace
}  // namespace parlab
