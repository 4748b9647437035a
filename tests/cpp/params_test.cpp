// params: defaults, strict parsing, and messages that name the parameter and its bounds.
#include "params.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>  // nlohmann::ordered_json

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

invalid_argument_error caught(const std::string& workload, const std::map<std::string, std::string>& values) {
    try {
        static_cast<void>(parse_params(workload, values));
    } catch (const invalid_argument_error& e) {
        return e;
    }
    ADD_FAILURE() << "accepted";
    return invalid_argument_error("");
}

TEST(Params, ErrorsCarryTheParameterAndItsBounds) {
    const auto n = caught("primes", {{"shape", "chunked"}, {"n", "1"}});
    EXPECT_EQ(n.parameter(), "n");
    EXPECT_EQ(n.bounds(), "2..100000000");
    EXPECT_EQ(n.naming("--n"), "--n must be an integer between 2 and 100000000 (got '1')");
    const auto shape = caught("primes", {{"shape", "round"}});
    EXPECT_EQ(shape.parameter(), "shape");
    EXPECT_EQ(shape.bounds(), "one of inputs, chunked");
    EXPECT_EQ(caught("primes", {{"inputs", "1"}}).bounds(), "1..64 items, each 2..100000000");
    EXPECT_EQ(caught("download", {{"latency_ms", "-1"}}).bounds(), "0..10000");
    const auto chunks = caught("primes", {{"shape", "chunked"}, {"n", "10"}, {"chunks", "10"}});
    EXPECT_EQ(chunks.parameter(), "chunks");
    EXPECT_EQ(chunks.bounds(), "1..9");
    EXPECT_EQ(caught("download", {{"latency_ms", "10"}, {"jitter_ms", "20"}}).bounds(), "0..10");
    EXPECT_EQ(caught("primes", {{"crash_task", "3"}}).bounds(), "-1..2");
    const auto workload = caught("mandelbrot", {});
    EXPECT_EQ(workload.parameter(), "workload");
    EXPECT_EQ(workload.bounds(), "one of primes, download, factorials, overhead, cv, counter, deadlock, copy, timers");
    const auto unknown = caught("primes", {{"seed", "1"}});
    EXPECT_EQ(unknown.parameter(), "seed");
    EXPECT_EQ(unknown.bounds(), "one of shape, inputs, n, chunks, crash_task, crash_how");
    EXPECT_EQ(unknown.naming("--seed"), "--seed does not apply to workload primes");
    EXPECT_EQ(caught("primes", {{"chunks", "4"}}).bounds(), "shape chunked");
    // A limit on two parameters together keeps its own wording.
    const auto pair = caught("factorials", {{"repeat", "100000"}, {"inputs", "1,2,3,4,5,6,7,8,9,10,11"}});
    EXPECT_EQ(pair.parameter(), "inputs x repeat");
    EXPECT_EQ(pair.naming("--repeat"), pair.what());
}

TEST(Params, CrashOptionAppliesToEveryWorkloadAndShowsOnlyWhenSet) {
    for (const auto& workload : get_workload_names()) {
        const auto plain = parse_params(std::string(workload), {});
        EXPECT_EQ(plain.get_int("crash_task"), -1);
        EXPECT_EQ(params_to_json(plain).find("crash"), std::string::npos) << workload;
        const auto crashing = parse_params(std::string(workload), {{"crash_task", "0"}, {"crash_how", "abort"}});
        EXPECT_NE(params_to_json(crashing).find(R"("crash_task":0,"crash_how":"abort"})"), std::string::npos)
            << params_to_json(crashing);
    }
    EXPECT_EQ(parse_params("primes", {{"crash_how", "exit"}}).get_choice("crash_how"), "exit");  // unused: fine
    EXPECT_EQ(error_of("primes", {{"crash_task", "3"}}),
              "parameter 'crash_task' must be between -1 and task count - 1 = 2 (got 3)");
    EXPECT_EQ(error_of("download", {{"crash_task", "-2"}}),
              "parameter 'crash_task' must be an integer between -1 and 999999 (got '-2')");
    EXPECT_NE(error_of("factorials", {{"crash_how", "segfault"}}).find("one of throw, abort, exit"), std::string::npos);
    EXPECT_EQ(get_task_count(parse_params("factorials", {{"repeat", "7"}})), 35);
    EXPECT_EQ(get_task_count(parse_params("primes", {{"shape", "chunked"}, {"chunks", "9"}})), 9);
}

