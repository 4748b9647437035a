// ipc throughput: every transport for every repeat, what counts as intact, the flags' bounds, the reports.
#include <gtest/gtest.h>

#include "ipc/reports.hpp"
#include "params.hpp"  // invalid_argument_error

#include <string>  // std::string

namespace {

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

}  // namespace
