// A child's hello over a pipe, and N messages timed over pipes and queues between processes and between threads.
#include "ipc.hpp"

#include <fcntl.h>       // O_CLOEXEC
#include <pthread.h>     // pthread_mutex_*, pthread_cond_* (process-shared)
#include <signal.h>      // sigaction, SIGPIPE, kill
#include <sys/mman.h>    // mmap, munmap
#include <sys/prctl.h>   // prctl, PR_SET_NAME
#include <sys/uio.h>     // writev, iovec
#include <sys/wait.h>    // waitpid
#include <unistd.h>      // fork, pipe2, read, write, close, getpid, getppid, _exit

#include <algorithm>           // std::sort, std::min, std::max
#include <bit>                 // std::endian
#include <cerrno>              // errno, EINTR
#include <charconv>            // std::from_chars
#include <chrono>              // std::chrono::steady_clock
#include <condition_variable>  // std::condition_variable
#include <cstring>             // std::memcpy, std::strerror
#include <ctime>               // clock_gettime, timespec
#include <deque>               // std::deque
#include <future>              // std::promise, std::future
#include <latch>               // std::latch
#include <mutex>               // std::mutex, std::unique_lock, std::scoped_lock
#include <sstream>             // std::ostringstream
#include <stdexcept>           // std::runtime_error
#include <thread>              // std::thread

#include "file_io.hpp"
#include "json_writer.hpp"
#include "params.hpp"
#include "report.hpp"
#include "system_info.hpp"

static_assert(std::endian::native == std::endian::little, "the checksum's constant-time form assumes little-endian");

