// process pool: tasks run in other processes, each exactly once, with the same checksums; deaths are reported.
#include "process_pool.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <set>
#include <thread>

#include "child_processes.hpp"
#include "run.hpp"

namespace parlab {
namespace {

std::size_t open_fd_count() {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
    return n;
}

bool has_unreaped_children() {
    int status = 0;
    return ::waitpid(-1, &status, WNOHANG) == 0;  // 0: children exist, none exited; -1/ECHILD: none
}

TEST(ProcessPool, WorkersAreOtherProcessesAndEveryTaskRunsOnce) {
    run_control control;
    const auto params = parse_params("primes", {{"shape", "chunked"}, {"n", "300000"}, {"chunks", "24"}});
    process_pool_executor pool(3);
    const auto run = run_workload(params, pool, control);
    ASSERT_TRUE(run.ok) << run.error;
    ASSERT_TRUE(run.complete);
    ASSERT_EQ(run.tasks.size(), 24U);
    std::set<std::int64_t> pids;
    std::map<unsigned, std::int64_t> pid_of_worker;
    for (std::size_t i = 0; i < run.tasks.size(); ++i) {
        const auto& t = run.tasks[i];
        EXPECT_EQ(t.id, i);
        EXPECT_NE(t.pid, static_cast<std::int64_t>(::getpid()));
        EXPECT_LT(t.worker, 3U);
        EXPECT_LE(t.start_s, t.end_s);
        EXPECT_LE(t.end_s, run.wall_s);
        // A worker reads its CPU clock once per task, carrying the last reading over to the next task.
        ASSERT_TRUE(t.cpu_s.has_value()) << "task " << i << " has no CPU time";
        EXPECT_GE(*t.cpu_s, 0.0);
        const auto [it, inserted] = pid_of_worker.emplace(t.worker, t.pid);
        EXPECT_EQ(it->second, t.pid) << "a worker index maps to one process";
        pids.insert(t.pid);
    }
    EXPECT_LE(pids.size(), 3U);
    EXPECT_GT(run.startup_s, 0.0);

    auto sequential = make_portable_executor("sequential", 1);
    EXPECT_EQ(run_workload(params, *sequential, control).checksum, run.checksum);
}

TEST(ProcessPool, ChecksumsMatchForEveryWorkload) {
    run_control control;
    auto sequential = make_portable_executor("sequential", 1);
    for (const auto& params : {parse_params("factorials", {{"repeat", "40"}}),
                               parse_params("download", {{"count", "6"}, {"latency_ms", "10"}, {"work_kib", "4"}})}) {
        process_pool_executor pool(2);
        const auto run = run_workload(params, pool, control);
        ASSERT_TRUE(run.ok) << run.error;
        EXPECT_EQ(run.tasks.size(), run.task_count);
        EXPECT_EQ(run.checksum, run_workload(params, *sequential, control).checksum) << params.workload;
    }
}

TEST(ProcessPool, LeavesNoChildOrDescriptorBehind) {
    const std::size_t fds_before = open_fd_count();
    run_control control;
    process_pool_executor pool(4);
    const auto run = run_workload(parse_params("factorials", {{"repeat", "10"}}), pool, control);
    ASSERT_TRUE(run.ok) << run.error;
    EXPECT_EQ(open_fd_count(), fds_before);
    EXPECT_FALSE(has_unreaped_children());
}

/// Once `control` counts `after` finished tasks, SIGKILLs one running child of this process (a busy worker:
/// each task waits 50 ms, so a worker is almost never between tasks) and notes when.
class worker_killer {
public:
    worker_killer(const run_control& control, std::int32_t after)
        : thread_([this, &control, after] {
              while (control.done.load() < after) std::this_thread::sleep_for(std::chrono::milliseconds(1));
              const auto children = test_support::children_of(::getpid());
              if (children.empty()) return;
              killed_at_ = std::chrono::steady_clock::now();
              ::kill(children.front(), SIGKILL);
          }) {}
    /// Joins; the time the kill was sent.
    std::chrono::steady_clock::time_point join() {
        thread_.join();
        return killed_at_;
    }

private:
    std::chrono::steady_clock::time_point killed_at_;
    std::thread thread_;
};

double seconds_since(std::chrono::steady_clock::time_point from) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
}

TEST(ProcessPool, KilledWorkerEndsTheRunWithItsPidAndSignal) {
    const std::size_t fds_before = open_fd_count();
    run_control control;
    process_pool_executor pool(2);
    const auto params = parse_params("download", {{"count", "40"}, {"latency_ms", "50"}, {"work_kib", "0"}});
    worker_killer killer(control, 2);
    const auto run = run_workload(params, pool, control);
    const double after_kill = seconds_since(killer.join());
    EXPECT_FALSE(run.ok);
    EXPECT_NE(run.error.find("was killed by signal 9"), std::string::npos) << run.error;
    EXPECT_NE(run.error.find("(pid "), std::string::npos) << run.error;
    EXPECT_LT(run.tasks.size(), 40U);
    EXPECT_LT(after_kill, 1.0) << "the run ends promptly, not when the other worker runs out of tasks";
    std::cout << "[ figures  ] SIGKILL to run end (policy fail): " << after_kill * 1000 << " ms\n";
    EXPECT_FALSE(has_unreaped_children());
    EXPECT_EQ(open_fd_count(), fds_before);
}

TEST(ProcessPool, RespawnReplacesAKilledWorkerAndLosesOnlyItsTask) {
    const std::size_t fds_before = open_fd_count();
    run_control control;
    process_pool_executor pool(2, worker_death_policy::respawn);
    const auto params = parse_params("download", {{"count", "30"}, {"latency_ms", "50"}, {"work_kib", "1"}});
    worker_killer killer(control, 4);
    const auto run = run_workload(params, pool, control);
    static_cast<void>(killer.join());
    EXPECT_FALSE(run.ok);
    EXPECT_FALSE(run.complete);
    ASSERT_EQ(run.failed_tasks.size(), 1U) << run.error;
    const auto lost = run.failed_tasks[0].id;
    EXPECT_NE(run.failed_tasks[0].error.find("was killed by signal 9"), std::string::npos) << run.failed_tasks[0].error;
    EXPECT_NE(run.error.find("task " + std::to_string(lost)), std::string::npos) << run.error;
    ASSERT_EQ(run.tasks.size(), 29U);
    std::set<std::int64_t> pids;
    for (const auto& t : run.tasks) {
        EXPECT_NE(t.id, lost);
        pids.insert(t.pid);
    }
    EXPECT_EQ(pids.size(), 3U) << "two workers and the replacement of the killed one";
    // The checksum is the full one less the lost task's value.
    auto sequential = make_portable_executor("sequential", 1);
    const auto full = run_workload(parse_params("download", {{"count", "30"}, {"latency_ms", "0"}, {"work_kib", "1"}}),
                                   *sequential, control);
    EXPECT_EQ(run.checksum, full.checksum - full.tasks[lost].value);
    EXPECT_FALSE(has_unreaped_children());
    EXPECT_EQ(open_fd_count(), fds_before);
}

TEST(ProcessPool, CrashOptionKillsOnlyTheWorkerThatRunsTheTask) {
    run_control control;
    const std::map<std::string, std::string> base = {{"shape", "chunked"}, {"n", "20000"}, {"chunks", "12"},
                                                     {"crash_task", "5"}};
    auto with = [&](const char* how) {
        auto values = base;
        values["crash_how"] = how;
        return parse_params("primes", values);
    };
    {
        process_pool_executor pool(2);
        const auto run = run_workload(with("abort"), pool, control);
        EXPECT_FALSE(run.ok);
        EXPECT_NE(run.error.find("was killed by signal 6"), std::string::npos) << run.error;
    }
    {
        process_pool_executor pool(2);
        const auto run = run_workload(with("exit"), pool, control);
        EXPECT_FALSE(run.ok);
        EXPECT_NE(run.error.find("exited with code 3"), std::string::npos) << run.error;
    }
    {
        process_pool_executor pool(2);
        const auto run = run_workload(with("throw"), pool, control);
        EXPECT_FALSE(run.ok);
        EXPECT_EQ(run.error.rfind("task 5 (", 0), 0U) << run.error;
        EXPECT_NE(run.error.find("crashed on purpose"), std::string::npos) << run.error;
    }
    {
        process_pool_executor pool(3, worker_death_policy::respawn);
        const auto run = run_workload(with("abort"), pool, control);
        EXPECT_FALSE(run.ok);
        ASSERT_EQ(run.failed_tasks.size(), 1U) << run.error;
        EXPECT_EQ(run.failed_tasks[0].id, 5U);
        EXPECT_EQ(run.tasks.size(), 11U);
    }
    EXPECT_FALSE(has_unreaped_children());
}

TEST(ProcessPool, ATaskQueuedBehindOneThatKillsItsWorkerRunsOnTheReplacement) {
    // One worker gets task 0 and, with plenty left, task 1 waiting in its pipe. Task 0 aborts the worker: task 0 is
    // lost, task 1 never started, so it runs on the replacement like every later task.
    run_control control;
    const auto params = parse_params("primes", {{"shape", "chunked"}, {"n", "20000"}, {"chunks", "12"},
                                                {"crash_task", "0"}, {"crash_how", "abort"}});
    process_pool_executor pool(1, worker_death_policy::respawn);
    const auto run = run_workload(params, pool, control);
    EXPECT_FALSE(run.ok);
    ASSERT_EQ(run.failed_tasks.size(), 1U) << run.error;
    EXPECT_EQ(run.failed_tasks[0].id, 0U);
    std::set<std::uint32_t> ran;
    std::set<std::int64_t> pids;
    for (const auto& t : run.tasks) {
        EXPECT_TRUE(ran.insert(t.id).second) << "task " << t.id << " ran twice";
        pids.insert(t.pid);
    }
    EXPECT_EQ(ran.size(), 11U);
    EXPECT_EQ(ran.count(1), 1U) << "the task queued behind the crash ran";
    EXPECT_EQ(ran.count(0), 0U);
    EXPECT_EQ(pids.size(), 1U) << "every finished task ran on the replacement";
    EXPECT_FALSE(has_unreaped_children());
}

TEST(ProcessPool, WorkerDeathPolicyParsesOnlyItsTwoChoices) {
    EXPECT_EQ(parse_worker_death_policy("fail"), worker_death_policy::fail);
    EXPECT_EQ(parse_worker_death_policy("respawn"), worker_death_policy::respawn);
    EXPECT_THROW(static_cast<void>(parse_worker_death_policy("retry")), invalid_argument_error);
}

TEST(ProcessPool, CancelStopsWorkersPromptlyAndKeepsFinishedTasks) {
    run_control control;
    process_pool_executor pool(2);
    const auto params = parse_params("download", {{"count", "100"}, {"latency_ms", "30"}, {"work_kib", "0"}});
    std::thread stopper([&] {
        while (control.done.load() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        control.cancel.store(1);
    });
    const auto run = run_workload(params, pool, control);
    stopper.join();
    EXPECT_TRUE(run.ok) << run.error;
    EXPECT_FALSE(run.complete);
    EXPECT_GE(run.tasks.size(), 3U);
    EXPECT_FALSE(has_unreaped_children());
}

/// A workload whose tasks can only be computed from the bytes they are sent: compute() (the child's own copy
/// of the parent's state, after fork) throws. Inputs vary in size, one far past a pipe's buffer; the output is
/// the input reversed, and the parent makes the task's value from it.
class echo_workload final : public workload {
public:
    static std::size_t size_of(std::size_t task) { return task == 5 ? 300'000 : task * 37 % 300; }
    static std::uint64_t fnv(std::span<const std::uint8_t> bytes) {
        std::uint64_t hash = 14695981039346656037ULL;
        for (const auto b : bytes) hash = (hash ^ b) * 1099511628211ULL;
        return hash;
    }
    [[nodiscard]] std::size_t get_task_count() const override { return 40; }
    [[nodiscard]] std::uint64_t compute(std::size_t, const run_control&) const override {
        throw std::logic_error("compute() must not be used: the data comes over the pipe");
    }
    [[nodiscard]] std::string describe(std::size_t task) const override { return "echo " + std::to_string(task); }
    [[nodiscard]] std::size_t get_input_bytes(std::size_t task) const override { return size_of(task); }
    void write_input(std::size_t task, std::span<std::uint8_t> out) const override {
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(task * 7 + i * 13);
    }
    [[nodiscard]] std::size_t get_output_bytes(std::size_t task) const override { return size_of(task) + 1; }
    [[nodiscard]] std::uint64_t compute_from_input(std::size_t task, std::span<const std::uint8_t> input,
                                                   std::span<std::uint8_t> output,
                                                   const run_control&) const override {
        if (input.size() != size_of(task) || output.size() != size_of(task) + 1) throw std::logic_error("sizes");
        std::copy(input.rbegin(), input.rend(), output.begin());
        output.back() = static_cast<std::uint8_t>(task);
        return 0;  // the parent's read_output makes the value
    }
    [[nodiscard]] std::uint64_t read_output(std::size_t, std::span<const std::uint8_t> output) const override {
        return fnv(output);
    }
};

/// An executor-level run of any workload object (run_workload builds its own from parameters).
std::uint64_t checksum_on(executor& exec, const workload& work, std::size_t* tasks_done = nullptr,
                          std::optional<std::uint64_t>* bytes = nullptr) {
    run_control control;
    auto done = exec.execute(work, control, platform::clock::now());
    EXPECT_EQ(done.error, "");
    std::uint64_t sum = 0;
    for (const auto& task : done.tasks) sum += task.value;
    if (tasks_done != nullptr) *tasks_done = done.tasks.size();
    if (bytes != nullptr) *bytes = done.bytes_transferred;
    return sum;
}

TEST(ProcessPool, PayloadBytesTravelBothWaysAndTheParentReadsTheOutput) {
    const echo_workload work;
    std::uint64_t expected = 0;
    std::uint64_t payload = 0;
    for (std::size_t task = 0; task < work.get_task_count(); ++task) {
        std::vector<std::uint8_t> input(work.get_input_bytes(task));
        work.write_input(task, input);
        std::vector<std::uint8_t> output(input.rbegin(), input.rend());
        output.push_back(static_cast<std::uint8_t>(task));
        expected += echo_workload::fnv(output);
        payload += input.size() + output.size();
    }
    for (const unsigned workers : {1U, 3U}) {
        process_pool_executor pool(workers);
        std::size_t done = 0;
        std::optional<std::uint64_t> bytes;
        EXPECT_EQ(checksum_on(pool, work, &done, &bytes), expected) << workers << " workers";
        EXPECT_EQ(done, work.get_task_count());
        ASSERT_TRUE(bytes.has_value());
        EXPECT_GT(*bytes, payload) << "payloads plus the requests' and answers' headers";
    }
    EXPECT_FALSE(has_unreaped_children());
}

TEST(ProcessPool, OverheadChecksumMatchesSequentialWhateverTheChunk) {
    run_control control;
    auto sequential = make_portable_executor("sequential", 1);
    const auto params_of = [](const char* chunk) {
        return parse_params("overhead", {{"items", "2000"}, {"item_bytes", "40"}, {"chunk", chunk}});
    };
    const auto reference = run_workload(params_of("1"), *sequential, control);
    ASSERT_TRUE(reference.ok) << reference.error;
    std::uint64_t previous_bytes = 0;
    for (const auto* chunk : {"1000", "10", "1"}) {
        process_pool_executor pool(2);
        const auto run = run_workload(params_of(chunk), pool, control);
        ASSERT_TRUE(run.ok && run.complete) << run.error;
        EXPECT_EQ(run.checksum, reference.checksum) << "chunk " << chunk;
        ASSERT_TRUE(run.bytes_transferred.has_value());
        EXPECT_GT(*run.bytes_transferred, 2000U * (40U + 8U)) << "every item goes out and its result comes back";
        EXPECT_GT(*run.bytes_transferred, previous_bytes) << "smaller chunks: more requests and answers";
        previous_bytes = *run.bytes_transferred;
    }
}

TEST(ProcessPool, RespawnLosesOnlyTheCrashedOverheadTask) {
    run_control control;
    const auto params = parse_params("overhead", {{"items", "500"}, {"chunk", "50"}, {"crash_task", "3"},
                                                  {"crash_how", "abort"}});
    process_pool_executor pool(2, worker_death_policy::respawn);
    const auto run = run_workload(params, pool, control);
    ASSERT_EQ(run.failed_tasks.size(), 1U) << run.error;
    EXPECT_EQ(run.failed_tasks[0].id, 3U);
    EXPECT_EQ(run.tasks.size(), 9U);
    const auto plain = make_workload(parse_params("overhead", {{"items", "500"}, {"chunk", "50"}}));
    std::uint64_t expected = 0;
    for (std::size_t task = 0; task < 10; ++task)
        if (task != 3) expected += plain->compute(task, control);
    EXPECT_EQ(run.checksum, expected);
    EXPECT_FALSE(has_unreaped_children());
}

}  // namespace
}  // namespace parlab
