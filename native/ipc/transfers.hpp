// One transfer of N messages from a producer to a consumer over a pipe or a queue, between processes or threads.
#pragma once

#include <cstdint>      // std::uint64_t
#include <string_view>  // std::string_view
#include <vector>       // std::vector

namespace parlab {

/// How the messages travel. Processes: the parent produces, a forked child consumes.
enum class ipc_transport {
    process_pipe,   ///< a pipe between two processes: length-prefixed write()/read()
    process_queue,  ///< a bounded queue in shared memory (mmap) under a process-shared mutex and condition variables
    thread_queue,   ///< a bounded std::deque of std::vector under std::mutex and std::condition_variable
    thread_pipe,    ///< the same pipe as process_pipe, between two threads of one process
};

/// Every transport, in the order reports list them.
[[nodiscard]] std::vector<ipc_transport> get_ipc_transports();
/// Short id for JSON: "process-pipe", "process-queue", "thread-queue", "thread-pipe".
[[nodiscard]] std::string_view get_transport_id(ipc_transport transport);
/// Label for people: "pipe, 2 processes", ...
[[nodiscard]] std::string_view get_transport_label(ipc_transport transport);


/// One transfer of count messages: how long it took and what arrived.
struct transfer_result {
    double seconds = 0;                  ///< from the first send to the consumer's report of the last receipt
    std::uint64_t messages_received = 0;
    std::uint64_t sent_checksum = 0;     ///< sum over messages of their checksums (mod 2^64)
    std::uint64_t received_checksum = 0;
    bool in_order = false;               ///< every message carried the index the consumer expected next
    [[nodiscard]] bool is_intact(std::uint64_t count) const {
        return messages_received == count && sent_checksum == received_checksum && in_order;
    }
};

/// Moves count messages of size bytes once over transport (bounds as throughput_options; not checked here).
/// Throws std::runtime_error if the OS refuses a pipe, fork or mapping, or the consumer dies.
[[nodiscard]] transfer_result measure_transfer(ipc_transport transport, std::uint64_t size, std::uint64_t count);


}  // namespace parlab
