// Forked child processes: fork that throws, a child that is killed and reaped when it goes out of scope, and
// what its wait status says in words.
#pragma once

#include <sys/types.h>  // pid_t

#include <optional>  // std::optional
#include <string>    // std::string
#include <utility>   // std::move

namespace parlab::posix {

/// fork(); throws std::runtime_error ("fork failed: ...") if the OS refuses. Returns 0 in the child.
[[nodiscard]] pid_t fork_process();

/// "was killed by signal 9 (Killed)" or "exited with code 3" (strsignal names the signal).
[[nodiscard]] std::string describe_wait_status(int status);

/// A forked child owned by the parent: asked without blocking whether it still runs, waited for once; the
/// destructor kills (SIGKILL) a child that was never waited for, then reaps it, so no zombie is left.
class child_process {
public:
    child_process() = default;
    explicit child_process(pid_t pid) : pid_(pid), done_(pid <= 0) {}
    ~child_process() { end(); }
    child_process(child_process&& other) noexcept { *this = std::move(other); }
    child_process& operator=(child_process&& other) noexcept;
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    [[nodiscard]] pid_t get_pid() const { return pid_; }
    /// Whether the child has not ended yet (reaps it if it has).
    [[nodiscard]] bool is_alive();
    /// Blocks until the child has ended and is reaped; its wait status, or nullopt if waitpid refused (it is not
    /// this process's child). Later calls return the same.
    std::optional<int> wait();
    /// Sends a signal unless the child was already reaped (its pid may belong to another process by then).
    void kill(int signal);
    /// Whether wait() or is_alive() collected the child.
    [[nodiscard]] bool is_reaped() const { return done_ && status_.has_value(); }
    /// describe_wait_status of the collected status; "stopped answering" before that.
    [[nodiscard]] std::string describe() const;

private:
    void end();  // kill unless done, then wait

    pid_t pid_ = -1;
    bool done_ = true;  // nothing left to wait for (no child, or waited)
    std::optional<int> status_;

};

}  // namespace parlab::posix
