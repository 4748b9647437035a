// trace: a results file as Chrome Trace Event JSON, checked event by event against the runs it came from.
#include "trace.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "executor.hpp"
#include "report.hpp"
#include "run.hpp"

namespace parlab {
namespace {

using nlohmann::json;

environment_info test_environment() {
    environment_info env;
    env.target = "native";
    env.os = "Linux";
    env.compiler = "test";
    return env;
}

run_result run_mode(const std::string& mode, unsigned workers, const workload_params& params) {
    run_control control;
    auto exec = make_portable_executor(mode, workers, executor_options{1.0});
    auto run = run_workload(params, *exec, control);
    EXPECT_TRUE(run.ok) << run.error;
    return run;
}

json to_trace(const std::vector<run_result>& runs) {
    return json::parse(results_to_chrome_trace(results_to_json(test_environment(), runs)));
}

std::vector<json> events_named(const json& trace, const std::string& name, const std::string& ph = "X") {
    std::vector<json> found;
    for (const auto& event : trace["traceEvents"])
        if (event["ph"] == ph && event["name"] == name) found.push_back(event);
    return found;
}

/// metadata name (process_name or thread_name) of a pid, or of a pid's tid.
std::string metadata_name(const json& trace, const std::string& kind, std::int64_t pid, std::int64_t tid = 0) {
    for (const auto& event : trace["traceEvents"])
        if (event["ph"] == "M" && event["name"] == kind && event["pid"] == pid && (tid == 0 || event["tid"] == tid))
            return event["args"]["name"];
    return "(unnamed)";
}

/// Every track's X events nest: sorted by start, each one either starts after the open one ends or ends within it.
void expect_slices_nest(const json& trace) {
    std::map<std::pair<std::int64_t, std::int64_t>, std::vector<std::pair<double, double>>> tracks;
    for (const auto& event : trace["traceEvents"])
        if (event["ph"] == "X") {
            const double ts = event["ts"];
            const double dur = event["dur"];
            EXPECT_GE(dur, 0.0);
            tracks[{event["pid"], event["tid"]}].emplace_back(ts, ts + dur);
        }
    for (auto& [track, slices] : tracks) {
        std::stable_sort(slices.begin(), slices.end(), [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first < b.first : a.second > b.second;
        });
        std::vector<double> open_ends;
        for (const auto& [start, end] : slices) {
            while (!open_ends.empty() && open_ends.back() <= start) open_ends.pop_back();
            if (!open_ends.empty()) {
                EXPECT_LE(end, open_ends.back()) << "pid " << track.first << " tid " << track.second;
            }
            open_ends.push_back(end);
        }
    }
}

/// The task slice of each task id.
std::map<std::int64_t, json> task_slices(const json& trace) {
    std::map<std::int64_t, json> slices;
    for (const auto& event : trace["traceEvents"])
        if (event["ph"] == "X" && event.contains("args") && event["args"].contains("task")) {
            const std::int64_t id = event["args"]["task"];
            EXPECT_EQ(slices.count(id), 0U) << "task " << id << " has two slices";
            slices[id] = event;
        }
    return slices;
}

TEST(Trace, TopLevelIsAChromeTraceWithMillisecondDisplay) {
    const auto trace = to_trace({run_mode("threads", 2, parse_params("primes", {{"shape", "chunked"}, {"n", "20000"},
                                                                                  {"chunks", "8"}}))});
    ASSERT_TRUE(trace["traceEvents"].is_array());
    EXPECT_EQ(trace["displayTimeUnit"], "ms");
    EXPECT_EQ(trace["otherData"]["runs"], 1);
}

TEST(Trace, EveryTaskOfAThreadsGilRunIsOneCompleteEventWithItsTimesAndArgs) {
    const auto run = run_mode("threads-gil", 2,
                              parse_params("primes", {{"shape", "chunked"}, {"n", "100000"}, {"chunks", "12"}}));
    const auto trace = to_trace({run});
    const auto slices = task_slices(trace);
    ASSERT_EQ(slices.size(), run.tasks.size());
    std::map<unsigned long long, std::int64_t> tid_of_thread;
    std::set<std::int64_t> pids;
    std::size_t held_stretches = 0;
    for (const auto& task : run.tasks) {
        const json& event = slices.at(static_cast<std::int64_t>(task.id));
        EXPECT_EQ(event["ph"], "X");
        EXPECT_EQ(event["name"], "task " + std::to_string(task.id));
        EXPECT_NEAR(event["ts"].get<double>(), task.start_s * 1e6, 0.002);
        EXPECT_NEAR(event["dur"].get<double>(), (task.end_s - task.start_s) * 1e6, 0.002);
        EXPECT_EQ(event["args"]["value"], std::to_string(task.value));
        EXPECT_EQ(event["args"]["phase"], task.phase);
        ASSERT_TRUE(task.cpu_s.has_value());
        EXPECT_NEAR(event["args"]["cpu_s"].get<double>(), *task.cpu_s, 1e-12);
        EXPECT_EQ(event["args"]["thread"], task.thread);
        // One tid per worker thread, named after its worker.
        const std::int64_t tid = event["tid"];
        const auto [it, inserted] = tid_of_thread.emplace(task.thread, tid);
        EXPECT_EQ(it->second, tid) << "two tids for thread " << task.thread;
        EXPECT_EQ(metadata_name(trace, "thread_name", event["pid"], tid), "worker " + std::to_string(task.worker));
        pids.insert(event["pid"].get<std::int64_t>());
        held_stretches += task.held.size();
    }
    EXPECT_EQ(pids.size(), 1U) << "threads share one process";
    EXPECT_EQ(metadata_name(trace, "process_name", *pids.begin()),
              "run 1 · threads-gil x2 · primes · process " + std::to_string(run.tasks[0].pid));
    // Each lock-holding stretch is a slice on its task's track, within the task.
    const auto held = events_named(trace, "holds the interpreter lock");
    EXPECT_EQ(held.size(), held_stretches);
    for (const auto& slice : held) {
        bool inside = false;
        for (const auto& [id, task] : slices)
            inside = inside || (task["tid"] == slice["tid"] && task["ts"].get<double>() <= slice["ts"].get<double>() &&
                                slice["ts"].get<double>() + slice["dur"].get<double>() <=
                                    task["ts"].get<double>() + task["dur"].get<double>());
        EXPECT_TRUE(inside) << slice.dump();
    }
    // The run and its pool start-up on the parent's pool track.
    const auto runs = events_named(trace, "run 1: primes threads-gil x2");
    ASSERT_EQ(runs.size(), 1U);
    EXPECT_EQ(runs[0]["pid"], *pids.begin());
    EXPECT_NEAR(runs[0]["dur"].get<double>(), run.wall_s * 1e6, 0.002);
    EXPECT_EQ(runs[0]["args"]["checksum"], std::to_string(run.checksum));
    const auto startup = events_named(trace, "pool start-up");
    ASSERT_EQ(startup.size(), run.startup_s > 0 ? 1U : 0U);
    if (!startup.empty()) {
        EXPECT_EQ(startup[0]["tid"], runs[0]["tid"]);
    }
    expect_slices_nest(trace);
}

TEST(Trace, WaitsAreSlicesAtTheTaskStartAndOverlappingAsyncTasksGetLanes) {
    const auto run = run_mode("async", 4, parse_params("download", {{"count", "8"}, {"latency_ms", "10"},
                                                                    {"work_kib", "0"}}));
    const auto trace = to_trace({run});
    const auto slices = task_slices(trace);
    ASSERT_EQ(slices.size(), 8U);
    const auto waits = events_named(trace, "wait (simulated)");
    std::size_t tasks_with_wait = 0;
    for (const auto& task : run.tasks) tasks_with_wait += task.wait_s > 0 ? 1 : 0;
    ASSERT_EQ(waits.size(), tasks_with_wait);
    for (const auto& wait : waits) {
        bool at_a_task_start = false;
        for (const auto& [id, task] : slices)
            at_a_task_start = at_a_task_start || (task["tid"] == wait["tid"] && task["ts"] == wait["ts"] &&
                                                  wait["dur"].get<double>() <= task["dur"].get<double>());
        EXPECT_TRUE(at_a_task_start) << wait.dump();
    }
    for (const auto& task : run.tasks) {
        const json& event = slices.at(static_cast<std::int64_t>(task.id));
        EXPECT_NEAR(event["args"]["wait_s"].get<double>(), task.wait_s, 1e-12);
    }
    // Four downloads in flight on one thread: more than one lane, named as the same worker's.
    std::set<std::int64_t> tids;
    for (const auto& [id, event] : slices) tids.insert(event["tid"].get<std::int64_t>());
    EXPECT_GT(tids.size(), 1U);
    for (const auto tid : tids)
        EXPECT_EQ(metadata_name(trace, "thread_name", slices.begin()->second["pid"], tid).rfind("worker 0", 0), 0U);
    expect_slices_nest(trace);
}

constexpr const char* processes_file = R"({
  "schema_version": 1, "generator": "parlab 0.1.0", "created": "2026-11-23T08:00:00Z",
  "environment": {"target": "native"},
  "runs": [{
    "workload": "primes", "params": {"shape": "chunked", "n": 1000, "chunks": 4}, "mode": "processes", "workers": 2,
    "ok": true, "complete": true, "error": null, "wall_s": 0.05, "startup_s": 0.004, "cpu_s": 0.08,
    "task_count": 4, "tasks_done": 4, "checksum": "10",
    "tasks": [
      {"id": 0, "worker": 0, "pid": 5001, "thread": 5001, "phase": "compute", "start_s": 0.005, "end_s": 0.02,
       "wait_s": 0, "cpu_s": 0.015, "value": "1"},
      {"id": 1, "worker": 1, "pid": 5002, "thread": 5002, "phase": "compute", "start_s": 0.0051, "end_s": 0.03,
       "wait_s": 0, "cpu_s": 0.02, "value": "2"},
      {"id": 2, "worker": 0, "pid": 5001, "thread": 5001, "phase": "compute", "start_s": 0.02, "end_s": 0.04,
       "wait_s": 0, "cpu_s": 0.02, "value": "3"},
      {"id": 3, "worker": 1, "pid": 5002, "thread": 5002, "phase": "compute", "start_s": 0.03, "end_s": 0.049,
       "wait_s": 0, "cpu_s": 0.019, "value": "4"}
    ]
  }, {
    "workload": "primes", "params": {"shape": "chunked", "n": 1000, "chunks": 1}, "mode": "sequential", "workers": 1,
    "ok": true, "complete": true, "error": null, "wall_s": 0.01, "startup_s": 0, "cpu_s": 0.01,
    "task_count": 1, "tasks_done": 1, "checksum": "10",
    "tasks": [{"id": 0, "worker": 0, "pid": 4000, "thread": 4000, "phase": "compute", "start_s": 0, "end_s": 0.01,
               "wait_s": 0, "cpu_s": 0.01, "value": "10"}]
  }]
})";

