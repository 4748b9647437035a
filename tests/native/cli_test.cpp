// The parlab program end to end: exit codes, one-line errors naming the flag, JSON written to --out.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>  // nlohmann::json: reading the results file back

#include "child_processes.hpp"
#include "run_cli.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace {

using parlab_test::run_cli;

TEST(Cli, HelpDocumentsEveryFlagAndBounds) {
    const auto help = run_cli("run --help");
    EXPECT_EQ(help.code, 0);
    for (const char* flag : {"--workload", "--mode", "--workers", "--shape", "--inputs", "--n", "--chunks", "--count",
                             "--latency-ms", "--jitter-ms", "--seed", "--work-kib", "--repeat", "--out", "--format"})
        EXPECT_NE(help.output.find(flag), std::string::npos) << flag;
    EXPECT_NE(help.output.find("2..100000000"), std::string::npos);
}

TEST(Cli, BadValuesGiveOneLineNamingTheFlagAndExitCode2) {
    for (const char* args : {"run --workers 0", "run --mode fibers", "run --shape chunked --n 1", "run --bogus 3",
                             "sweep --workers 1,x", "sweep --modes threads,warp", "run --workload download --chunks 3",
                             "run --mode sequential --workers 2", "run --shape chunked --n abc",
                             "run --crash-task 3", "run --crash-task -5", "run --crash-how sometimes",
                             "run --on-worker-death retry", "sweep --workers 1,2,,4", "sweep --modes ''",
                             "run --workload factorials --repeat 100000 --inputs 1,2,3,4,5,6,7,8,9,10,11",
                             "sweep --workload factorials --repeat 100000 --inputs 1,2,3,4,5,6,7,8,9,10",
                             "run --workers 99999999999999999999999", "run --latency-ms 1e400 --workload download"}) {
        const auto result = run_cli(args);
        EXPECT_EQ(result.code, 2) << args << ": " << result.output;
        EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << args << ": " << result.output;
        EXPECT_EQ(result.output.rfind("parlab: error: ", 0), 0U) << result.output;
    }
    EXPECT_NE(run_cli("run --shape chunked --n 1").output.find("--n must be an integer between 2 and 100000000"),
              std::string::npos);
}

TEST(Cli, SweepWritesAResultsFileWithEveryGridPoint) {
    const std::string path = ::testing::TempDir() + "parlab_cli_sweep.json";
    const auto result = run_cli("sweep --workload primes --shape chunked --n 50000 --chunks 8 "
                                "--modes sequential,threads,processes --workers 1,2 --out " + path);
    ASSERT_EQ(result.code, 0) << result.output;
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    const std::string json = text.str();
    EXPECT_EQ(json.rfind("{\"schema_version\":1,", 0), 0U);
    const auto file = nlohmann::json::parse(json);
    std::vector<std::pair<std::string, unsigned>> runs;
    for (const auto& run : file["runs"]) runs.emplace_back(run["mode"], run["workers"]);
    EXPECT_EQ(runs, (std::vector<std::pair<std::string, unsigned>>{
                        {"sequential", 1}, {"threads", 1}, {"threads", 2}, {"processes", 1}, {"processes", 2}}));
    // sequential once, threads x2, processes x2
    EXPECT_NE(result.output.find("vs 1 worker"), std::string::npos);
    std::remove(path.c_str());
}

