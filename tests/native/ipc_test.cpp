// ipc hello and ipc throughput: pids and reaping, every transport's messages intact, the checksum, bad flags.
#include <gtest/gtest.h>

#include "child_processes.hpp"
#include "ipc.hpp"
#include "params.hpp"
#include "run_cli.hpp"

#include <sys/wait.h>  // waitpid, WIFEXITED
#include <unistd.h>    // getpid

#include <algorithm>  // std::count, std::find
#include <array>      // std::array
#include <cerrno>     // errno, ECHILD
#include <csignal>    // kill
#include <cstdio>     // popen, pclose
#include <string>     // std::string
#include <vector>     // std::vector

namespace {

using parlab::ipc_transport;

TEST(IpcHello, TheChildHasItsOwnPidNamesThisProcessAsParentAndIsReaped) {
    const auto result = parlab::run_hello("hello-test");
    EXPECT_EQ(result.parent_pid, ::getpid());
    EXPECT_GT(result.child_pid, 0);
    EXPECT_NE(result.child_pid, result.parent_pid);
    EXPECT_EQ(result.reported_pid, result.child_pid) << result.message;
    EXPECT_EQ(result.reported_parent_pid, result.parent_pid) << result.message;
    EXPECT_EQ(result.child_name, "hello-test");
    EXPECT_EQ(result.message, "hello from hello-test, pid " + std::to_string(result.child_pid) + ", parent pid " +
                                  std::to_string(result.parent_pid));
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_TRUE(result.reaped);
    EXPECT_TRUE(result.is_consistent());
    // No zombie: the child is no longer this process's child at all (waitpid has nothing to collect), and /proc
    // lists no live child with its pid.
    EXPECT_EQ(::waitpid(static_cast<pid_t>(result.child_pid), nullptr, WNOHANG), -1);
    EXPECT_EQ(errno, ECHILD);
    const auto children = parlab::test_support::children_of(::getpid());
    EXPECT_EQ(std::find(children.begin(), children.end(), result.child_pid), children.end());
}

TEST(IpcHello, ParsesOnlyWellFormedLines) {
    const auto line = parlab::parse_hello_line("hello from a, b, pid 12, parent pid 3\n");
    ASSERT_TRUE(line.has_value());
    EXPECT_EQ(line->name, "a, b");
    EXPECT_EQ(line->pid, 12);
    EXPECT_EQ(line->parent_pid, 3);
    for (const char* bad : {"", "hello from x", "hello from , pid 1, parent pid 2", "hello from x, pid -1, parent pid 2",
                            "hello from x, pid 1, parent pid 2z", "hi from x, pid 1, parent pid 2"})
        EXPECT_FALSE(parlab::parse_hello_line(bad).has_value()) << bad;
}

TEST(IpcPayload, ConstantTimeChecksumEqualsReadingEveryByte) {
    for (const std::size_t size : {1, 2, 7, 8, 9, 15, 16, 17, 100, 4096, 4099}) {
        parlab::ipc_payload payload(size);
        for (const std::uint64_t index : {0ULL, 1ULL, 255ULL, 256ULL, 65'537ULL, 9'999'999ULL}) {
            const std::uint8_t* message = payload.stamp(index);
            EXPECT_EQ(payload.get_checksum(index), parlab::ipc_payload::compute_checksum(message, size))
                << size << " bytes, message " << index;
            EXPECT_EQ(parlab::ipc_payload::read_index(message, size), payload.truncate_index(index));
        }
    }
}

TEST(IpcPayload, ChecksumSeesAChangedByteAndSwappedWords) {
    parlab::ipc_payload payload(64);
    const std::uint8_t* stamped = payload.stamp(5);
    std::vector<std::uint8_t> message(stamped, stamped + 64);
    const auto good = parlab::ipc_payload::compute_checksum(message.data(), message.size());
    message[40] ^= 1;
    EXPECT_NE(parlab::ipc_payload::compute_checksum(message.data(), message.size()), good);
    message[40] ^= 1;
    std::swap_ranges(message.begin() + 16, message.begin() + 24, message.begin() + 32);
    EXPECT_NE(parlab::ipc_payload::compute_checksum(message.data(), message.size()), good);
}

class IpcTransfer : public ::testing::TestWithParam<std::tuple<ipc_transport, std::uint64_t>> {};

TEST_P(IpcTransfer, DeliversEveryMessageIntactAndInOrder) {
    const auto [transport, size] = GetParam();
    const std::uint64_t count = size >= (1U << 20) ? 40 : 3000;  // the 1 MiB case still overflows every buffer
    const auto result = parlab::measure_transfer(transport, size, count);
    EXPECT_EQ(result.messages_received, count);
    EXPECT_EQ(result.received_checksum, result.sent_checksum);
    EXPECT_NE(result.sent_checksum, 0U);
    EXPECT_TRUE(result.in_order);
    EXPECT_TRUE(result.is_intact(count));
    EXPECT_GT(result.seconds, 0);
    EXPECT_TRUE(parlab::test_support::children_of(::getpid()).empty()) << "a consumer process was left behind";
}

INSTANTIATE_TEST_SUITE_P(
    IpcEveryTransportAndSize, IpcTransfer,
    ::testing::Combine(::testing::ValuesIn(parlab::get_ipc_transports()),
                       ::testing::Values(std::uint64_t{1}, std::uint64_t{4096}, std::uint64_t{1} << 20)),
    [](const auto& info) {
        std::string name(parlab::get_transport_id(std::get<0>(info.param)));
        std::replace(name.begin(), name.end(), '-', '_');
        return name + "_" + std::to_string(std::get<1>(info.param));
    });

TEST(IpcThroughput, MeasuresEveryTransportForEveryRepeat) {
    parlab::throughput_options options;
    options.size = 100;
    options.count = 500;
    options.repeats = 3;
    const auto result = parlab::measure_throughput(options);
    ASSERT_EQ(result.transports.size(), parlab::get_ipc_transports().size());
    for (const auto& t : result.transports) {
        EXPECT_EQ(t.transfers.size(), 3U) << parlab::get_transport_id(t.transport) << ": " << t.error;
        EXPECT_TRUE(t.is_intact(options.count)) << parlab::get_transport_id(t.transport);
        EXPECT_GT(t.get_median_seconds(), 0);
        // The same messages every time, whatever carries them.
        EXPECT_EQ(t.transfers.front().sent_checksum, result.transports.front().transfers.front().sent_checksum);
    }
    EXPECT_TRUE(result.is_intact());
    const std::string json = parlab::throughput_to_json(result);
    for (const char* id : {"process-pipe", "process-queue", "thread-queue", "thread-pipe"})
        EXPECT_NE(json.find(std::string("\"id\":\"") + id + "\""), std::string::npos) << id;
    EXPECT_NE(parlab::throughput_to_text(result).find("CPython's multiprocessing.Queue"), std::string::npos);
}

TEST(IpcThroughput, AMisreportedTransferIsNotIntact) {
    parlab::transfer_result lost;
    lost.messages_received = 9;
    lost.sent_checksum = lost.received_checksum = 7;
    lost.in_order = true;
    EXPECT_FALSE(lost.is_intact(10));
    EXPECT_TRUE(lost.is_intact(9));
    lost.received_checksum = 8;
    EXPECT_FALSE(lost.is_intact(9));
}

TEST(IpcThroughput, ParsesFlagsWithinBoundsOnly) {
    const auto options = parlab::parse_throughput_options("64", "1000", "5");
    EXPECT_EQ(options.size, 64U);
    EXPECT_EQ(options.count, 1000U);
    EXPECT_EQ(options.repeats, 5U);
    EXPECT_EQ(parlab::parse_throughput_options("16777216", "64", "1").size, 16777216U);
    EXPECT_THROW(static_cast<void>(parlab::parse_throughput_options("16777216", "65", "1")),
                 parlab::invalid_argument_error);
}

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

}  // namespace
