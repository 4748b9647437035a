// parlab-mpi ipc: round trips of one message between rank 0 and rank 1 over MPI, beside a pipe between two processes.
#pragma once

#include <string>  // std::string
#include <vector>  // std::vector

#include "ipc/throughput.hpp"  // throughput_options: the same flags and bounds as parlab ipc throughput
#include "world.hpp"

namespace parlab::mpi {

/// One transport's round trips: every repeat's time per round trip, and their median.
struct pingpong_row {
    std::string id;     ///< "mpi" or "process-pipe"
    std::string label;  ///< "MPI, rank 0 and rank 1 (same host: node-a)", "pipe, 2 processes (fork)"
    std::vector<double> round_trip_s;  ///< one per repeat: that repeat's time / count
    bool intact = true;                ///< every echo came back with the bytes sent
    [[nodiscard]] double get_median_s() const;
};

struct pingpong_result {
    throughput_options options;  ///< size: bytes each way per round trip; count: round trips per repeat
    std::vector<pingpong_row> rows;
    [[nodiscard]] bool is_intact() const;
};

/// Measures options.repeats times, interleaved: `count` round trips of `size` bytes between rank 0 and rank 1 over
/// MPI (rank 1 echoes in its serve loop), and the same over a pair of pipes to a forked child. Rank 0 only; needs
/// at least 2 ranks (throws invalid_argument_error otherwise); throws std::runtime_error if MPI or the OS fails.
[[nodiscard]] pingpong_result measure_pingpong(const world& here, const std::vector<std::string>& hosts,
                                               const throughput_options& options);

/// The table: transport, bytes, round trips, median round trip in µs, and MB/s both ways.
[[nodiscard]] std::string pingpong_to_text(const pingpong_result& result);
/// {"size", "count", "repeats", "rows": [{"id", "label", "median_round_trip_us", "round_trip_us": [...], "mb_per_s", "intact"}]}
[[nodiscard]] std::string pingpong_to_json(const pingpong_result& result);

}  // namespace parlab::mpi