TEST(Cli, JsonFormatPrintsTheResultsFile) {
    const auto result = run_cli("run --workload factorials --repeat 5 --mode threads --workers 2 --format json");
    ASSERT_EQ(result.code, 0) << result.output;
    EXPECT_EQ(result.output.rfind("{\"schema_version\":1,", 0), 0U) << result.output;
    EXPECT_NE(result.output.find("\"task_count\":25"), std::string::npos);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(Cli, CrashInAWorkerProcessFailsTheRunOrLosesOneTask) {
    const auto failed = run_cli("run --workload factorials --repeat 4 --crash-task 2 --crash-how abort "
                                "--mode processes --workers 2");
    EXPECT_EQ(failed.code, 1) << failed.output;
    EXPECT_NE(failed.output.find("was killed by signal 6"), std::string::npos) << failed.output;
    const auto respawned = run_cli("run --workload factorials --repeat 4 --crash-task 2 --crash-how exit "
                                   "--mode processes --workers 2 --on-worker-death respawn --format json");
    EXPECT_EQ(respawned.code, 1) << respawned.output;
    EXPECT_NE(respawned.output.find(R"("failed_tasks":[{"id":2,"error":"worker )"), std::string::npos)
        << respawned.output;
    EXPECT_NE(respawned.output.find(R"("tasks_done":19,)"), std::string::npos) << respawned.output;
}

TEST(Cli, CrashInThreadsModeEndsTheProgramWithoutHanging) {
    // One process: abort() takes parlab itself down (the shell reports 128 + 6, or popen sees the signal).
    const auto aborted = run_cli("run --workload factorials --repeat 4 --crash-task 2 --crash-how abort "
                                 "--mode threads --workers 2");
    EXPECT_NE(aborted.code, 0);
    EXPECT_NE(aborted.code, 1);
    const auto exited = run_cli("run --workload factorials --repeat 4 --crash-task 2 --crash-how exit "
                                "--mode threads --workers 2");
    EXPECT_EQ(exited.code, 3) << exited.output;
}

/// Starts parlab with args (output to /dev/null); returns its pid.
pid_t spawn_cli(const std::vector<std::string>& args) {
    std::vector<std::string> all = {PARLAB_CLI_PATH};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? pid : -1;
}

/// Waits up to `limit` for pid to exit; its wait status, or -1 if it did not.
int wait_for_exit(pid_t pid, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        if (::waitpid(pid, &status, WNOHANG) == pid) return status;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return -1;
}

TEST(Cli, StopSignalStopsWorkersWritesIncompleteResultsAndExits128PlusSignal) {
    for (const auto& [signal, mode] : {std::pair<int, std::string>{SIGINT, "processes"}, {SIGTERM, "processes"},
                                       {SIGINT, "threads"}}) {
        const std::string path = ::testing::TempDir() + "parlab_cli_stopped.json";
        std::remove(path.c_str());
        const pid_t pid = spawn_cli({"run", "--workload", "download", "--count", "1000", "--latency-ms", "100",
                                     "--mode", mode, "--workers", "2", "--out", path});
        ASSERT_GT(pid, 0);
        // Wait until the run is under way: the workers exist (processes) or a moment has passed (threads).
        std::vector<pid_t> workers;
        for (int i = 0; i < 500 && workers.size() < 2; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            if (mode == "processes") workers = parlab::test_support::children_of(pid);
            else if (i == 30) break;
        }
        if (mode == "processes") ASSERT_EQ(workers.size(), 2U);
        std::this_thread::sleep_for(std::chrono::milliseconds(250));  // a few tasks finish
        const auto sent = std::chrono::steady_clock::now();
        ::kill(pid, signal);
        const int status = wait_for_exit(pid, std::chrono::seconds(20));
        const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
        ASSERT_TRUE(status != -1 && WIFEXITED(status)) << "parlab did not exit after signal " << signal;
        EXPECT_EQ(WEXITSTATUS(status), 128 + signal);
        std::cout << "[ figures  ] signal " << signal << " (" << mode << ") to exit: " << took * 1000 << " ms\n";
        for (const pid_t worker : workers)
            EXPECT_NE(::kill(worker, 0), 0) << "worker process " << worker << " outlived parlab";
        const std::string json = read_file(path);
        EXPECT_NE(json.find("\"complete\":false"), std::string::npos) << json.substr(0, 400);
        EXPECT_NE(json.find("\"ok\":true"), std::string::npos) << json.substr(0, 400);
        EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
        std::remove(path.c_str());
    }
}

TEST(Cli, CvJobWritesTwoRunsOfOneJob) {
    const auto result = run_cli("cv --count 3 --latency-ms 20 --page-kpx 30 --gather-mode threads --gather-workers 3 "
                                "--render-mode processes --render-workers 2 --format json");
    ASSERT_EQ(result.code, 0) << result.output;
    const std::string& json = result.output;
    const auto first = json.find("\"job\":{\"id\":\"cv-");
    ASSERT_NE(first, std::string::npos) << json.substr(0, 400);
    const auto id_end = json.find('"', first + 13);
    const std::string id = json.substr(first + 13, id_end - (first + 13));
    EXPECT_NE(json.find("\"job\":{\"id\":\"" + id + "\",\"phase\":1,\"phases\":2}"), std::string::npos) << json;
    EXPECT_NE(json.find("\"job\":{\"id\":\"" + id + "\",\"phase\":2,\"phases\":2}"), std::string::npos) << json;
    int runs = 0;
    for (auto at = json.find("\"workload\":\"cv\""); at != std::string::npos; at = json.find("\"workload\":\"cv\"", at + 1))
        ++runs;
    EXPECT_EQ(runs, 2);
    EXPECT_NE(json.find("\"phase\":\"gather\""), std::string::npos);
    EXPECT_NE(json.find("\"phase\":\"render\""), std::string::npos);
    EXPECT_NE(json.find("\"rss_kib\":"), std::string::npos);

    const auto text = run_cli("cv --count 2 --latency-ms 0 --page-kpx 20 --render-mode threads --render-workers 2");
    ASSERT_EQ(text.code, 0) << text.output;
    for (const char* part : {"gather  threads", "render  threads", "total", "per-task log", "CPU %", "RSS MiB"})
        EXPECT_NE(text.output.find(part), std::string::npos) << part << "\n" << text.output;
}

TEST(Cli, CvBadFlagsNameTheFlagAndExitWith2) {
    for (const auto& [args, flag] : std::vector<std::pair<std::string, std::string>>{
             {"cv --count 0", "--count"}, {"cv --page-kpx 1", "--page-kpx"}, {"cv --latency-ms -1", "--latency-ms"},
             {"cv --gather-workers 0", "--gather-workers"}, {"cv --render-mode warp", "--render-mode"},
             {"cv --repeats 0", "--repeats"}}) {
        const auto result = run_cli(args);
        EXPECT_EQ(result.code, 2) << args << ": " << result.output;
        EXPECT_NE(result.output.find(flag), std::string::npos) << args << ": " << result.output;
        EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << result.output;
    }
}

TEST(Cli, AnOutputFileThatCannotBeWrittenIsRefusedBeforeAnyWork) {
    // Each job would run for minutes (1000 downloads of 1 s); a refused --out must end it before the first task.
    const std::string dir = ::testing::TempDir();
    for (const std::string& out : {std::string("/proc/parlab-x.json"), dir, dir + "no-such-dir/x.json"})
        for (const std::string& args :
             {"run --workload download --count 1000 --latency-ms 1000 --mode threads --workers 2",
              "sweep --workload download --count 1000 --latency-ms 1000 --modes threads --workers 1,2",
              "cv --count 1000 --latency-ms 1000 --gather-mode sequential", "experiment run io-threads",
              "ipc throughput --size 1048576 --count 1000 --repeats 20"}) {
            const auto result = run_cli(args + " --out " + out);
            EXPECT_EQ(result.code, 2) << args << " --out " << out << ": " << result.output;
            EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << args << ": " << result.output;
            EXPECT_EQ(result.output.rfind("parlab: error: --out cannot be written: " + out, 0), 0U)
                << args << ": " << result.output;
        }
    EXPECT_FALSE(std::filesystem::exists(dir + "no-such-dir"));
}

}  // namespace
