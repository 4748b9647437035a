// The program's stop handlers and the pipes' SIGPIPE: sigaction, kept in one place.
#include "posix/signals.hpp"

#include <csignal>  // std::sig_atomic_t

namespace parlab::posix {

namespace {

run_control* stop_control = nullptr;  // the signal handler's only way in
volatile std::sig_atomic_t stop_signal = 0;

extern "C" void on_stop_signal(int signal) {
    stop_signal = signal;
    if (stop_control != nullptr) stop_control->stop_all.store(1);  // survives the next run's reset()
}

void set_handler(int signal, void (*handler)(int)) {
    struct sigaction action {};
    action.sa_handler = handler;
    action.sa_flags = SA_RESTART;  // as std::signal: a read or write the signal interrupts goes on
    sigemptyset(&action.sa_mask);
    sigaction(signal, &action, nullptr);
}

}  // namespace

sigpipe_ignored::sigpipe_ignored() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore, &old_);
}

sigpipe_ignored::~sigpipe_ignored() { sigaction(SIGPIPE, &old_, nullptr); }

void install_stop_handlers(run_control& control) {
    stop_control = &control;
    set_handler(SIGINT, on_stop_signal);
    set_handler(SIGTERM, on_stop_signal);
}

int get_stop_signal() { return stop_signal; }

void set_worker_signals() {
    set_handler(SIGINT, SIG_IGN);
    set_handler(SIGPIPE, SIG_DFL);
    set_handler(SIGTERM, SIG_DFL);
}

}  // namespace parlab::posix