TEST(Trace, AProcessesRunHasAParentAndOnePidPerWorkerProcess) {
    const json trace = json::parse(results_to_chrome_trace(processes_file));
    const auto run1 = events_named(trace, "run 1: primes processes x2");
    ASSERT_EQ(run1.size(), 1U);
    const std::int64_t parent = run1[0]["pid"];
    EXPECT_EQ(metadata_name(trace, "process_name", parent), "run 1 · processes x2 · primes · parent process");
    std::set<std::int64_t> worker_pids;
    for (const auto& event : trace["traceEvents"])
        if (event["ph"] == "X" && event.contains("args") && event["args"].contains("task") &&
            event["args"]["pid"] != 4000) {
            worker_pids.insert(event["pid"].get<std::int64_t>());
            EXPECT_EQ(metadata_name(trace, "process_name", event["pid"]),
                      "run 1 · processes x2 · worker process " + std::to_string(event["args"]["pid"].get<int>()));
            EXPECT_EQ(metadata_name(trace, "thread_name", event["pid"], event["tid"]),
                      "worker " + std::to_string(event["args"]["worker"].get<int>()));
        }
    EXPECT_EQ(worker_pids.size(), 2U);
    EXPECT_EQ(worker_pids.count(parent), 0U);
    const auto startup = events_named(trace, "pool start-up");
    ASSERT_EQ(startup.size(), 1U);
    EXPECT_EQ(startup[0]["pid"], parent);
    EXPECT_DOUBLE_EQ(startup[0]["ts"].get<double>(), 0.0);
    EXPECT_DOUBLE_EQ(startup[0]["dur"].get<double>(), 4000.0);
    // The second run starts after the first has ended, on pids of its own.
    const auto run2 = events_named(trace, "run 2: primes sequential x1");
    ASSERT_EQ(run2.size(), 1U);
    EXPECT_GT(run2[0]["ts"].get<double>(), 50000.0);
    EXPECT_EQ(worker_pids.count(run2[0]["pid"]), 0U);
    EXPECT_NE(run2[0]["pid"], parent);
    EXPECT_EQ(metadata_name(trace, "process_name", run2[0]["pid"]), "run 2 · sequential x1 · primes · process 4000");
    expect_slices_nest(trace);
}

