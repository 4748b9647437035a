// File descriptors that close themselves, pipes made close-on-exec, and whole-buffer reads and writes on them.
#pragma once

#include <cstddef>  // std::size_t

namespace parlab::posix {

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
    /// Closes the descriptor now (if open).
    void reset();

private:
    int fd_ = -1;
};

/// Both ends of one pipe.
struct pipe_pair {
    unique_fd read_end;
    unique_fd write_end;
};

/// A pipe whose ends close on exec (a program started later never holds them open); throws std::runtime_error
/// naming the call and errno if the OS refuses.
[[nodiscard]] pipe_pair make_pipe();

/// Writes all size bytes to fd, going on after short writes and EINTR; false on an error (the reader is gone).
[[nodiscard]] bool write_all(int fd, const void* data, std::size_t size);

/// Reads exactly size bytes from fd; false on end of file or an error.
[[nodiscard]] bool read_all(int fd, void* data, std::size_t size);

}  // namespace parlab::posix
