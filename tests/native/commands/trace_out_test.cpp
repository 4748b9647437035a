// --trace-out on run, sweep and cv: the program writes Chrome Trace Event JSON beside its results, checked against
// the results file of the same run; a trace path that cannot be written is refused before any work.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>  // nlohmann::json: reading both files back

#include "../run_cli.hpp"

#include <algorithm>   // std::count
#include <cstdio>      // std::remove
#include <filesystem>  // std::filesystem::exists
#include <fstream>     // std::ifstream
#include <map>         // std::map
#include <set>         // std::set
#include <sstream>     // std::stringstream
#include <string>      // std::string

namespace {

using nlohmann::json;
using parlab_test::run_cli;

json read_json(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
}

/// The X events that are tasks (args.task), by (run number, task id): run numbers from the run slices' names.
std::vector<json> task_events(const json& trace) {
    std::vector<json> tasks;
    for (const auto& event : trace["traceEvents"])
        if (event["ph"] == "X" && event.contains("args") && event["args"].contains("task")) tasks.push_back(event);
    return tasks;
}

TEST(TraceOut, ProcessesRunWritesOneCompleteEventPerTaskOnAtLeastTwoPids) {
    const std::string out = ::testing::TempDir() + "parlab_trace_out_results.json";
    const std::string trace_path = ::testing::TempDir() + "parlab_trace_out.json";
    const auto result = run_cli("run --workload primes --shape chunked --chunks 16 --mode processes --workers 2 --out " +
                                out + " --trace-out " + trace_path);
    ASSERT_EQ(result.code, 0) << result.output;
    EXPECT_NE(result.output.find("parlab: wrote the trace (Chrome Trace Event JSON) to " + trace_path),
              std::string::npos)
        << result.output;
    const json results = read_json(out);
    const json trace = read_json(trace_path);
    EXPECT_EQ(trace["displayTimeUnit"], "ms");
    const auto& run = results["runs"][0];
    ASSERT_EQ(run["tasks"].size(), 16U);
    const auto events = task_events(trace);
    ASSERT_EQ(events.size(), 16U);
    std::map<int, json> by_id;
    for (const auto& event : events) by_id[event["args"]["task"].get<int>()] = event;
    std::set<int> pids;
    std::map<int, std::set<int>> trace_pids_of_process;
    for (const auto& task : run["tasks"]) {
        const json& event = by_id.at(task["id"].get<int>());
        EXPECT_NEAR(event["ts"].get<double>(), task["start_s"].get<double>() * 1e6, 0.002);
        EXPECT_NEAR(event["dur"].get<double>(), (task["end_s"].get<double>() - task["start_s"].get<double>()) * 1e6,
                    0.002);
        EXPECT_EQ(event["args"]["value"], task["value"]);
        EXPECT_EQ(event["args"]["pid"], task["pid"]);
        pids.insert(event["pid"].get<int>());
        trace_pids_of_process[task["pid"].get<int>()].insert(event["pid"].get<int>());
    }
    EXPECT_GE(pids.size(), 2U);
    for (const auto& [process, trace_pids] : trace_pids_of_process) EXPECT_EQ(trace_pids.size(), 1U) << process;
    // Each worker process is named by metadata.
    std::set<std::string> names;
    for (const auto& event : trace["traceEvents"])
        if (event["ph"] == "M" && event["name"] == "process_name") names.insert(event["args"]["name"]);
    for (const auto& [process, trace_pids] : trace_pids_of_process)
        EXPECT_EQ(names.count("run 1 · processes x2 · worker process " + std::to_string(process)), 1U);
    std::remove(out.c_str());
    std::remove(trace_path.c_str());
}

TEST(TraceOut, SweepAndCvWriteEveryRun) {
    const std::string trace_path = ::testing::TempDir() + "parlab_trace_out_sweep.json";
    auto result = run_cli("sweep --workload primes --shape chunked --n 20000 --chunks 4 --modes sequential,threads "
                          "--workers 1,2 --trace-out " + trace_path);
    ASSERT_EQ(result.code, 0) << result.output;
    json trace = read_json(trace_path);
    EXPECT_EQ(trace["otherData"]["runs"], 3);
    EXPECT_EQ(task_events(trace).size(), 12U);

    result = run_cli("cv --count 4 --latency-ms 1 --page-kpx 10 --gather-mode threads --gather-workers 2 "
                     "--render-mode processes --render-workers 2 --trace-out " + trace_path);
    ASSERT_EQ(result.code, 0) << result.output;
    trace = read_json(trace_path);
    EXPECT_EQ(trace["otherData"]["runs"], 2);
    EXPECT_EQ(task_events(trace).size(), 8U);
    std::remove(trace_path.c_str());
}

TEST(TraceOut, ATracePathThatCannotBeWrittenIsRefusedBeforeAnyWork) {
    const std::string dir = ::testing::TempDir();
    for (const std::string& args : {"run --workload download --count 1000 --latency-ms 1000 --mode threads",
                                    "sweep --workload download --count 1000 --latency-ms 1000 --workers 1,2",
                                    "cv --count 1000 --latency-ms 1000 --gather-mode sequential"}) {
        const auto result = run_cli(args + " --trace-out " + dir + "no-such-dir/t.json");
        EXPECT_EQ(result.code, 2) << args << ": " << result.output;
        EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << args << ": " << result.output;
        EXPECT_EQ(result.output.rfind("parlab: error: --trace-out cannot be written: " + dir + "no-such-dir/t.json", 0),
                  0U)
            << result.output;
    }
    EXPECT_FALSE(std::filesystem::exists(dir + "no-such-dir"));
}

}  // namespace
