// The lab's own instrumented locks: named, each knows its holder and its waiters, so a deadlock can be named.
#pragma once

#include <chrono>              // std::chrono::milliseconds
#include <condition_variable>  // std::condition_variable
#include <cstddef>             // std::size_t
#include <map>                 // std::map
#include <mutex>               // std::mutex
#include <optional>            // std::optional
#include <stdexcept>           // std::runtime_error
#include <string>              // std::string
#include <vector>              // std::vector

#include "interpreter_lock.hpp"
#include "platform.hpp"
#include "run_result.hpp"  // lock_stretch
#include "run_control.hpp"

namespace parlab {

/// How long every waiter of a cycle must have waited (no lock changing hands among them) before the cycle is
/// reported as a deadlock. A cycle of waits can never resolve itself; the bound keeps a report from racing a
/// release that is already on its way, and leaves the learner time to see the waits on a timeline.
inline constexpr std::chrono::milliseconds deadlock_bound{1000};

/// How often a waiter looks at the wait-for graph and at a cancel request.
inline constexpr std::chrono::milliseconds lock_wait_slice{10};

/// Thrown by the waiter that finds a deadlock; what() is one line,
/// "deadlock: worker 0 holds A, waits for B; worker 1 holds B, waits for A".
struct deadlock_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Releases the interpreter lock (if there is one) for a scope and takes it back when the scope ends, as CPython
/// does around a blocking call (Py_BEGIN_ALLOW_THREADS): a sleep, or a wait for a lock another thread holds.
/// The calling thread must hold the lock; with nullptr it does nothing.
class interpreter_lock_released {
public:
    explicit interpreter_lock_released(interpreter_lock* lock) : lock_(lock) {
        if (lock_ != nullptr) lock_->release();
    }
    ~interpreter_lock_released() {
        if (lock_ != nullptr) lock_->acquire();
    }
    interpreter_lock_released(const interpreter_lock_released&) = delete;
    interpreter_lock_released& operator=(const interpreter_lock_released&) = delete;

private:
    interpreter_lock* lock_;
};

/// A set of named, non-recursive locks and the wait-for graph over them: which worker holds each lock, and which
/// lock each waiting worker waits for, since when. Workers are the executor's worker indices.
class lab_locks {
public:
    // ---- constructors ----

    /// Locks with these names (e.g. "A", "B"), all free; lock i is names[i].
    explicit lab_locks(std::vector<std::string> names);

    lab_locks(const lab_locks&) = delete;
    lab_locks& operator=(const lab_locks&) = delete;

    // ---- public members ----

    /// Takes lock `index` for `worker`, waiting while another worker holds it. While it waits it releases the
    /// run's interpreter lock (control.lock), as CPython's lock.acquire() releases the GIL, and every slice it
    /// throws cancelled_error if the run was cancelled or a deadlock was reported among these locks, and
    /// deadlock_error if it finds a cycle of waits in which every waiter has waited past deadlock_bound.
    void acquire(std::size_t index, unsigned worker, const run_control& control);

    /// Releases lock `index`, which `worker` must hold (std::logic_error otherwise).
    void release(std::size_t index, unsigned worker);

    /// The worker holding lock `index`, or nothing when it is free.
    [[nodiscard]] std::optional<unsigned> get_holder(std::size_t index) const;

    /// Every hold and wait so far, in the order they began, in seconds since `since`; one still going ends now.
    [[nodiscard]] std::vector<lock_stretch> get_stretches(platform::clock::time_point since) const;

    /// Lock `index`'s name.
    [[nodiscard]] const std::string& get_name(std::size_t index) const { return names_.at(index); }

private:
    struct wait {
        std::size_t lock;
        platform::clock::time_point since;
        std::size_t stretch;  // its index in stretches_
    };
    /// A hold or a wait as it happens (lock_stretch in clock time; `to` empty while it goes on).
    struct timed_stretch {
        unsigned worker;
        std::size_t lock;
        bool held;
        platform::clock::time_point from;
        std::optional<platform::clock::time_point> to;
    };

    // ---- private members ----

    /// Takes the lock if it is free; false if another worker holds it. Needs graph_mutex_.
    bool try_take(std::size_t index, unsigned worker);
    /// The deadlock message for the cycle `worker`'s chain of waits runs into, once every waiter in it has waited
    /// past deadlock_bound at `now`; nothing otherwise. Needs graph_mutex_.
    [[nodiscard]] std::optional<std::string> find_deadlock(unsigned worker, platform::clock::time_point now) const;
    /// Forgets a reported deadlock once nobody holds or waits for any lock. Needs graph_mutex_.
    void clear_deadlock_if_idle();

    // ---- data ----

    const std::vector<std::string> names_;
    mutable std::mutex graph_mutex_;
    std::condition_variable lock_released_cv_;  // signalled when a lock is released or a deadlock reported
    std::vector<std::optional<unsigned>> holders_;
    std::map<unsigned, wait> waits_;  // by worker
    std::vector<timed_stretch> stretches_;
    std::vector<std::size_t> hold_stretch_;  // by lock: the index in stretches_ of its current hold
    bool deadlock_reported_ = false;
};

/// Holds one lab lock from construction to destruction (RAII), for the calling worker.
class lab_lock_hold {
public:
    lab_lock_hold(lab_locks& locks, std::size_t index, unsigned worker, const run_control& control)
        : locks_(locks), index_(index), worker_(worker) {
        locks_.acquire(index_, worker_, control);
    }
    ~lab_lock_hold() { locks_.release(index_, worker_); }
    lab_lock_hold(const lab_lock_hold&) = delete;
    lab_lock_hold& operator=(const lab_lock_hold&) = delete;

private:
    lab_locks& locks_;
    std::size_t index_;
    unsigned worker_;
};

}  // namespace parlab
