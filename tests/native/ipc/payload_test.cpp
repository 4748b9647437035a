// The ipc messages' checksum: known in constant time, equal to reading every byte, sensitive to order.
#include <gtest/gtest.h>

#include "ipc/payload.hpp"

#include <algorithm>  // std::swap_ranges
#include <cstdint>    // std::uint64_t, std::uint8_t
#include <vector>     // std::vector

namespace {

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

}  // namespace
