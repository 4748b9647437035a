// The executor interface (sequential, a thread pool, a process pool) and the one way a task is run and timed.
#pragma once

#include <memory>    // std::unique_ptr
#include <optional>  // std::optional
#include <string>  // std::string
#include <vector>  // std::vector

#include "platform.hpp"
#include "run_control.hpp"
#include "run_result.hpp"
#include "workload.hpp"

namespace parlab {

/// What an executor hands back: the finished tasks (any order) and how long its start-up took.
struct execution {
    std::vector<task_record> tasks;
    double startup_s = 0;
    std::string error;  ///< first failure (names the task or worker); empty if none
    std::vector<failed_task> failed_tasks;  ///< tasks lost while the run went on (process pool, respawn policy)
    std::optional<std::uint64_t> bytes_transferred;  ///< bytes through pipes (process pool); none in shared memory
};

class executor {
public:
    virtual ~executor() = default;
    /// One of get_mode_names(): "sequential", "threads", "threads-gil", "async" or "processes".
    [[nodiscard]] virtual std::string get_mode() const = 0;
    /// Number of workers it runs tasks on.
    [[nodiscard]] virtual unsigned get_workers() const = 0;
    /// threads-gil: the simulated interpreter lock's switch interval; nothing for other modes.
    [[nodiscard]] virtual std::optional<double> get_switch_interval_ms() const { return std::nullopt; }
    /// Runs every task of work once, unless control.cancel is set or a task fails, in which case it stops
    /// early; returns the tasks that finished. Never throws for a task's failure: it goes into error.
    [[nodiscard]] virtual execution execute(const workload& work, run_control& control,
                                            platform::clock::time_point run_start) = 0;
};

/// What one worker remembers between its tasks, to spare system calls that cost about a microsecond each on a
/// virtual machine (more than an empty task): its pid and thread id, asked of the OS once, and its CPU clock at the
/// end of its previous task, reused as the start of the next (one clock read per task, not two). The hand-over
/// between two tasks (well under a microsecond of CPU) then counts towards the next task's cpu_s.
struct worker_state {
    std::int64_t pid = 0;
    std::uint64_t thread = 0;
    double cpu_mark = -1;  ///< thread CPU seconds when its previous task ended; negative: read afresh
};

/// The calling thread's pid and thread id, with no CPU mark.
[[nodiscard]] worker_state get_current_worker();

/// Runs task i: waits its latency (cancellably, without using the CPU), computes, and times both.
/// Throws cancelled_error if cancelled, or whatever the computation throws.
[[nodiscard]] task_record run_one_task(const workload& work, std::size_t task, unsigned worker,
                                       const run_control& control, platform::clock::time_point run_start);

/// The same for a worker that runs task after task on one thread: `who` is the calling thread's (from
/// get_current_worker) and is kept between its tasks. Set who.cpu_mark to -1 after CPU work of the worker's own
/// between tasks (copying a payload), or it is counted in the next task's cpu_s.
[[nodiscard]] task_record run_one_task(const workload& work, std::size_t task, unsigned worker, worker_state& who,
                                       const run_control& control, platform::clock::time_point run_start);

/// Sleeps until deadline in short slices, returning early (throwing cancelled_error) when cancelled.
void wait_until(platform::clock::time_point deadline, const run_control& control);

/// Settings that only some modes use.
struct executor_options {
    double switch_interval_ms = default_switch_interval_ms;  ///< threads-gil: CPython's sys.getswitchinterval()
};

/// The portable executors: "sequential" (workers must be 1), "threads", "threads-gil" (threads under a
/// simulated interpreter lock) and "async" (one thread, an event loop, up to `workers` tasks in flight).
/// Throws invalid_argument_error for any other mode, a worker count outside 1..max_workers, or options out of
/// bounds.
[[nodiscard]] std::unique_ptr<executor> make_portable_executor(const std::string& mode, unsigned workers,
                                                               const executor_options& options = {});

/// Largest worker count any executor accepts.
inline constexpr unsigned max_workers = 256;

}  // namespace parlab
