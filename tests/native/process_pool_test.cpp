// process pool: tasks run in other processes, each exactly once, with the same checksums; deaths are reported.
#include "process_pool.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

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

TEST(ProcessPool, KilledWorkerEndsTheRunWithItsPidAndSignal) {
    run_control control;
    process_pool_executor pool(2);
    const auto params = parse_params("download", {{"count", "40"}, {"latency_ms", "50"}, {"work_kib", "0"}});
    // Kill the process that runs the first finished task's worker while the run goes on.
    std::thread killer([&] {
        while (control.done.load() < 2) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        // Children of this process that are still running: kill the first found.
        for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
            const std::string name = entry.path().filename();
            if (name.find_first_not_of("0123456789") != std::string::npos) continue;
            std::ifstream stat(entry.path() / "stat");
            std::string pid, comm, state, ppid;
            stat >> pid >> comm >> state >> ppid;
            if (ppid == std::to_string(::getpid()) && state != "Z") {
                ::kill(std::stoi(pid), SIGKILL);
                return;
            }
        }
    });
    const auto run = run_workload(params, pool, control);
    killer.join();
    EXPECT_FALSE(run.ok);
    EXPECT_NE(run.error.find("was killed by signal 9"), std::string::npos) << run.error;
    EXPECT_NE(run.error.find("(pid "), std::string::npos) << run.error;
    EXPECT_LT(run.tasks.size(), 40U);
    EXPECT_FALSE(has_unreaped_children());
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

}  // namespace
}  // namespace parlab