namespace parlab {

namespace {

using steady = std::chrono::steady_clock;

std::runtime_error os_error(const std::string& what) {
    return std::runtime_error(what + " failed: " + std::strerror(errno));
}

/// A file descriptor that closes itself.
class unique_fd {
public:
    unique_fd() = default;
    explicit unique_fd(int fd) : fd_(fd) {}
    ~unique_fd() { reset(); }
    unique_fd(unique_fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    unique_fd& operator=(unique_fd&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = other.fd_;
            other.fd_ = -1;
        }
        return *this;
    }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    [[nodiscard]] int get() const { return fd_; }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
};

struct pipe_ends {
    unique_fd read_end;
    unique_fd write_end;
};

/// A pipe whose ends close on exec (a program started later never holds them open).
pipe_ends make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw os_error("pipe");
    return {unique_fd(fds[0]), unique_fd(fds[1])};
}

/// While alive, a write to a pipe whose reader is gone fails with EPIPE instead of killing this process.
class sigpipe_ignored {
public:
    sigpipe_ignored() {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigaction(SIGPIPE, &ignore, &old_);
    }
    ~sigpipe_ignored() { sigaction(SIGPIPE, &old_, nullptr); }
    sigpipe_ignored(const sigpipe_ignored&) = delete;
    sigpipe_ignored& operator=(const sigpipe_ignored&) = delete;

private:
    struct sigaction old_ {};
};

/// A forked child: waitpid without blocking says whether it still runs; the destructor kills and reaps it.
class child_guard {
public:
    explicit child_guard(pid_t pid) : pid_(pid) {}
    ~child_guard() {
        if (!reaped_) ::kill(pid_, SIGKILL);
        wait();
    }
    child_guard(const child_guard&) = delete;
    child_guard& operator=(const child_guard&) = delete;
    /// Whether the child has not ended yet (reaps it if it has).
    [[nodiscard]] bool is_alive() {
        if (reaped_) return false;
        if (::waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
        return !reaped_;
    }
    /// Blocks until the child has ended and is reaped; returns its wait status.
    int wait() {
        while (!reaped_) {
            const pid_t got = ::waitpid(pid_, &status_, 0);
            if (got == pid_ || (got < 0 && errno != EINTR)) reaped_ = true;
        }
        return status_;
    }

private:
    pid_t pid_;
    int status_ = 0;
    bool reaped_ = false;
};

/// "exited with code 3" / "was killed by signal 9".
std::string describe_status(int status) {
    if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
    return "exited with code " + std::to_string(WEXITSTATUS(status));
}

// ---- the bytes that travel and their checksum ----

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

// ---- a bounded queue in shared memory, usable from two processes ----

/// Bytes a queue holds: what a Linux pipe holds by default (64 KiB), or two messages when they are larger.
std::size_t get_queue_capacity(std::size_t message_size) {
    return std::max<std::size_t>(64 * 1024, 2 * (message_size + sizeof(std::uint64_t)));
}

/// A ring of bytes in a MAP_SHARED mapping holding length-prefixed messages, guarded by a process-shared mutex
/// and two process-shared condition variables. Made before fork(), so parent and child map the same pages.
/// Each put copies a message in and each get copies it out, both under the mutex.
class shared_queue {
public:
    explicit shared_queue(std::size_t capacity) {
        mapped_size_ = sizeof(control) + capacity;
        void* memory = ::mmap(nullptr, mapped_size_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (memory == MAP_FAILED) throw os_error("mmap");
        control_ = new (memory) control{};
        control_->capacity = capacity;
        data_ = static_cast<std::uint8_t*>(memory) + sizeof(control);

        pthread_mutexattr_t mutex_attr;
        pthread_mutexattr_init(&mutex_attr);
        pthread_mutexattr_setpshared(&mutex_attr, PTHREAD_PROCESS_SHARED);
        // A process that dies holding the mutex must not leave the other one blocked forever.
        pthread_mutexattr_setrobust(&mutex_attr, PTHREAD_MUTEX_ROBUST);
        pthread_mutex_init(&control_->queue_mutex, &mutex_attr);
        pthread_mutexattr_destroy(&mutex_attr);

        pthread_condattr_t cond_attr;
        pthread_condattr_init(&cond_attr);
        pthread_condattr_setpshared(&cond_attr, PTHREAD_PROCESS_SHARED);
        pthread_condattr_setclock(&cond_attr, CLOCK_MONOTONIC);
        pthread_cond_init(&control_->message_available_cv, &cond_attr);
        pthread_cond_init(&control_->space_available_cv, &cond_attr);
        pthread_condattr_destroy(&cond_attr);
    }
    ~shared_queue() {
        pthread_cond_destroy(&control_->space_available_cv);
        pthread_cond_destroy(&control_->message_available_cv);
        pthread_mutex_destroy(&control_->queue_mutex);
        ::munmap(control_, mapped_size_);
    }
    shared_queue(const shared_queue&) = delete;
    shared_queue& operator=(const shared_queue&) = delete;

    /// Copies one message in, waiting while the queue is full; false if the other side is gone
    /// (peer_alive() is asked each time a wait times out).
    template <class PeerAlive>
    bool put(const std::uint8_t* data, std::size_t size, PeerAlive&& peer_alive) {
        const std::uint64_t record = sizeof(std::uint64_t) + size;
        if (!lock()) return false;
        while (control_->capacity - control_->used < record) {
            if (!wait(control_->space_available_cv, peer_alive)) return false;
        }
        std::uint64_t at = (control_->read_at + control_->used) % control_->capacity;
        const std::uint64_t length = size;
        at = copy_in(at, reinterpret_cast<const std::uint8_t*>(&length), sizeof length);
        copy_in(at, data, size);
        control_->used += record;
        pthread_cond_signal(&control_->message_available_cv);
        pthread_mutex_unlock(&control_->queue_mutex);
        return true;
    }

    /// Copies the next message out into buffer (buffer_size bytes), waiting while the queue is empty; returns its
    /// size, or nullopt once the queue is closed and empty, the other side is gone, or the message does not fit.
    template <class PeerAlive>
    std::optional<std::size_t> get(std::uint8_t* buffer, std::size_t buffer_size, PeerAlive&& peer_alive) {
        if (!lock()) return std::nullopt;
        while (control_->used == 0) {
            if (control_->closed) {
                pthread_mutex_unlock(&control_->queue_mutex);
                return std::nullopt;
            }
            if (!wait(control_->message_available_cv, peer_alive)) return std::nullopt;  // it released the mutex
        }
        std::uint64_t length = 0;
        std::uint64_t at = copy_out(control_->read_at, reinterpret_cast<std::uint8_t*>(&length), sizeof length);
        if (length > buffer_size) {
            pthread_mutex_unlock(&control_->queue_mutex);
            return std::nullopt;
        }
        copy_out(at, buffer, length);
        control_->read_at = (control_->read_at + sizeof length + length) % control_->capacity;
        control_->used -= sizeof length + length;
        pthread_cond_signal(&control_->space_available_cv);
        pthread_mutex_unlock(&control_->queue_mutex);
        return static_cast<std::size_t>(length);
    }

    /// No more puts: a get on the empty queue returns nullopt instead of waiting.
    void close() {
        if (!lock()) return;
        control_->closed = true;
        pthread_cond_broadcast(&control_->message_available_cv);
        pthread_mutex_unlock(&control_->queue_mutex);
    }

private:
    struct control {
        pthread_mutex_t queue_mutex;
        pthread_cond_t message_available_cv;
        pthread_cond_t space_available_cv;
        std::uint64_t capacity = 0;
        std::uint64_t read_at = 0;  // offset of the oldest message's length
        std::uint64_t used = 0;     // bytes of whole records (length + message) in the ring
        bool closed = false;
    };

    /// Locks the mutex; false if its owner died holding it (the queue's contents are then not to be trusted).
    bool lock() {
        const int code = pthread_mutex_lock(&control_->queue_mutex);
        if (code == EOWNERDEAD) {
            pthread_mutex_consistent(&control_->queue_mutex);
            pthread_mutex_unlock(&control_->queue_mutex);
            return false;
        }
        return code == 0;
    }

    /// Waits up to 100 ms on cv (the mutex held); false, with the mutex released, if the peer is gone.
    template <class PeerAlive>
    bool wait(pthread_cond_t& cv, PeerAlive& peer_alive) {
        timespec deadline{};
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_nsec += 100'000'000;
        if (deadline.tv_nsec >= 1'000'000'000) {
            deadline.tv_sec += 1;
            deadline.tv_nsec -= 1'000'000'000;
        }
        const int code = pthread_cond_timedwait(&cv, &control_->queue_mutex, &deadline);
        if (code == EOWNERDEAD) {
            pthread_mutex_consistent(&control_->queue_mutex);
            pthread_mutex_unlock(&control_->queue_mutex);
            return false;
        }
        if (code == ETIMEDOUT && !peer_alive()) {
            pthread_mutex_unlock(&control_->queue_mutex);
            return false;
        }
        return true;
    }

    std::uint64_t copy_in(std::uint64_t at, const std::uint8_t* from, std::size_t size) {
        const std::size_t first = std::min<std::size_t>(size, control_->capacity - at);
        std::memcpy(data_ + at, from, first);
        std::memcpy(data_, from + first, size - first);
        return (at + size) % control_->capacity;
    }
    std::uint64_t copy_out(std::uint64_t at, std::uint8_t* to, std::size_t size) const {
        const std::size_t first = std::min<std::size_t>(size, control_->capacity - at);
        std::memcpy(to, data_ + at, first);
        std::memcpy(to + first, data_, size - first);
        return (at + size) % control_->capacity;
    }

    control* control_ = nullptr;
    std::uint8_t* data_ = nullptr;
    std::size_t mapped_size_ = 0;
};

// ---- a bounded queue between threads ----

/// std::deque of messages under one mutex, bounded in bytes like shared_queue (a message counts its size + 8).
class thread_queue {
public:
    explicit thread_queue(std::size_t capacity) : capacity_(capacity) {}

