// The portable executors (sequential, threads, threads-gil, async) and the timing of one task they all share.
#include "executor.hpp"

#include <algorithm>  // std::min
#include <atomic>     // std::atomic
#include <mutex>      // std::mutex, std::scoped_lock
#include <optional>   // std::optional
#include <queue>      // std::priority_queue
#include <thread>     // std::this_thread::sleep_until

#include "interpreter_lock.hpp"
#include "thread_pool.hpp"

namespace parlab {

namespace {

double seconds_between(platform::clock::time_point from, platform::clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

task_record run_task_as(const workload& work, std::size_t task, unsigned worker, worker_state& who,
                        const run_control& control, platform::clock::time_point run_start);

/// The second half of a task, after its wait: takes the interpreter lock if the run has one, computes, and
/// fills the record. `start` is when the task started, `computing` when its wait ended.
task_record compute_task_as(const workload& work, std::size_t task, unsigned worker, worker_state& who,
                            const run_control& control, platform::clock::time_point run_start,
                            platform::clock::time_point start, platform::clock::time_point computing);

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

/// A pool of threads; with a switch interval, they compute only while holding one simulated interpreter lock.
class threads_executor final : public executor {
public:
    threads_executor(unsigned workers, std::optional<std::chrono::microseconds> switch_interval)
        : workers_(workers), switch_interval_(switch_interval) {}
    [[nodiscard]] std::string get_mode() const override { return switch_interval_ ? "threads-gil" : "threads"; }
    [[nodiscard]] unsigned get_workers() const override { return workers_; }
    [[nodiscard]] std::optional<double> get_switch_interval_ms() const override {
        if (!switch_interval_) return std::nullopt;
        return static_cast<double>(switch_interval_->count()) / 1000.0;
    }

    [[nodiscard]] execution execute(const workload& work, run_control& control,
                                    platform::clock::time_point run_start) override {
        std::optional<interpreter_lock> gil;
        if (switch_interval_) gil.emplace(*switch_interval_);
        control.lock = gil ? &*gil : nullptr;
        struct lock_detach {  // the run_control must not point at the lock once it is gone
            run_control& control;
            ~lock_detach() { control.lock = nullptr; }
        } detach{control};
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
    std::optional<std::chrono::microseconds> switch_interval_;
};

/// One thread and an event loop, as asyncio has: up to max_in_flight tasks are started at once; each waits
/// its latency as a timer, and the loop computes, one task at a time, whichever timer is due first. Waits
/// overlap; computations never do. A task's worker index is the slot (0..max_in_flight-1) it ran in.
class async_executor final : public executor {
public:
    explicit async_executor(unsigned max_in_flight) : max_in_flight_(max_in_flight) {}
    [[nodiscard]] std::string get_mode() const override { return "async"; }
    [[nodiscard]] unsigned get_workers() const override { return max_in_flight_; }

    [[nodiscard]] execution execute(const workload& work, run_control& control,
                                    platform::clock::time_point run_start) override {
        struct timer {
            platform::clock::time_point due;
            std::size_t task;
            unsigned slot;
            platform::clock::time_point start;
            bool operator>(const timer& other) const {
                return due != other.due ? due > other.due : task > other.task;
            }
        };
        execution result;
        worker_state who = get_current_worker();
        const std::size_t count = work.get_task_count();
        result.tasks.reserve(count);
        std::priority_queue<timer, std::vector<timer>, std::greater<>> timers;
        std::vector<unsigned> free_slots;
        for (unsigned slot = max_in_flight_; slot-- > 0;) free_slots.push_back(slot);
        std::size_t next = 0;
        auto start_tasks = [&] {
            while (next < count && !free_slots.empty()) {
                const unsigned slot = free_slots.back();
                free_slots.pop_back();
                const auto start = platform::clock::now();
                const auto wait = std::chrono::duration_cast<platform::clock::duration>(
                    std::chrono::duration<double>(work.get_wait_seconds(next)));
                timers.push({start + wait, next, slot, start});
                ++next;
            }
        };
        start_tasks();
        while (!timers.empty() && !control.is_cancelled()) {
            const timer due = timers.top();
            timers.pop();
            try {
                wait_until(due.due, control);
                who.cpu_mark = -1;  // the loop may have slept since the last computation
                result.tasks.push_back(compute_task_as(work, due.task, due.slot, who, control, run_start, due.start,
                                                       platform::clock::now()));
                control.done.fetch_add(1);
            } catch (const cancelled_error&) {
                break;
            } catch (const std::exception& e) {
                result.error = describe_failure(work, due.task, e);
                break;
            }
            free_slots.push_back(due.slot);
            start_tasks();
        }
        return result;
    }

private:
    unsigned max_in_flight_;
};

/// Holds the run's interpreter lock, if it has one, recording the stretches held; releases it when destroyed.
class lock_hold {
public:
    lock_hold(interpreter_lock* lock, std::vector<held_interval>& stretches) : lock_(lock) {
        if (lock_ == nullptr) return;
        interpreter_lock::set_interval_sink(&stretches);
        lock_->acquire();
    }
    ~lock_hold() { release(); }
    lock_hold(const lock_hold&) = delete;
    lock_hold& operator=(const lock_hold&) = delete;

    void release() {
        if (lock_ == nullptr) return;
        lock_->release();
        interpreter_lock::set_interval_sink(nullptr);
        lock_ = nullptr;
    }

private:
    interpreter_lock* lock_;
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
    const auto start = platform::clock::now();
    const double wait = work.get_wait_seconds(task);
    if (wait <= 0) return compute_task_as(work, task, worker, who, control, run_start, start, start);  // wait_s 0
    wait_until(start + std::chrono::duration_cast<platform::clock::duration>(std::chrono::duration<double>(wait)),
               control);
    who.cpu_mark = -1;  // waking up from sleeps used some CPU: the mark is stale
    return compute_task_as(work, task, worker, who, control, run_start, start, platform::clock::now());
}

task_record compute_task_as(const workload& work, std::size_t task, unsigned worker, worker_state& who,
                            const run_control& control, platform::clock::time_point run_start,
                            platform::clock::time_point start, platform::clock::time_point computing) {
    task_record record;
    record.id = static_cast<std::uint32_t>(task);
    record.worker = worker;
    record.pid = who.pid;
    record.thread = who.thread;
    record.phase = work.get_phase();

    std::vector<held_interval> stretches;
    lock_hold hold(control.lock, stretches);  // blocks while another thread computes, in threads-gil mode
    if (const double wait = work.get_wait_seconds(task); wait > 0)
        record.late_s = std::max(0.0, seconds_between(start, platform::clock::now()) - wait);
    const double cpu_before = who.cpu_mark < 0 || control.lock != nullptr ? platform::get_thread_cpu_seconds()
                                                                          : who.cpu_mark;
    who.cpu_mark = -1;  // a computation that throws leaves no mark
    record.value = work.compute(task, control);
    const double cpu_after = platform::get_thread_cpu_seconds();
    who.cpu_mark = cpu_after;
    hold.release();
    const auto end = platform::clock::now();

    record.start_s = seconds_between(run_start, start);
    record.end_s = seconds_between(run_start, end);
    record.wait_s = seconds_between(start, computing);
    if (cpu_before >= 0 && cpu_after >= 0) record.cpu_s = cpu_after - cpu_before;
    if (work.records_memory()) {
        if (const std::int64_t kib = platform::get_memory_kib(); kib >= 0) record.rss_kib = kib;
        who.cpu_mark = -1;  // reading the memory figure is not the next task's computation
    }
    for (const auto& stretch : stretches)
        record.held.emplace_back(seconds_between(run_start, stretch.start), seconds_between(run_start, stretch.end));
    return record;
}

}  // namespace

worker_state get_current_worker() { return {platform::get_pid(), platform::get_thread_id()}; }

task_record run_one_task(const workload& work, std::size_t task, unsigned worker, const run_control& control,
                         platform::clock::time_point run_start) {
    worker_state who = get_current_worker();
    return run_task_as(work, task, worker, who, control, run_start);
}

task_record run_one_task(const workload& work, std::size_t task, unsigned worker, worker_state& who,
                         const run_control& control, platform::clock::time_point run_start) {
    return run_task_as(work, task, worker, who, control, run_start);
}

std::unique_ptr<executor> make_portable_executor(const std::string& mode, unsigned workers,
                                                 const executor_options& options) {
    if (workers < 1 || workers > max_workers)
        throw invalid_argument_error("workers", "1.." + std::to_string(max_workers), "workers",
                                     "must be between 1 and " + std::to_string(max_workers) + " (got " +
                                         std::to_string(workers) + ")");
    if (mode == "sequential") {
        if (workers != 1)
            throw invalid_argument_error("workers", "1", "workers",
                                         "must be 1 in sequential mode (got " + std::to_string(workers) + ")");
        return std::make_unique<sequential_executor>();
    }
    if (mode == "threads") return std::make_unique<threads_executor>(workers, std::nullopt);
    if (mode == "threads-gil") {
        const double ms = options.switch_interval_ms;
        if (!(ms >= min_switch_interval_ms && ms <= max_switch_interval_ms))
            throw invalid_argument_error("switch_interval_ms", "0.1..1000", "switch_interval_ms",
                                         "must be between 0.1 and 1000 (got " + std::to_string(ms) + ")");
        return std::make_unique<threads_executor>(
            workers, std::chrono::microseconds(static_cast<std::int64_t>(ms * 1000.0)));
    }
    if (mode == "async") return std::make_unique<async_executor>(workers);
    const std::string names = join_names(get_mode_names());
    throw invalid_argument_error("mode", "one of " + names, "mode", "must be one of " + names + " (got '" + mode + "')");
}

}  // namespace parlab