TEST(Trace, AnMpiRunHasOneProcessPerRankNamedWithItsHost) {
    json file = json::parse(processes_file);
    file["runs"].erase(1);
    auto& run = file["runs"][0];
    run["mode"] = "mpi";
    for (auto& task : run["tasks"]) {
        task["rank"] = task["worker"].get<int>() + 1;
        task["host"] = task["worker"] == 0 ? "node-a" : "node-b";
    }
    const json trace = json::parse(results_to_chrome_trace(file.dump()));
    std::set<std::string> names;
    for (const auto& event : trace["traceEvents"])
        if (event["ph"] == "X" && event.contains("args") && event["args"].contains("task")) {
            EXPECT_EQ(event["args"]["rank"], event["args"]["worker"].get<int>() + 1);
            names.insert(metadata_name(trace, "process_name", event["pid"]));
        }
    EXPECT_EQ(names, (std::set<std::string>{"run 1 · mpi x2 · rank 1 on node-a", "run 1 · mpi x2 · rank 2 on node-b"}));
    const auto run1 = events_named(trace, "run 1: primes mpi x2");
    ASSERT_EQ(run1.size(), 1U);
    EXPECT_EQ(metadata_name(trace, "process_name", run1[0]["pid"]),
              "run 1 · mpi x2 · primes · rank 0 (hands out tasks)");
    // A task of an mpi run without its rank is refused.
    run["tasks"][0].erase("rank");
    run["tasks"][0].erase("host");
    EXPECT_THROW(static_cast<void>(results_to_chrome_trace(file.dump())), invalid_argument_error);
}

