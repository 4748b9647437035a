// The four transports: a producer here, a consumer in a forked child or a thread, timed message by message.
#include "ipc/transfers.hpp"

#include <sys/uio.h>  // writev, iovec
#include <unistd.h>   // getpid, getppid, _exit

#include <algorithm>  // std::max
#include <cerrno>     // errno, EINTR
#include <chrono>     // std::chrono::steady_clock
#include <future>     // std::promise, std::future
#include <latch>      // std::latch
#include <optional>   // std::optional
#include <stdexcept>  // std::runtime_error
#include <thread>     // std::thread

#include "ipc/payload.hpp"
#include "ipc/shared_queue.hpp"
#include "ipc/thread_queue.hpp"
#include "posix/child.hpp"
#include "posix/fd.hpp"
#include "posix/signals.hpp"

namespace parlab {

namespace {

using posix::read_all;
using posix::write_all;
using steady = std::chrono::steady_clock;

/// What a consumer counts as messages arrive. Allocates nothing: it also runs in forked children.
struct consumer_tally {
    std::uint64_t received = 0;
    std::uint64_t checksum = 0;
    std::uint64_t in_order = 1;  // a 64-bit flag, so the struct crosses a pipe with no padding
    void add(const std::uint8_t* data, std::size_t size, const ipc_payload& payload) {
        checksum += ipc_payload::compute_checksum(data, size);
        if (ipc_payload::read_index(data, size) != payload.truncate_index(received)) in_order = 0;
        ++received;
    }
};

/// Sends count stamped messages through send(data, size) -> bool; returns the sum of their checksums, or nullopt
/// if a send failed.
template <class Send>
std::optional<std::uint64_t> produce(ipc_payload& payload, std::uint64_t count, Send&& send) {
    std::uint64_t checksum = 0;
    for (std::uint64_t index = 0; index < count; ++index) {
        const std::uint8_t* message = payload.stamp(index);
        if (!send(message, payload.size())) return std::nullopt;
        checksum += payload.get_checksum(index);
    }
    return checksum;
}

// ---- pipes: a 4-byte length, then the bytes ----

/// Writes the length and the message with one writev (finishing it if the pipe takes only part).
bool write_message(int fd, const std::uint8_t* data, std::size_t size) {
    const auto header = static_cast<std::uint32_t>(size);
    iovec parts[2] = {{const_cast<std::uint32_t*>(&header), sizeof header},
                      {const_cast<std::uint8_t*>(data), size}};
    iovec* part = parts;
    int left_parts = 2;
    while (left_parts > 0) {
        const ssize_t n = ::writev(fd, part, left_parts);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        auto written = static_cast<std::size_t>(n);
        while (left_parts > 0 && written >= part->iov_len) {
            written -= part->iov_len;
            ++part;
            --left_parts;
        }
        if (left_parts > 0) {
            part->iov_base = static_cast<char*>(part->iov_base) + written;
            part->iov_len -= written;
        }
    }
    return true;
}

/// Reads messages as Python's Connection.recv_bytes does: the 4-byte length, then the bytes.
consumer_tally consume_pipe(int fd, std::uint64_t count, std::uint8_t* buffer, const ipc_payload& payload) {
    consumer_tally tally;
    for (std::uint64_t i = 0; i < count; ++i) {
        std::uint32_t header = 0;
        if (!read_all(fd, &header, sizeof header) || header != payload.size() || !read_all(fd, buffer, header)) break;
        tally.add(buffer, header, payload);
    }
    return tally;
}

/// Bytes a queue holds: what a Linux pipe holds by default (64 KiB), or two messages when they are larger.
std::size_t get_queue_capacity(std::size_t message_size) {
    return std::max<std::size_t>(64 * 1024, 2 * (message_size + sizeof(std::uint64_t)));
}

// ---- running a producer here and a consumer in a child process or a thread ----

double seconds_since(steady::time_point start) {
    return std::chrono::duration<double>(steady::now() - start).count();
}

/// Forks a consumer: in the child, child_setup() then consume() -> consumer_tally (both must not allocate);
/// here, parent_setup() and then, timed from the child's "ready", produce(child_alive) -> optional checksum.
template <class ChildSetup, class Consume, class ParentSetup, class Produce>
transfer_result run_with_child(ChildSetup&& child_setup, Consume&& consume, ParentSetup&& parent_setup,
                               Produce&& produce) {
    const posix::sigpipe_ignored no_sigpipe;
    posix::pipe_pair report = posix::make_pipe();  // child -> parent: one "ready" byte, then its tally
    const pid_t pid = posix::fork_process();
    if (pid == 0) {
        report.read_end.reset();
        child_setup();
        const char ready = 'r';
        if (!write_all(report.write_end.get(), &ready, 1)) _exit(3);
        const consumer_tally tally = consume();
        _exit(write_all(report.write_end.get(), &tally, sizeof tally) ? 0 : 3);
    }
    posix::child_process child(pid);
    report.write_end.reset();
    parent_setup();
    char ready = 0;
    if (!read_all(report.read_end.get(), &ready, 1)) {
        static_cast<void>(child.wait());
        throw std::runtime_error("the consumer process " + child.describe() + " before it started");
    }
    const auto start = steady::now();
    const std::optional<std::uint64_t> sent = produce([&child] { return child.is_alive(); });
    consumer_tally tally;
    const bool reported = read_all(report.read_end.get(), &tally, sizeof tally);
    transfer_result result;
    result.seconds = seconds_since(start);
    static_cast<void>(child.wait());
    if (!sent || !reported)
        throw std::runtime_error("the consumer process " + child.describe() + " before the last message");
    result.sent_checksum = *sent;
    result.messages_received = tally.received;
    result.received_checksum = tally.checksum;
    result.in_order = tally.in_order != 0;
    return result;
}

/// Starts consume() -> consumer_tally on a thread and, timed from its start, runs produce() -> optional checksum
/// here; finish() (after produce, even if it threw) lets a waiting consumer end.
template <class Consume, class Produce, class Finish>
transfer_result run_with_thread(Consume&& consume, Produce&& produce, Finish&& finish) {
    std::promise<consumer_tally> tally_promise;
    std::future<consumer_tally> tally_future = tally_promise.get_future();
    std::latch started(1);
    std::thread consumer([&] {
        started.count_down();
        try {
            tally_promise.set_value(consume());
        } catch (...) {
            tally_promise.set_exception(std::current_exception());
        }
    });
    started.wait();
    const auto start = steady::now();
    std::optional<std::uint64_t> sent;
    try {
        sent = produce();
    } catch (...) {
        finish();
        consumer.join();
        throw;
    }
    finish();
    const consumer_tally tally = tally_future.get();
    transfer_result result;
    result.seconds = seconds_since(start);
    consumer.join();
    if (!sent) throw std::runtime_error("the consumer thread stopped before the last message");
    result.sent_checksum = *sent;
    result.messages_received = tally.received;
    result.received_checksum = tally.checksum;
    result.in_order = tally.in_order != 0;
    return result;
}

transfer_result transfer_process_pipe(std::uint64_t size, std::uint64_t count) {
    ipc_payload payload(size);
    std::vector<std::uint8_t> buffer(size);  // the child's, made before fork: children of threaded programs must not allocate
    posix::pipe_pair data = posix::make_pipe();
    return run_with_child([&] { data.write_end.reset(); },
                          [&] { return consume_pipe(data.read_end.get(), count, buffer.data(), payload); },
                          [&] { data.read_end.reset(); },
                          [&](auto&&) {
                              auto sent = produce(payload, count, [&](const std::uint8_t* message, std::size_t n) {
                                  return write_message(data.write_end.get(), message, n);
                              });
                              data.write_end.reset();
                              return sent;
                          });
}

transfer_result transfer_process_queue(std::uint64_t size, std::uint64_t count) {
    ipc_payload payload(size);
    std::vector<std::uint8_t> buffer(size);
    shared_queue queue(get_queue_capacity(size));
    const pid_t parent = ::getpid();
    return run_with_child([] {},
                          [&] {
                              consumer_tally tally;
                              const auto parent_alive = [parent] { return ::getppid() == parent; };
                              for (std::uint64_t i = 0; i < count; ++i) {
                                  const auto got = queue.get(buffer.data(), buffer.size(), parent_alive);
                                  if (!got) break;
                                  tally.add(buffer.data(), *got, payload);
                              }
                              return tally;
                          },
                          [] {},
                          [&](auto&& child_alive) {
                              auto sent = produce(payload, count, [&](const std::uint8_t* message, std::size_t n) {
                                  return queue.put(message, n, child_alive);
                              });
                              queue.close();
                              return sent;
                          });
}

transfer_result transfer_thread_queue(std::uint64_t size, std::uint64_t count) {
    ipc_payload payload(size);
    thread_queue queue(get_queue_capacity(size));
    return run_with_thread(
        [&] {
            consumer_tally tally;
            for (std::uint64_t i = 0; i < count; ++i) {
                const auto message = queue.get();
                if (!message) break;
                tally.add(message->data(), message->size(), payload);
            }
            return tally;
        },
        [&] {
            return produce(payload, count, [&](const std::uint8_t* message, std::size_t n) {
                queue.put(std::vector<std::uint8_t>(message, message + n));  // the copy in
                return true;
            });
        },
        [&] { queue.close(); });
}

transfer_result transfer_thread_pipe(std::uint64_t size, std::uint64_t count) {
    ipc_payload payload(size);
    std::vector<std::uint8_t> buffer(size);
    posix::pipe_pair data = posix::make_pipe();
    const posix::sigpipe_ignored no_sigpipe;
    return run_with_thread(
                           [&] {
                               const consumer_tally tally =
                                   consume_pipe(data.read_end.get(), count, buffer.data(), payload);
                               data.read_end.reset();  // a producer still writing gets EPIPE, not a full pipe
                               return tally;
                           },
                           [&] {
                               return produce(payload, count, [&](const std::uint8_t* message, std::size_t n) {
                                   return write_message(data.write_end.get(), message, n);
                               });
                           },
                           [&] { data.write_end.reset(); });  // the reader sees end-of-file if it is still waiting
}

}  // namespace

std::vector<ipc_transport> get_ipc_transports() {
    return {ipc_transport::process_pipe, ipc_transport::process_queue, ipc_transport::thread_queue,
            ipc_transport::thread_pipe};
}

std::string_view get_transport_id(ipc_transport transport) {
    switch (transport) {
        case ipc_transport::process_pipe: return "process-pipe";
        case ipc_transport::process_queue: return "process-queue";
        case ipc_transport::thread_queue: return "thread-queue";
        case ipc_transport::thread_pipe: return "thread-pipe";
    }
    return "?";
}

std::string_view get_transport_label(ipc_transport transport) {
    switch (transport) {
        case ipc_transport::process_pipe: return "pipe, 2 processes";
        case ipc_transport::process_queue: return "shared-memory queue, 2 processes";
        case ipc_transport::thread_queue: return "queue, 2 threads";
        case ipc_transport::thread_pipe: return "pipe, 2 threads";
    }
    return "?";
}

transfer_result measure_transfer(ipc_transport transport, std::uint64_t size, std::uint64_t count) {
    switch (transport) {
        case ipc_transport::process_pipe: return transfer_process_pipe(size, count);
        case ipc_transport::process_queue: return transfer_process_queue(size, count);
        case ipc_transport::thread_queue: return transfer_thread_queue(size, count);
        case ipc_transport::thread_pipe: return transfer_thread_pipe(size, count);
    }
    throw std::runtime_error("unknown transport");
}

}  // namespace parlab