    /// Adds a message, waiting while the queue is full (an empty queue takes any message).
    void put(std::vector<std::uint8_t> message) {
        const std::size_t record = message.size() + sizeof(std::uint64_t);
        std::unique_lock lock(queue_mutex_);
        space_available_cv_.wait(lock, [&] { return messages_.empty() || bytes_ + record <= capacity_; });
        bytes_ += record;
        messages_.push_back(std::move(message));
        message_available_cv_.notify_one();
    }
    /// The oldest message, waiting while there is none; nullopt once the queue is closed and empty.
    std::optional<std::vector<std::uint8_t>> get() {
        std::unique_lock lock(queue_mutex_);
        message_available_cv_.wait(lock, [&] { return !messages_.empty() || closed_; });
        if (messages_.empty()) return std::nullopt;
        std::vector<std::uint8_t> message = std::move(messages_.front());
        messages_.pop_front();
        bytes_ -= message.size() + sizeof(std::uint64_t);
        space_available_cv_.notify_one();
        return message;
    }
    /// No more puts: get() on the empty queue returns nullopt instead of waiting.
    void close() {
        const std::scoped_lock lock(queue_mutex_);
        closed_ = true;
        message_available_cv_.notify_all();
    }

private:
    std::mutex queue_mutex_;
    std::condition_variable message_available_cv_;
    std::condition_variable space_available_cv_;
    std::deque<std::vector<std::uint8_t>> messages_;
    std::size_t bytes_ = 0;
    bool closed_ = false;
    const std::size_t capacity_;
};

// ---- running a producer here and a consumer in a child process or a thread ----

double seconds_since(steady::time_point start) {
    return std::chrono::duration<double>(steady::now() - start).count();
}

/// Forks a consumer: in the child, child_setup() then consume() -> consumer_tally (both must not allocate);
/// here, parent_setup() and then, timed from the child's "ready", produce(child_alive) -> optional checksum.
template <class ChildSetup, class Consume, class ParentSetup, class Produce>
transfer_result run_with_child(ChildSetup&& child_setup, Consume&& consume, ParentSetup&& parent_setup,
                               Produce&& produce) {
    const sigpipe_ignored no_sigpipe;
    pipe_ends report = make_pipe();  // child -> parent: one "ready" byte, then its tally
    const pid_t pid = ::fork();
    if (pid < 0) throw os_error("fork");
    if (pid == 0) {
        report.read_end.reset();
        child_setup();
        const char ready = 'r';
        if (!write_all(report.write_end.get(), &ready, 1)) _exit(3);
        const consumer_tally tally = consume();
        _exit(write_all(report.write_end.get(), &tally, sizeof tally) ? 0 : 3);
    }
    child_guard child(pid);
    report.write_end.reset();
    parent_setup();
    char ready = 0;
    if (!read_all(report.read_end.get(), &ready, 1))
        throw std::runtime_error("the consumer process " + describe_status(child.wait()) + " before it started");
    const auto start = steady::now();
    const std::optional<std::uint64_t> sent = produce([&child] { return child.is_alive(); });
    consumer_tally tally;
    const bool reported = read_all(report.read_end.get(), &tally, sizeof tally);
    transfer_result result;
    result.seconds = seconds_since(start);
    const int status = child.wait();
    if (!sent || !reported)
        throw std::runtime_error("the consumer process " + describe_status(status) + " before the last message");
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
    pipe_ends data = make_pipe();
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
    pipe_ends data = make_pipe();
    const sigpipe_ignored no_sigpipe;
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

// ---- ipc hello ----

/// A fixed line buffer filled without allocating (the child of a threaded program must not).
struct line_buffer {
    char text[160] = {};
    std::size_t length = 0;
    void append(std::string_view part) {
        for (const char c : part)
            if (length + 1 < sizeof text) text[length++] = c;
    }
    void append(std::int64_t number) {
        char digits[24];
        const auto [end, error] = std::to_chars(digits, digits + sizeof digits, number);
        if (error == std::errc()) append(std::string_view(digits, static_cast<std::size_t>(end - digits)));
    }
};

/// The child's whole life: name itself, say hello over the pipe, exit.
[[noreturn]] void hello_child(int fd, const char* name) {
    ::prctl(PR_SET_NAME, name, 0, 0, 0);
    char comm[32] = {};  // what the OS now calls this process
    std::size_t comm_length = 0;
    if (const int comm_fd = ::open("/proc/self/comm", O_RDONLY | O_CLOEXEC); comm_fd >= 0) {
        const ssize_t n = ::read(comm_fd, comm, sizeof comm - 1);
        comm_length = n > 0 ? static_cast<std::size_t>(n) : 0;
        ::close(comm_fd);
    }
    while (comm_length > 0 && comm[comm_length - 1] == '\n') --comm_length;
    line_buffer line;
    line.append("hello from ");
    line.append(comm_length > 0 ? std::string_view(comm, comm_length) : std::string_view(name));
    line.append(", pid ");
    line.append(static_cast<std::int64_t>(::getpid()));
    line.append(", parent pid ");
    line.append(static_cast<std::int64_t>(::getppid()));
    line.append("\n");
    _exit(write_all(fd, line.text, line.length) ? 0 : 3);
}

std::string format_mb(double bytes) {
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(bytes >= 1e7 ? 0 : 2);
    out << bytes / 1e6;
    return out.str();
}

/// 1234567 -> "1,234,567".
std::string group_digits(double value) {
    const std::string digits = std::to_string(static_cast<std::uint64_t>(value + 0.5));
    std::string grouped;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
        grouped += digits[i];
    }
    return grouped;
}

std::string pad(std::string text, std::size_t width, bool right) {
    if (text.size() >= width) return text;
    const std::string fill(width - text.size(), ' ');
    return right ? fill + text : text + fill;
}

std::uint64_t parse_bounded(std::string_view text, std::string_view flag, std::uint64_t min, std::uint64_t max,
                            std::string_view unit) {
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < min || value > max)
        throw invalid_argument_error(std::string(flag) + " must be an integer between " + std::to_string(min) +
                                     " and " + std::to_string(max) + std::string(unit) + " (got '" +
                                     std::string(text) + "')");
    return value;
}

}  // namespace

// ---- ipc_payload ----

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

// ---- transports ----

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

throughput_options parse_throughput_options(std::string_view size, std::string_view count, std::string_view repeats) {
    throughput_options options;
    options.size = parse_bounded(size, "--size", 1, ipc_max_size, " bytes (16 MiB)");
    options.count = parse_bounded(count, "--count", 1, ipc_max_count, "");
    options.repeats = static_cast<unsigned>(parse_bounded(repeats, "--repeats", 1, ipc_max_repeats, ""));
    if (options.size * options.count > ipc_max_total_bytes)
        throw invalid_argument_error("--size x --count must be at most " + std::to_string(ipc_max_total_bytes) +
                                     " bytes (1 GiB) per transfer (got " + std::to_string(options.size) + " x " +
                                     std::to_string(options.count) + "): use fewer or smaller messages");
    return options;
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

double transport_result::get_median_seconds() const {
    if (transfers.empty()) return 0;
    std::vector<double> seconds;
    for (const auto& t : transfers) seconds.push_back(t.seconds);
    std::sort(seconds.begin(), seconds.end());
    const std::size_t middle = seconds.size() / 2;
    return seconds.size() % 2 ? seconds[middle] : (seconds[middle - 1] + seconds[middle]) / 2;
}

bool transport_result::is_intact(std::uint64_t count) const {
    if (!error.empty() || transfers.empty()) return false;
    return std::all_of(transfers.begin(), transfers.end(), [count](const auto& t) { return t.is_intact(count); });
}

bool throughput_result::is_intact() const {
    return !transports.empty() && std::all_of(transports.begin(), transports.end(), [this](const auto& t) {
        return t.is_intact(options.count);
    });
}

throughput_result measure_throughput(const throughput_options& options) {
    throughput_result result;
    result.options = options;
    for (const auto transport : options.transports) result.transports.push_back({transport, {}, {}});
    for (unsigned repeat = 0; repeat < options.repeats; ++repeat) {
        for (auto& entry : result.transports) {
            if (!entry.error.empty()) continue;
            try {
                entry.transfers.push_back(measure_transfer(entry.transport, options.size, options.count));
            } catch (const std::exception& e) {
                entry.error = e.what();
            }
        }
    }
    return result;
}

// ---- hello ----

std::optional<hello_line> parse_hello_line(std::string_view line) {
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    constexpr std::string_view prefix = "hello from ";
    constexpr std::string_view pid_key = ", pid ";
    constexpr std::string_view parent_key = ", parent pid ";
    if (line.substr(0, prefix.size()) != prefix) return std::nullopt;
    const auto parent_at = line.rfind(parent_key);
    if (parent_at == std::string_view::npos) return std::nullopt;
    const auto pid_at = line.substr(0, parent_at).rfind(pid_key);
    if (pid_at == std::string_view::npos || pid_at < prefix.size()) return std::nullopt;
    const auto parse = [](std::string_view text, std::int64_t& out) {
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
        return !text.empty() && error == std::errc() && end == text.data() + text.size() && out > 0;
    };
    hello_line parsed;
    parsed.name = std::string(line.substr(prefix.size(), pid_at - prefix.size()));
    if (parsed.name.empty() ||
        !parse(line.substr(pid_at + pid_key.size(), parent_at - pid_at - pid_key.size()), parsed.pid) ||
        !parse(line.substr(parent_at + parent_key.size()), parsed.parent_pid))
        return std::nullopt;
    return parsed;
}

hello_result run_hello(std::string_view child_name) {
    char name[16] = {};  // the kernel keeps 15 characters of a process name
    std::memcpy(name, child_name.data(), std::min<std::size_t>(child_name.size(), sizeof name - 1));
    pipe_ends channel = make_pipe();
    hello_result result;
    result.parent_pid = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw os_error("fork");
    if (pid == 0) {
        channel.read_end.reset();
        hello_child(channel.write_end.get(), name);
    }
    result.child_pid = pid;
    channel.write_end.reset();  // so the read below ends when the child's end closes
    char chunk[256];
    for (;;) {
        const ssize_t n = ::read(channel.read_end.get(), chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        result.message.append(chunk, static_cast<std::size_t>(n));
    }
    int status = 0;
    pid_t got = -1;
    do got = ::waitpid(pid, &status, 0);
    while (got < 0 && errno == EINTR);
    result.reaped = got == pid;
    result.exit_code = result.reaped && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    while (!result.message.empty() && result.message.back() == '\n') result.message.pop_back();
    if (const auto line = parse_hello_line(result.message)) {
        result.child_name = line->name;
        result.reported_pid = line->pid;
        result.reported_parent_pid = line->parent_pid;
    }
    return result;
}

// ---- reports ----

std::string hello_to_text(const hello_result& r) {
    const auto yes_no = [](bool b) { return b ? "yes" : "NO"; };
    std::ostringstream out;
    out << "parent: pid " << r.parent_pid << "; forked a child (fork() returned pid " << r.child_pid
        << ") and read from the pipe:\n"
        << "  " << (r.message.empty() ? "(nothing)" : r.message) << "\n"
        << "check: the child's parent pid (" << r.reported_parent_pid << ") is this process's pid: "
        << yes_no(r.reported_parent_pid == r.parent_pid) << "\n"
        << "check: the child's own pid (" << r.reported_pid << ") is the one fork() returned: "
        << yes_no(r.reported_pid == r.child_pid) << "\n"
        << "check: the child " << (r.exit_code >= 0 ? "exited with code " + std::to_string(r.exit_code) : "was killed")
        << " and " << (r.reaped ? "was reaped (waitpid): no zombie is left" : "was NOT reaped") << "\n"
        << "Two processes, two pids, separate memory: the only way the child's words reached the parent was the pipe.\n";
    return out.str();
}

std::string hello_to_json(const hello_result& r) {
    json_writer json;
    json.begin_object();
    json.key("command");
    json.value("ipc hello");
    json.key("generator");
    json.value(generator_name);
    json.key("message");
    json.value(r.message);
    json.key("child_name");
    json.value(r.child_name);
    json.key("parent_pid");
    json.value(r.parent_pid);
    json.key("child_pid");
    json.value(r.child_pid);
    json.key("reported_pid");
    json.value(r.reported_pid);
    json.key("reported_parent_pid");
    json.value(r.reported_parent_pid);
    json.key("parent_pid_matches");
    json.value(r.reported_parent_pid == r.parent_pid);
    json.key("child_pid_matches");
    json.value(r.reported_pid == r.child_pid);
    json.key("exit_code");
    json.value(r.exit_code);
    json.key("reaped");
    json.value(r.reaped);
    json.key("ok");
    json.value(r.is_consistent());
    json.end_object();
    return json.take() + "\n";
}

namespace {

const transport_result* find_transport(const throughput_result& result, ipc_transport transport) {
    for (const auto& t : result.transports)
        if (t.transport == transport && t.is_intact(result.options.count)) return &t;
    return nullptr;
}

/// One sentence on how the process pipe and the process queue compared, and what that says about CPython.
std::string compare_pipe_and_queue(const throughput_result& result) {
    const auto* pipe = find_transport(result, ipc_transport::process_pipe);
    const auto* queue = find_transport(result, ipc_transport::process_queue);
    if (!pipe || !queue) return "";
    const double ratio = pipe->get_median_seconds() / queue->get_median_seconds();
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(2);
    if (ratio > 1)
        out << "Here the shared-memory queue beat the pipe (" << ratio << "x): once the mapping exists a message costs "
               "two copies and a lock, with no system call unless a side must sleep. CPython's multiprocessing.Queue "
               "is slower than its Pipe because it pickles every object and hands it to a feeder thread that writes "
               "it to a pipe: a cost of that design, not of queues as such.\n";
    else
        out << "Here the pipe beat the shared-memory queue (" << 1 / ratio << "x). CPython's multiprocessing.Queue "
               "is slower still than its Pipe, because it pickles every object and hands it to a feeder thread that "
               "writes it to a pipe.\n";
    return out.str();
}

}  // namespace

std::string throughput_to_text(const throughput_result& result) {
    const auto& o = result.options;
    const double bytes = static_cast<double>(o.size) * static_cast<double>(o.count);
    std::ostringstream out;
    out << "IPC throughput: " << o.count << " message" << (o.count == 1 ? "" : "s") << " of " << o.size
        << " byte" << (o.size == 1 ? "" : "s") << " (" << format_mb(bytes) << " MB) one way, median of " << o.repeats
        << " transfer" << (o.repeats == 1 ? "" : "s") << "\n";
    out << pad("transport", 34, false) << pad("median s", 11, true) << pad("messages/s", 15, true)
        << pad("MB/s", 10, true) << "  intact\n";
    for (const auto& t : result.transports) {
        out << pad(std::string(get_transport_label(t.transport)), 34, false);
        if (t.transfers.empty()) {
            out << "  FAILED: " << t.error << "\n";
            continue;
        }
        const double s = t.get_median_seconds();
        std::ostringstream secs;
        secs.setf(std::ios::fixed);
        secs.precision(4);
        secs << s;
        std::ostringstream mbs;
        mbs.setf(std::ios::fixed);
        mbs.precision(1);
        mbs << (s > 0 ? bytes / s / 1e6 : 0.0);
        out << pad(secs.str(), 11, true) << pad(group_digits(s > 0 ? static_cast<double>(o.count) / s : 0.0), 15, true)
            << pad(mbs.str(), 10, true) << "  ";
        if (t.is_intact(o.count)) {
            out << "yes, checksum " << t.transfers.front().received_checksum << "\n";
        } else {
            const auto& bad = t.transfers.back();
            out << "NO: " << (t.error.empty() ? "" : t.error + "; ") << bad.messages_received << "/" << o.count
                << " received, checksum " << bad.received_checksum << " vs sent " << bad.sent_checksum
                << (bad.in_order ? "" : ", out of order") << "\n";
        }
    }
    out << "MB = 10^6 bytes. Each consumer reads every byte it receives to checksum it; that work is in every row.\n";
    out << compare_pipe_and_queue(result);
    return out.str();
}

std::string throughput_to_json(const throughput_result& result) {
    const auto& o = result.options;
    const auto env = get_native_environment();
    json_writer json;
    json.begin_object();
    json.key("command");
    json.value("ipc throughput");
    json.key("generator");
    json.value(generator_name);
    json.key("environment");
    json.begin_object();
    json.key("os");
    json.value(env.os);
    json.key("cpu_model");
    if (env.cpu_model) json.value(*env.cpu_model);
    else json.null();
    json.key("logical_cpus");
    json.value(env.logical_cpus);
    json.key("compiler");
    json.value(env.compiler);
    json.end_object();
    json.key("size");
    json.value(o.size);
    json.key("count");
    json.value(o.count);
    json.key("repeats");
    json.value(o.repeats);
    json.key("intact");
    json.value(result.is_intact());
    json.key("transports");
    json.begin_array();
    for (const auto& t : result.transports) {
        const double s = t.get_median_seconds();
        json.begin_object();
        json.key("id");
        json.value(get_transport_id(t.transport));
        json.key("label");
        json.value(get_transport_label(t.transport));
        json.key("median_s");
        if (t.transfers.empty()) json.null();
        else json.value(s);
        json.key("messages_per_s");
        if (t.transfers.empty() || s <= 0) json.null();
        else json.value(static_cast<double>(o.count) / s);
        json.key("mb_per_s");
        if (t.transfers.empty() || s <= 0) json.null();
        else json.value(static_cast<double>(o.count) * static_cast<double>(o.size) / s / 1e6);
        json.key("intact");
        json.value(t.is_intact(o.count));
        json.key("error");
        if (t.error.empty()) json.null();
        else json.value(t.error);
        json.key("transfers");
        json.begin_array();
        for (const auto& transfer : t.transfers) {
            json.begin_object();
            json.key("seconds");
            json.value(transfer.seconds);
            json.key("messages_received");
            json.value(transfer.messages_received);
            json.key("sent_checksum");  // decimal strings: JavaScript numbers lose precision past 2^53
            json.value(std::to_string(transfer.sent_checksum));
            json.key("received_checksum");
            json.value(std::to_string(transfer.received_checksum));
            json.key("in_order");
            json.value(transfer.in_order);
            json.end_object();
        }
        json.end_array();
        json.end_object();
    }
    json.end_array();
    json.end_object();
    return json.take() + "\n";
}

}  // namespace parlab