TEST(Trace, APageExportGivesEveryGroupAndSetItsRunsWithWebWorkerNames) {
    json set = json::parse(processes_file);
    json export_doc = {{"parlab_export", 1},
                       {"generator", "parlab 0.1.0 (wasm)"},
                       {"browser", json::array({{{"name", "runs 1"}, {"runs", json::array({set["runs"][0]})}}})},
                       {"uploaded", json::array({{{"name", "native.json"},
                                                  {"environment", {{"target", "native"}}},
                                                  {"generator", "parlab 0.1.0"},
                                                  {"runs", set["runs"]}}})}};
    for (auto& task : export_doc["browser"][0]["runs"][0]["tasks"]) task["pid"] = task["worker"].get<int>() + 1;
    const json trace = json::parse(results_to_chrome_trace(export_doc.dump()));
    EXPECT_EQ(trace["otherData"]["runs"], 3);
    EXPECT_EQ(events_named(trace, "run 1: primes processes x2 (runs 1)").size(), 1U);
    EXPECT_EQ(events_named(trace, "run 3: primes sequential x1 (native.json)").size(), 1U);
    std::set<std::string> names;
    for (const auto& event : trace["traceEvents"])
        if (event["ph"] == "M" && event["name"] == "process_name") names.insert(event["args"]["name"]);
    EXPECT_EQ(names.count("run 1 · processes x2 · process Web Worker 1"), 1U);
    EXPECT_EQ(names.count("run 1 · processes x2 · primes · lab worker (parent)"), 1U);
    EXPECT_EQ(names.count("run 2 · processes x2 · worker process 5001"), 1U);
    expect_slices_nest(trace);
}

