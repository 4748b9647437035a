// The bytes that travel in `parlab ipc throughput`: stamped messages and a checksum known without reading them.
#pragma once

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint64_t, std::uint8_t
#include <vector>   // std::vector

namespace parlab {

/// The bytes that travel: a fixed pseudo-random message whose first min(size, 8) bytes carry its index, and a
/// checksum (Fletcher-style sums of 64-bit words, so order inside a message counts) that the producer knows
/// for each index without reading the message, and the consumer computes by reading every byte.
class ipc_payload {
public:
    /// A message of size bytes (at least 1).
    explicit ipc_payload(std::size_t size);
    /// The message with index written into it; valid until the next call.
    [[nodiscard]] const std::uint8_t* stamp(std::uint64_t index);
    /// The checksum of message index, in constant time.
    [[nodiscard]] std::uint64_t get_checksum(std::uint64_t index) const;
    /// The checksum of any bytes, read one by one (what the consumer does).
    [[nodiscard]] static std::uint64_t compute_checksum(const std::uint8_t* data, std::size_t size);
    /// The index a received message carries (its first min(size, 8) bytes).
    [[nodiscard]] static std::uint64_t read_index(const std::uint8_t* data, std::size_t size);
    /// The index as the first min(size, 8) bytes keep it (truncated for messages under 8 bytes).
    [[nodiscard]] std::uint64_t truncate_index(std::uint64_t index) const;
    [[nodiscard]] std::size_t size() const { return bytes_.size(); }

private:
    std::vector<std::uint8_t> bytes_;
    std::uint64_t words_ = 0;       // 64-bit words, the last zero-padded
    std::uint64_t rest_sum_ = 0;    // sums over words 1..words_-1
    std::uint64_t rest_sum2_ = 0;
};


}  // namespace parlab
