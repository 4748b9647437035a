// The hello child (named with prctl, reading its own name back from /proc) and the parent's checks.
#include "ipc/hello.hpp"

#include <fcntl.h>      // open, O_RDONLY, O_CLOEXEC
#include <sys/prctl.h>  // prctl, PR_SET_NAME
#include <sys/wait.h>   // WIFEXITED, WEXITSTATUS
#include <unistd.h>     // read, close, getpid, getppid, _exit

#include <algorithm>  // std::min
#include <cerrno>     // errno, EINTR
#include <charconv>   // std::from_chars, std::to_chars
#include <cstring>    // std::memcpy

#include "posix/child.hpp"
#include "posix/fd.hpp"

namespace parlab {

namespace {

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
    _exit(posix::write_all(fd, line.text, line.length) ? 0 : 3);
}

}  // namespace

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
    posix::pipe_pair channel = posix::make_pipe();
    hello_result result;
    result.parent_pid = ::getpid();
    const pid_t pid = posix::fork_process();
    if (pid == 0) {
        channel.read_end.reset();
        hello_child(channel.write_end.get(), name);
    }
    posix::child_process child(pid);
    result.child_pid = pid;
    channel.write_end.reset();  // so the read below ends when the child's end closes
    char chunk[256];
    for (;;) {
        const ssize_t n = ::read(channel.read_end.get(), chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        result.message.append(chunk, static_cast<std::size_t>(n));
    }
    const std::optional<int> status = child.wait();
    result.reaped = child.is_reaped();
    result.exit_code = status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
    while (!result.message.empty() && result.message.back() == '\n') result.message.pop_back();
    if (const auto line = parse_hello_line(result.message)) {
        result.child_name = line->name;
        result.reported_pid = line->pid;
        result.reported_parent_pid = line->parent_pid;
    }
    return result;
}

}  // namespace parlab
