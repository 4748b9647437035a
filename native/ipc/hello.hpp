// `parlab ipc hello`: a forked child writes one line to its parent over a pipe; the parent checks who wrote it.
#pragma once

#include <cstdint>      // std::int64_t
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view

namespace parlab {

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


}  // namespace parlab