TEST(Trace, LockStretchesAreSlicesOnePerWorkerAndLockTrack) {
    json file = json::parse(processes_file);
    file["runs"].erase(0);
    auto& run = file["runs"][0];
    run["mode"] = "threads";
    run["tasks"] = json::array();
    run["locks"] = json::parse(R"([
      {"worker": 0, "lock": "A", "state": "held", "from_s": 0.001, "to_s": 0.01},
      {"worker": 0, "lock": "B", "state": "waiting", "from_s": 0.002, "to_s": 0.01},
      {"worker": 1, "lock": "B", "state": "held", "from_s": 0.001, "to_s": 0.01}])");
    const json trace = json::parse(results_to_chrome_trace(file.dump()));
    const auto held_a = events_named(trace, "holds A");
    const auto wait_b = events_named(trace, "waits for B");
    const auto held_b = events_named(trace, "holds B");
    ASSERT_EQ(held_a.size(), 1U);
    ASSERT_EQ(wait_b.size(), 1U);
    ASSERT_EQ(held_b.size(), 1U);
    EXPECT_EQ(metadata_name(trace, "thread_name", held_a[0]["pid"], held_a[0]["tid"]), "worker 0 · lock A");
    EXPECT_EQ(metadata_name(trace, "thread_name", wait_b[0]["pid"], wait_b[0]["tid"]), "worker 0 · lock B");
    EXPECT_NE(wait_b[0]["tid"], held_b[0]["tid"]);
    EXPECT_DOUBLE_EQ(wait_b[0]["ts"].get<double>(), 2000.0);
    EXPECT_DOUBLE_EQ(wait_b[0]["dur"].get<double>(), 8000.0);
    expect_slices_nest(trace);
}

TEST(Trace, InputThatIsNotAResultsFileIsRefusedInOneLineNamingTheField) {
    json bad_start = json::parse(processes_file);
    bad_start["runs"][0]["tasks"][2]["start_s"] = "soon";
    json no_tasks = json::parse(processes_file);
    no_tasks["runs"][1].erase("tasks");
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"{", "not valid JSON"},
        {"[1, 2]", "must be a JSON object"},
        {R"({"hello": 1})", "neither schema_version nor parlab_export"},
        {R"({"schema_version": 2, "runs": []})", "schema_version must be 1"},
        {R"({"parlab_export": 1, "browser": {}})", "browser must be a list"},
        {bad_start.dump(), "runs[0].tasks[2].start_s must be a number"},
        {no_tasks.dump(), "runs[1] has no tasks"},
        {std::string(100000, '[') + std::string(100000, ']'), "nests more than"},
    };
    for (const auto& [input, expected] : cases) {
        try {
            static_cast<void>(results_to_chrome_trace(input));
            ADD_FAILURE() << "accepted: " << input.substr(0, 80);
        } catch (const invalid_argument_error& e) {
            const std::string message = e.what();
            EXPECT_NE(message.find(expected), std::string::npos) << message;
            EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        }
    }
}

}  // namespace
}  // namespace parlab
