// `parlab ipc`: bad values give one line naming the flag and exit 2; hello and throughput print and write JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>  // nlohmann::ordered_json

#include "../run_cli.hpp"

#include <algorithm>  // std::count
#include <cstdio>     // std::fopen, std::remove
#include <string>     // std::string
#include <utility>    // std::pair
#include <vector>     // std::vector

namespace {

using parlab_test::run_cli;

TEST(IpcCli, BadValuesGiveOneLineNamingTheFlagAndExitCode2) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"ipc throughput --size 0", "--size must be an integer between 1 and 16777216"},
        {"ipc throughput --size 16777217", "--size must be an integer between 1 and 16777216"},
        {"ipc throughput --size abc", "--size must be an integer between 1 and 16777216"},
        {"ipc throughput --size -5", "--size must be an integer between 1 and 16777216"},
        {"ipc throughput --count 0", "--count must be an integer between 1 and 10000000"},
        {"ipc throughput --count 10000001", "--count must be an integer between 1 and 10000000"},
        {"ipc throughput --repeats 21", "--repeats must be an integer between 1 and 20"},
        {"ipc throughput --size 1048576 --count 2000", "--size x --count must be at most 1073741824"},
        {"ipc throughput --format xml", "--format"},
        {"ipc throughput --bogus 1", "--bogus"},
        {"ipc hello --format xml", "--format"},
        {"ipc", "subcommand"},
    };
    for (const auto& [args, expected] : cases) {
        const auto result = run_cli(args);
        EXPECT_EQ(result.code, 2) << args << ": " << result.output;
        EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << args << ": " << result.output;
        EXPECT_EQ(result.output.rfind("parlab: error: ", 0), 0U) << args << ": " << result.output;
        EXPECT_NE(result.output.find(expected), std::string::npos) << args << ": " << result.output;
    }
}

TEST(IpcCli, HelloAndThroughputPrintJson) {
    const auto hello = run_cli("ipc hello --format json");
    ASSERT_EQ(hello.code, 0) << hello.output;
    EXPECT_NE(hello.output.find("\"parent_pid_matches\":true"), std::string::npos) << hello.output;
    EXPECT_NE(hello.output.find("\"reaped\":true"), std::string::npos) << hello.output;
    EXPECT_NE(hello.output.find("\"message\":\"hello from parlab-child, pid "), std::string::npos) << hello.output;

    const std::string path = ::testing::TempDir() + "parlab_ipc_throughput.json";
    const auto throughput = run_cli("ipc throughput --size 64 --count 200 --repeats 1 --out " + path);
    ASSERT_EQ(throughput.code, 0) << throughput.output;
    EXPECT_NE(throughput.output.find("shared-memory queue, 2 processes"), std::string::npos) << throughput.output;
    FILE* file = std::fopen(path.c_str(), "r");
    ASSERT_NE(file, nullptr);
    std::string json(65536, '\0');
    json.resize(std::fread(json.data(), 1, json.size(), file));
    std::fclose(file);
    EXPECT_EQ(json.rfind("{\"command\":\"ipc throughput\",", 0), 0U) << json;
    EXPECT_NE(json.find("\"intact\":true"), std::string::npos);
    std::remove(path.c_str());
}

/// The keys of a JSON object, in the order written.
std::vector<std::string> keys_of(const nlohmann::ordered_json& object) {
    std::vector<std::string> keys;
    for (const auto& item : object.items()) keys.push_back(item.key());
    return keys;
}

TEST(IpcCli, JsonReportsKeepTheirKeysInOrder) {
    const auto hello = run_cli("ipc hello --format json");
    ASSERT_EQ(hello.code, 0) << hello.output;
    EXPECT_EQ(keys_of(nlohmann::ordered_json::parse(hello.output)),
              (std::vector<std::string>{"command", "generator", "message", "child_name", "parent_pid", "child_pid",
                                        "reported_pid", "reported_parent_pid", "parent_pid_matches",
                                        "child_pid_matches", "exit_code", "reaped", "ok"}));
    const auto throughput = run_cli("ipc throughput --size 8 --count 10 --repeats 1 --format json");
    ASSERT_EQ(throughput.code, 0) << throughput.output;
    const auto report = nlohmann::ordered_json::parse(throughput.output);
    EXPECT_EQ(keys_of(report), (std::vector<std::string>{"command", "generator", "environment", "size", "count",
                                                         "repeats", "intact", "transports"}));
    EXPECT_EQ(keys_of(report["environment"]),
              (std::vector<std::string>{"os", "cpu_model", "logical_cpus", "compiler"}));
    ASSERT_EQ(report["transports"].size(), 4U);
    EXPECT_EQ(keys_of(report["transports"][0]),
              (std::vector<std::string>{"id", "label", "median_s", "messages_per_s", "mb_per_s", "intact", "error",
                                        "transfers"}));
    EXPECT_EQ(keys_of(report["transports"][0]["transfers"][0]),
              (std::vector<std::string>{"seconds", "messages_received", "sent_checksum", "received_checksum",
                                        "in_order"}));
    EXPECT_TRUE(report["transports"][0]["transfers"][0]["sent_checksum"].is_string());  // past 2^53: decimal text
}

}  // namespace
