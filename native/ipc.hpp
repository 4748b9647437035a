// Talking between processes and threads: a child's hello over a pipe, and pipes vs queues timed message by message.
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint64_t, std::int64_t, std::uint8_t
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

namespace parlab {

// ---- ipc hello: a child process writes one line to its parent over a pipe ----

/// What the child of `parlab ipc hello` wrote, and what the parent checked against what it knows.
struct hello_result {
    std::string message;                 ///< the line the parent read from the pipe
    std::string child_name;              ///< the name the child gave itself (its /proc comm)
    std::int64_t parent_pid = 0;         ///< this process's pid
    std::int64_t child_pid = 0;          ///< what fork() returned to the parent
    std::int64_t reported_pid = 0;       ///< the pid the child says it has
    std::int64_t reported_parent_pid = 0;  ///< the parent pid the child says it has (its getppid())
    int exit_code = -1;                  ///< the child's exit code, -1 when it was killed by a signal
    bool reaped = false;                 ///< waitpid collected the child: no zombie is left
    /// Whether the child's parent pid is this process and its pid is the one fork() returned.
    [[nodiscard]] bool is_consistent() const {
        return reported_parent_pid == parent_pid && reported_pid == child_pid && exit_code == 0 && reaped;
    }
};

/// The name, pid and parent pid in a line "hello from NAME, pid P, parent pid Q"; nullopt if it is not one.
struct hello_line {
    std::string name;
    std::int64_t pid = 0;
    std::int64_t parent_pid = 0;
};
[[nodiscard]] std::optional<hello_line> parse_hello_line(std::string_view line);

/// Forks a child that names itself child_name (at most 15 characters), writes its hello line over a pipe and
/// exits; reads the line, reaps the child. Throws std::runtime_error if the OS refuses a pipe or a fork.
[[nodiscard]] hello_result run_hello(std::string_view child_name = "parlab-child");

// ---- ipc throughput: N messages of SIZE bytes from a producer to a consumer ----

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

// ---- reports (measuring above, printing here) ----

[[nodiscard]] std::string hello_to_text(const hello_result& result);
[[nodiscard]] std::string hello_to_json(const hello_result& result);
[[nodiscard]] std::string throughput_to_text(const throughput_result& result);
[[nodiscard]] std::string throughput_to_json(const throughput_result& result);

}  // namespace parlab
