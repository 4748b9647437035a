// fork, waitpid and kill for the children of the process pool, ipc and the experiments.
#include "posix/child.hpp"

#include <signal.h>    // kill, SIGKILL
#include <sys/wait.h>  // waitpid, WIFSIGNALED, WTERMSIG, WIFEXITED, WEXITSTATUS, WNOHANG
#include <unistd.h>    // fork

#include <cerrno>   // errno, EINTR
#include <cstring>  // strsignal

#include "posix/error.hpp"

namespace parlab::posix {

pid_t fork_process() {
    const pid_t pid = ::fork();
    if (pid < 0) throw os_error("fork");
    return pid;
}

std::string describe_wait_status(int status) {
    if (WIFSIGNALED(status))
        return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
    return "exited with code " + std::to_string(WEXITSTATUS(status));
}

child_process& child_process::operator=(child_process&& other) noexcept {
    if (this != &other) {
        end();
        pid_ = other.pid_;
        done_ = other.done_;
        status_ = other.status_;
        other.pid_ = -1;
        other.done_ = true;
        other.status_.reset();
    }
    return *this;
}

bool child_process::is_alive() {
    if (done_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        status_ = status;
        done_ = true;
    }
    return !done_;
}

std::optional<int> child_process::wait() {
    while (!done_) {
        int status = 0;
        const pid_t got = ::waitpid(pid_, &status, 0);
        if (got == pid_) status_ = status;
        if (got == pid_ || (got < 0 && errno != EINTR)) done_ = true;
    }
    return status_;
}

void child_process::kill(int signal) {
    if (!done_) ::kill(pid_, signal);
}

std::string child_process::describe() const {
    return status_ ? describe_wait_status(*status_) : "stopped answering";
}

void child_process::end() {
    if (done_) return;
    ::kill(pid_, SIGKILL);
    static_cast<void>(wait());
}

}  // namespace parlab::posix
