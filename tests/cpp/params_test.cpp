// params: defaults, strict parsing, and messages that name the parameter and its bounds.
#include "params.hpp"

#include <gtest/gtest.h>

namespace parlab {
namespace {

std::string error_of(const std::string& workload, const std::map<std::string, std::string>& values) {
    try {
        static_cast<void>(parse_params(workload, values));
    } catch (const invalid_argument_error& e) {
        return e.what();
    }
    return "";
}

TEST(Params, DefaultsFollowTheSourceTexts) {
    const auto primes = parse_params("primes", {});
    EXPECT_EQ(primes.get_choice("shape"), "inputs");
    EXPECT_EQ(primes.get_list("inputs"), (std::vector<std::int64_t>{1000000, 2000000, 3000000}));
    const auto download = parse_params("download", {});
    EXPECT_DOUBLE_EQ(download.get_real("latency_ms"), 400);
    const auto factorials = parse_params("factorials", {});
    EXPECT_EQ(factorials.get_list("inputs"), (std::vector<std::int64_t>{10, 20, 30, 40, 50}));
}

TEST(Params, ParsesGivenValues) {
    const auto p = parse_params("primes", {{"shape", "chunked"}, {"n", "5000"}, {"chunks", " 8 "}});
    EXPECT_EQ(p.get_int("n"), 5000);
    EXPECT_EQ(p.get_int("chunks"), 8);
    EXPECT_EQ(params_to_json(p), R"({"shape":"chunked","n":5000,"chunks":8})");
}

TEST(Params, OutOfBoundsNamesParameterAndBounds) {
    EXPECT_EQ(error_of("primes", {{"shape", "chunked"}, {"n", "1"}}),
              "parameter 'n' must be an integer between 2 and 100000000 (got '1')");
    EXPECT_NE(error_of("primes", {{"shape", "chunked"}, {"n", "12abc"}}).find("parameter 'n'"), std::string::npos);
    EXPECT_NE(error_of("download", {{"latency_ms", "nan"}}).find("between 0 and 10000"), std::string::npos);
    EXPECT_NE(error_of("download", {{"latency_ms", "10"}, {"jitter_ms", "20"}}).find("jitter_ms"), std::string::npos);
    EXPECT_NE(error_of("primes", {{"shape", "round"}}).find("one of inputs, chunked"), std::string::npos);
    EXPECT_NE(error_of("primes", {{"inputs", "1,2"}}).find("parameter 'inputs'"), std::string::npos);
    EXPECT_NE(error_of("primes", {{"shape", "chunked"}, {"n", "10"}, {"chunks", "10"}}).find("n - 1 = 9"),
              std::string::npos);
    EXPECT_NE(error_of("factorials", {{"repeat", "100000"}, {"inputs", "1,2,3,4,5,6,7,8,9,10,11"}}).find("at most"),
              std::string::npos);
    EXPECT_NE(error_of("primes", {{"seed", "1"}}).find("does not apply"), std::string::npos);
    EXPECT_NE(error_of("primes", {{"chunks", "4"}}).find("applies only to shape chunked"), std::string::npos);
    EXPECT_NE(error_of("mandelbrot", {}).find("workload must be one of"), std::string::npos);
    EXPECT_NE(error_of("primes", {{"inputs", "99999999999999999999999"}}).find("parameter 'inputs'"),
              std::string::npos);
    EXPECT_NE(error_of("primes", {{"inputs", ""}}).find("parameter 'inputs'"), std::string::npos);
}

}  // namespace
}  // namespace parlab
