// The bodies of the messages between rank 0 and the other ranks: fixed-size structs sent as MPI_BYTE.
#pragma once

#include <cstdint>  // std::int64_t, std::uint64_t, std::uint32_t

namespace parlab::mpi {

/// A rank's answer to tag_run_begin: who it is, or why it could not build the workload.
struct ready_message {
    std::int64_t pid = 0;
    std::uint64_t thread = 0;
    char host[256] = {};
    char error[256] = {};  ///< empty when ready
};

/// Rank 0's request: a task and the size of its input bytes (the next message, tag_task_input, when not 0).
struct task_message {
    std::uint32_t task = 0;
    std::uint32_t reserved = 0;
    std::uint64_t input_bytes = 0;
};

/// A rank's record of a finished task. Times are seconds since the rank received the task (its clock is not rank
/// 0's: rank 0 places them after the moment it sent the task).
struct done_message {
    std::uint32_t task = 0;
    std::uint32_t reserved = 0;
    std::int64_t pid = 0;
    std::uint64_t thread = 0;
    double start_s = 0;
    double end_s = 0;
    double wait_s = 0;
    double cpu_s = -1;   ///< negative: unknown
    double late_s = -1;  ///< negative: not recorded (no wait)
    std::uint64_t value = 0;
    std::uint64_t output_bytes = 0;
    std::int64_t rss_kib = -1;  ///< negative: not recorded
};

/// A task that threw, or a workload that could not be built (task = the task, or ~0u for the workload).
struct failed_message {
    std::uint32_t task = 0;
    char error[256] = {};
};

}  // namespace parlab::mpi
