// The messages' bytes (splitmix64) and their Fletcher-style checksum, computed by reading or in constant time.
#include "ipc/payload.hpp"

#include <algorithm>  // std::max, std::min
#include <bit>        // std::endian
#include <cstring>    // std::memcpy

static_assert(std::endian::native == std::endian::little, "the checksum's constant-time form assumes little-endian");

namespace parlab {

namespace {

constexpr std::uint64_t checksum_mix = 0x9E3779B97F4A7C15ULL;  // odd: a * mix + b keeps both sums

void add_words(const std::uint8_t* data, std::size_t size, std::uint64_t& sum, std::uint64_t& sum2) {
    std::size_t at = 0;
    for (; at + 8 <= size; at += 8) {
        std::uint64_t word;
        std::memcpy(&word, data + at, 8);
        sum += word;
        sum2 += sum;
    }
    if (at < size) {
        std::uint64_t word = 0;
        std::memcpy(&word, data + at, size - at);
        sum += word;
        sum2 += sum;
    }
}

}  // namespace

ipc_payload::ipc_payload(std::size_t size) : bytes_(std::max<std::size_t>(size, 1)) {
    std::uint64_t state = 0x5EED'1DC0'FFEEULL;
    for (std::size_t at = 0; at < bytes_.size(); at += 8) {
        state += checksum_mix;  // splitmix64
        std::uint64_t z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        z ^= z >> 31;
        std::memcpy(bytes_.data() + at, &z, std::min<std::size_t>(8, bytes_.size() - at));
    }
    words_ = (bytes_.size() + 7) / 8;
    if (bytes_.size() > 8) add_words(bytes_.data() + 8, bytes_.size() - 8, rest_sum_, rest_sum2_);
}

const std::uint8_t* ipc_payload::stamp(std::uint64_t index) {
    std::memcpy(bytes_.data(), &index, std::min<std::size_t>(8, bytes_.size()));
    return bytes_.data();
}

std::uint64_t ipc_payload::truncate_index(std::uint64_t index) const {
    return bytes_.size() >= 8 ? index : index & ((1ULL << (8 * bytes_.size())) - 1);
}

std::uint64_t ipc_payload::get_checksum(std::uint64_t index) const {
    // With w0 the first word and (s, s2) the sums over the other words: sum = w0 + s, sum2 = words * w0 + s2.
    const std::uint64_t first = truncate_index(index);
    const std::uint64_t sum = first + rest_sum_;
    const std::uint64_t sum2 = words_ * first + rest_sum2_;
    return sum * checksum_mix + sum2;
}

std::uint64_t ipc_payload::compute_checksum(const std::uint8_t* data, std::size_t size) {
    std::uint64_t sum = 0;
    std::uint64_t sum2 = 0;
    add_words(data, size, sum, sum2);
    return sum * checksum_mix + sum2;
}

std::uint64_t ipc_payload::read_index(const std::uint8_t* data, std::size_t size) {
    std::uint64_t index = 0;
    std::memcpy(&index, data, std::min<std::size_t>(8, size));
    return index;
}

}  // namespace parlab
