// Every transport delivers every message intact and in order, at every size, and leaves no process behind.
#include <gtest/gtest.h>

#include "../child_processes.hpp"
#include "ipc/transfers.hpp"

#include <unistd.h>  // getpid

#include <algorithm>  // std::replace
#include <string>     // std::string
#include <tuple>      // std::tuple

namespace {

using parlab::ipc_transport;

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

}  // namespace