TEST(Params, MessagesQuoteAtMost80CharactersOnOneLine) {
    const std::string huge(100000, '7');
    const auto message = error_of("primes", {{"inputs", huge + "\n1"}});
    EXPECT_LT(message.size(), 300U);
    EXPECT_EQ(message.find('\n'), std::string::npos);
    EXPECT_NE(message.find("...'"), std::string::npos);
    EXPECT_NE(error_of("primes", {{std::string(500, 'x'), "1"}}).find("does not apply"), std::string::npos);
}

TEST(Params, WorkerAndModeListsAreStrict) {
    EXPECT_EQ(parse_worker_list("1,2, 4 ,256", 256), (std::vector<unsigned>{1, 2, 4, 256}));
    EXPECT_EQ(parse_mode_list("threads,processes"), (std::vector<std::string>{"threads", "processes"}));
    for (const char* bad : {"", "0", "257", "1,,2", "-1", "+2", "2x", "1,2,", "99999999999999999999", "1.5"})
        EXPECT_THROW(static_cast<void>(parse_worker_list(bad, 256)), invalid_argument_error) << bad;
    for (const char* bad : {"", "threads,", "fibers", "Threads"})
        EXPECT_THROW(static_cast<void>(parse_mode_list(bad)), invalid_argument_error) << bad;
    std::string many = "1";
    for (int i = 0; i < 64; ++i) many += ",1";  // 65 items
    try {
        static_cast<void>(parse_worker_list(many, 256));
        ADD_FAILURE() << "65 items accepted";
    } catch (const invalid_argument_error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("--workers must be a comma-separated list of 1 to 64 integers, each "
                                              "between 1 and 256 (got '", 0), 0U) << e.what();
    }
    try {
        static_cast<void>(parse_mode_list("fibers", "-m"));
        ADD_FAILURE() << "fibers accepted";
    } catch (const invalid_argument_error& e) {
        EXPECT_EQ(e.parameter(), "-m");
        EXPECT_EQ(e.bounds(), "1..64 items, each one of sequential, threads, threads-gil, async, processes");
        EXPECT_EQ(e.naming("--modes").rfind("--modes must be a comma-separated list of 1 to 64 of ", 0), 0U);
    }
}

// What params_to_json writes, plus the workload's name, parses back to the same parameters (the page's process
// workers and parlab-mpi's ranks rebuild a workload this way); anything else is refused in one line.
TEST(Params, ParamsJsonRoundTripsAndRefusesWhatIsNotParameters) {
    for (const auto& params : {parse_params("primes", {{"shape", "chunked"}, {"n", "200000"}, {"chunks", "16"}}),
                               parse_params("download", {{"latency_ms", "12.5"}, {"jitter_ms", "0.25"}}),
                               parse_params("factorials", {{"inputs", "10,20"}, {"crash_task", "1"}})}) {
        auto object = params_to_json_value(params);
        object["workload"] = params.workload;
        const workload_params back = parse_params_json(object.dump());
        EXPECT_EQ(back.workload, params.workload);
        EXPECT_EQ(back.values, params.values) << object.dump();
    }
    EXPECT_THROW(static_cast<void>(parse_params_json("[1]")), invalid_argument_error);
    EXPECT_THROW(static_cast<void>(parse_params_json("{\"n\": 5}")), invalid_argument_error);
    try {
        static_cast<void>(parse_params_json("{\"workload\": \"primes\", \"shape\": \"chunked\", \"chunks\": 0}"));
        FAIL() << "chunks 0 was accepted";
    } catch (const invalid_argument_error& e) {
        EXPECT_EQ(e.parameter(), "chunks");
    }
}

}  // namespace
}  // namespace parlab
