// `parlab ipc throughput`: N messages of SIZE bytes over every transport, repeated, and the medians.
#pragma once

#include <cstdint>      // std::uint64_t
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "ipc/transfers.hpp"

namespace parlab {

/// Bounds of the throughput command's flags.
inline constexpr std::uint64_t ipc_max_size = 16ULL << 20;              // 16 MiB
inline constexpr std::uint64_t ipc_max_count = 10'000'000;
inline constexpr std::uint64_t ipc_max_total_bytes = 1ULL << 30;        // size x count, per transport and repeat
inline constexpr unsigned ipc_max_repeats = 20;

struct throughput_options {
    std::uint64_t size = 4096;   ///< bytes per message, 1..ipc_max_size
    std::uint64_t count = 10000; ///< messages, 1..ipc_max_count, and size x count <= ipc_max_total_bytes
    unsigned repeats = 3;        ///< transfers per transport, 1..ipc_max_repeats; reports give the median
    std::vector<ipc_transport> transports = get_ipc_transports();
};

/// Parses the command's text flags; throws invalid_argument_error with one line naming the flag and its bounds.
[[nodiscard]] throughput_options parse_throughput_options(std::string_view size, std::string_view count,
                                                          std::string_view repeats);

/// Every repeat of one transport, and their median.
struct transport_result {
    ipc_transport transport = ipc_transport::process_pipe;
    std::vector<transfer_result> transfers;  ///< one per repeat
    std::string error;                       ///< not empty when a transfer threw; transfers holds those before it
    [[nodiscard]] double get_median_seconds() const;
    [[nodiscard]] bool is_intact(std::uint64_t count) const;  ///< no error and every transfer intact
};

struct throughput_result {
    throughput_options options;
    std::vector<transport_result> transports;
    [[nodiscard]] bool is_intact() const;  ///< every transport intact
};

/// Runs options.repeats transfers of each transport, interleaved (repeat 1 of each, then repeat 2, ...), so a
/// change in the machine's load affects every transport alike.
[[nodiscard]] throughput_result measure_throughput(const throughput_options& options);


}  // namespace parlab
