// Signals: SIGPIPE ignored while pipes are in use, SIGINT/SIGTERM turned into a stop request, a worker's dispositions.
#pragma once

#include <signal.h>  // struct sigaction

#include "run_control.hpp"

namespace parlab::posix {

/// While alive, a write to a pipe whose reader is gone fails with EPIPE instead of killing this process.
class sigpipe_ignored {
public:
    sigpipe_ignored();
    ~sigpipe_ignored();
    sigpipe_ignored(const sigpipe_ignored&) = delete;
    sigpipe_ignored& operator=(const sigpipe_ignored&) = delete;

private:
    struct sigaction old_ {};
};

/// From now on SIGINT and SIGTERM record the signal (get_stop_signal) and stop every run of control
/// (run_control::stop_all, lock-free: async-signal-safe). control must outlive the program's runs.
void install_stop_handlers(run_control& control);

/// The signal that asked the program to stop (SIGINT, SIGTERM), 0 while none has.
[[nodiscard]] int get_stop_signal();

/// In a forked worker process: Ctrl-C is the parent's to handle (SIGINT ignored), SIGPIPE and SIGTERM as by default.
void set_worker_signals();

}  // namespace parlab::posix
