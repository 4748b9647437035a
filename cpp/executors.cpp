// The sequential and thread-pool executors, and the timing of one task that every executor shares.
#include "executor.hpp"

#include <algorithm>  // std::min
#include <atomic>     // std::atomic
#include <mutex>      // std::mutex, std::scoped_lock
#include <optional>   // std::optional
#include <thread>     // std::this_thread::sleep_until

#include "thread_pool.hpp"

namespace parlab {

namespace {

double seconds_between(platform::clock::time_point from, platform::clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

/// What one worker thread remembers between its tasks, to spare system calls that cost about a microsecond
/// each on a virtual machine (more than an empty task): its pid and thread id, asked of the OS once, and
/// its CPU clock at the end of its previous task, reused as the start of the next (one clock read per task,
/// not two). The pool's hand-over between two tasks (well under a microsecond of CPU) then counts towards
/// the next task's cpu_s; half of each clock read's own cost counted there before.
struct worker_state {
    std::int64_t pid = 0;
    std::uint64_t thread = 0;
    double cpu_mark = -1;  ///< thread CPU seconds when its previous task ended; negative: read afresh
};

worker_state get_current_worker() { return {platform::get_pid(), platform::get_thread_id()}; }

task_record run_task_as(const workload& work, std::size_t task, unsigned worker, worker_state& who,
                        const run_control& control, platform::clock::time_point run_start);

std::string describe_failure(const workload& work, std::size_t task, const std::exception& e) {
    return "task " + std::to_string(task) + " (" + work.describe(task) + ") failed: " + e.what();
}

class sequential_executor final : public executor {
public:
    [[nodiscard]] std::string get_mode() const override { return "sequential"; }
    [[nodiscard]] unsigned get_workers() const override { return 1; }

    [[nodiscard]] execution execute(const workload& work, run_control& control,
                                    platform::clock::time_point run_start) override {
        execution result;
        worker_state who = get_current_worker();
        result.tasks.reserve(work.get_task_count());
        for (std::size_t i = 0; i < work.get_task_count(); ++i) {
            if (control.is_cancelled()) break;
            try {
                result.tasks.push_back(run_task_as(work, i, 0, who, control, run_start));
                control.done.fetch_add(1);
            } catch (const cancelled_error&) {
                break;
            } catch (const std::exception& e) {
                result.error = describe_failure(work, i, e);
                break;
            }
        }
        return result;
    }
};

class threads_executor final : public executor {
public:
    explicit threads_executor(unsigned workers) : workers_(workers) {}
    [[nodiscard]] std::string get_mode() const override { return "threads"; }
    [[nodiscard]] unsigned get_workers() const override { return workers_; }

    [[nodiscard]] execution execute(const workload& work, run_control& control,
                                    platform::clock::time_point run_start) override {
        execution result;
        const std::size_t count = work.get_task_count();
        std::vector<std::optional<task_record>> slots(count);  // slot i is written only by task i's thread
        std::vector<std::optional<worker_state>> states(workers_);  // slot w is used only by pool thread w
        std::mutex error_mutex;
        {
            thread_pool pool(workers_);
            result.startup_s = seconds_between(run_start, platform::clock::now());
            for (std::size_t i = 0; i < count; ++i) {
                pool.submit([&, i] {
                    if (control.is_cancelled()) return;
                    try {
                        const unsigned worker = thread_pool::get_worker_index().value_or(0);
                        auto& who = states[worker];
                        if (!who) who = get_current_worker();
                        slots[i] = run_task_as(work, i, worker, *who, control, run_start);
                        control.done.fetch_add(1);
                    } catch (const cancelled_error&) {
                    } catch (const std::exception& e) {
                        const std::scoped_lock lock(error_mutex);
                        if (result.error.empty()) result.error = describe_failure(work, i, e);
                        // Policy: the first failure cancels the tasks not yet started.
                        control.cancel.store(1);
                    }
                });
            }
            pool.wait();
        }
        result.tasks.reserve(count);
        for (auto& slot : slots)
            if (slot) result.tasks.push_back(std::move(*slot));
        return result;
    }

private:
    unsigned workers_;
};

}  // namespace

void wait_until(platform::clock::time_point deadline, const run_control& control) {
    constexpr auto slice = std::chrono::milliseconds(5);  // how soon a cancel is noticed
    while (true) {
        if (control.is_cancelled()) throw cancelled_error();
        const auto now = platform::clock::now();
        if (now >= deadline) return;
        std::this_thread::sleep_until(std::min(deadline, now + slice));
    }
}

namespace {

task_record run_task_as(const workload& work, std::size_t task, unsigned worker, worker_state& who,
                        const run_control& control, platform::clock::time_point run_start) {
    task_record record;
    record.id = static_cast<std::uint32_t>(task);
    record.worker = worker;
    record.pid = who.pid;
    record.thread = who.thread;
    record.phase = work.get_phase();

    const auto start = platform::clock::now();
    const double wait = work.get_wait_seconds(task);
    if (wait > 0)
        wait_until(start + std::chrono::duration_cast<platform::clock::duration>(std::chrono::duration<double>(wait)),
                   control);
    const auto computing = platform::clock::now();
    // After a wait the mark is stale (waking up from sleeps used some CPU): read the clock afresh.
    const double cpu_before = wait > 0 || who.cpu_mark < 0 ? platform::get_thread_cpu_seconds() : who.cpu_mark;
    who.cpu_mark = -1;  // a computation that throws leaves no mark
    record.value = work.compute(task, control);
    const double cpu_after = platform::get_thread_cpu_seconds();
    who.cpu_mark = cpu_after;
    const auto end = platform::clock::now();

    record.start_s = seconds_between(run_start, start);
    record.end_s = seconds_between(run_start, end);
    record.wait_s = seconds_between(start, computing);
    if (cpu_before >= 0 && cpu_after >= 0) record.cpu_s = cpu_after - cpu_before;
    return record;
}

}  // namespace

task_record run_one_task(const workload& work, std::size_t task, unsigned worker, const run_control& control,
                         platform::clock::time_point run_start) {
    worker_state who = get_current_worker();
    return run_task_as(work, task, worker, who, control, run_start);
}

std::unique_ptr<executor> make_portable_executor(const std::string& mode, unsigned workers) {
    if (workers < 1 || workers > max_workers)
        throw invalid_argument_error("workers must be between 1 and " + std::to_string(max_workers) + " (got " +
                                     std::to_string(workers) + ")");
    if (mode == "sequential") {
        if (workers != 1)
            throw invalid_argument_error("workers must be 1 in sequential mode (got " + std::to_string(workers) + ")");
        return std::make_unique<sequential_executor>();
    }
    if (mode == "threads") return std::make_unique<threads_executor>(workers);
    throw invalid_argument_error("mode must be one of sequential, threads, processes (got '" + mode + "')");
}

}  // namespace parlab
