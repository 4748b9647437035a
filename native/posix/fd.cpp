// unique_fd, close-on-exec pipes, and reads and writes that go on after short transfers and EINTR.
#include "posix/fd.hpp"

#include <fcntl.h>   // O_CLOEXEC
#include <unistd.h>  // pipe2, read, write, close

#include <cerrno>  // errno, EINTR

#include "posix/error.hpp"

namespace parlab::posix {

void unique_fd::reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

pipe_pair make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw os_error("pipe");
    return {unique_fd(fds[0]), unique_fd(fds[1])};
}

bool write_all(int fd, const void* data, std::size_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool read_all(int fd, void* data, std::size_t size) {
    char* p = static_cast<char*>(data);
    while (size > 0) {
        const ssize_t n = ::read(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace parlab::posix
