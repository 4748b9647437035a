// report: the JSON of a run carries every documented field; the sweep table computes speed-ups from medians.
#include "report.hpp"

#include <gtest/gtest.h>

namespace parlab {
namespace {

run_result make_run(const std::string& mode, unsigned workers, double wall) {
    run_result run;
    run.params = parse_params("primes", {{"inputs", "1000"}});
    run.mode = mode;
    run.workers = workers;
    run.wall_s = wall;
    run.task_count = 1;
    task_record t;
    t.id = 0;
    t.phase = "compute";
    t.end_s = wall;
    t.value = 18446744073709551615ULL;
    run.tasks.push_back(t);
    run.checksum = t.value;
    return run;
}

TEST(Report, RunJsonHasDocumentedFieldsAndStringChecksums) {
    const std::string json = run_to_json(make_run("threads", 2, 0.5));
    for (const char* field :
         {"\"workload\":\"primes\"", "\"params\":{\"shape\":\"inputs\",\"inputs\":[1000]}", "\"mode\":\"threads\"",
          "\"workers\":2", "\"ok\":true", "\"complete\":true", "\"error\":null", "\"wall_s\":0.5", "\"cpu_s\":null",
          "\"checksum\":\"18446744073709551615\"", "\"value\":\"18446744073709551615\"", "\"tasks_done\":1"})
        EXPECT_NE(json.find(field), std::string::npos) << field << " in " << json;
}

// The results format byte for byte, as the hand-written writer wrote it before nlohmann::ordered_json; the one
// difference: a double that 9 digits do not round-trip is written in the shortest text that does (wall_s), not 17.
TEST(Report, RunJsonKeepsKeyOrderAndNumberFormatting) {
    run_result run;
    run.params = parse_params("download", {{"latency_ms", "12.5"}, {"jitter_ms", "0.25"}, {"crash_task", "3"}});
    run.mode = "threads-gil";
    run.workers = 3;
    run.ok = false;
    run.complete = false;
    run.error = "boom \"quoted\"\n\ttab \x01 ctl";
    run.started_at = "2026-12-02T16:00:00Z";
    run.wall_s = 1.234567890123;
    run.startup_s = 0.000012345;
    run.cpu_s = 2.0;
    run.avg_task_s = 0.1 + 0.2;
    run.hardware_concurrency = 2;
    run.task_count = 12;
    run.checksum = 18446744073709551615ULL;
    task_record t;
    t.id = 7;
    t.worker = 2;
    t.pid = 4242;
    t.thread = 140737488355328ULL;
    t.phase = "download";
    t.start_s = 0.5;
    t.end_s = 0.75;
    t.wait_s = 1e-7;
    t.cpu_s = 123456.789;
    t.value = 42;
    t.rss_kib = 2048;
    t.held = {{0.5, 0.625}, {0.7, 0.75}};
    run.tasks.push_back(t);
    task_record u = t;
    u.id = 8;
    u.cpu_s.reset();
    u.rss_kib.reset();
    u.held.clear();
    u.start_s = 3.0;
    u.end_s = 4294967295.0;
    run.tasks.push_back(u);
    run.failed_tasks.push_back({9, "worker 1 (pid 42) was killed"});
    run.switch_interval_ms = 5.0;
    run.bytes_transferred = 123456789012ULL;
    run.job = job_info{"cv-1", 1, 2};
    EXPECT_EQ(run_to_json(run), R"x({"workload":"download","params":{"count":12,"latency_ms":12.5,"jitter_ms":0.25,"seed":1,"work_kib":64,"crash_task":3,"crash_how":"throw"},"mode":"threads-gil","workers":3,"ok":false,"complete":false,"error":"boom \"quoted\"\n\ttab \u0001 ctl","started_at":"2026-12-02T16:00:00Z","wall_s":1.234567890123,"startup_s":1.2345e-05,"cpu_s":2,"avg_task_s":0.30000000000000004,"hardware_concurrency":2,"task_count":12,"tasks_done":2,"checksum":"18446744073709551615","tasks":[{"id":7,"worker":2,"pid":4242,"thread":140737488355328,"phase":"download","start_s":0.5,"end_s":0.75,"wait_s":1e-07,"cpu_s":123456.789,"value":"42","rss_kib":2048,"held":[[0.5,0.625],[0.7,0.75]]},{"id":8,"worker":2,"pid":4242,"thread":140737488355328,"phase":"download","start_s":3,"end_s":4294967295,"wait_s":1e-07,"cpu_s":null,"value":"42"}],"switch_interval_ms":5,"bytes_transferred":123456789012,"job":{"id":"cv-1","phase":1,"phases":2},"failed_tasks":[{"id":9,"error":"worker 1 (pid 42) was killed"}]})x");
}

TEST(Report, ResultsFileCarriesSchemaVersionAndEnvironment) {
    environment_info env;
    env.target = "native";
    env.os = "Linux";
    env.compiler = "GCC";
    const std::string json = results_to_json(env, {make_run("sequential", 1, 1.0)});
    EXPECT_EQ(json.rfind("{\"schema_version\":1,", 0), 0U);
    EXPECT_NE(json.find("\"target\":\"native\""), std::string::npos);
    EXPECT_NE(json.find("\"cpu_model\":null"), std::string::npos);
    EXPECT_NE(json.find("\"runs\":[{"), std::string::npos);
}

TEST(Report, SweepTableUsesMedianAndSelfRelativeSpeedup) {
    const std::vector<run_result> runs = {make_run("threads", 1, 1.0), make_run("threads", 1, 9.0),
                                          make_run("threads", 1, 2.0), make_run("threads", 2, 1.0),
                                          make_run("sequential", 1, 4.0)};
    const std::string table = sweep_to_text(runs);
    // median of 1.0, 9.0, 2.0 is 2.0; two workers take 1.0: 2.00x, efficiency 1.00; vs sequential 4.00x
    EXPECT_NE(table.find("2.0000"), std::string::npos) << table;
    EXPECT_NE(table.find("2.00x        1.00          4.00x"), std::string::npos) << table;
}

TEST(Report, LostTasksAppearOnlyWhenThereAreSome) {
    auto run = make_run("processes", 2, 0.5);
    EXPECT_EQ(run_to_json(run).find("failed_tasks"), std::string::npos);
    run.ok = false;
    run.error = "1 task lost";
    run.failed_tasks.push_back({3, "worker 1 (pid 42) was killed by signal 9 (Killed)"});
    EXPECT_NE(run_to_json(run).find(
                  R"x("failed_tasks":[{"id":3,"error":"worker 1 (pid 42) was killed by signal 9 (Killed)"}])x"),
              std::string::npos)
        << run_to_json(run);
    EXPECT_NE(run_to_text(run).find("lost            task 3: worker 1"), std::string::npos) << run_to_text(run);
}

TEST(Report, SweepTableEndsWithAnAmdahlFitPerMode) {
    // threads: 1 worker 1.0 s, 2 workers 0.6 s -> S = 1/0.6, f = 2 (0.6 - 0.5) = 0.2, limit 5x, exact fit.
    const std::vector<run_result> runs = {make_run("threads", 1, 1.0), make_run("threads", 2, 0.6),
                                          make_run("sequential", 1, 1.0), make_run("processes", 2, 0.5),
                                          make_run("processes", 4, 0.3)};
    const std::string table = sweep_to_text(runs);
    EXPECT_NE(table.find("threads: Amdahl fit f = 0.200 (speed-up limit 5.00x; residual 0.000)"), std::string::npos)
        << table;
    EXPECT_NE(table.find("processes: no Amdahl fit (not enough points"), std::string::npos) << table;
    EXPECT_EQ(table.find("sequential: "), std::string::npos) << table;  // one worker count: no fit
}

// An mpi run: each task names its rank and host in JSON and in the text; other runs' tasks carry neither.
TEST(Report, MpiRunsNameEachTasksRankAndHostAndTheJobsHosts) {
    EXPECT_EQ(run_to_json(make_run("processes", 2, 1.0)).find("\"rank\""), std::string::npos);
    run_result run = make_run("mpi", 3, 1.0);
    run.task_count = 3;
    run.tasks[0].rank = 2;
    run.tasks[0].host = "node-b";
    for (std::uint32_t id : {1U, 2U}) {
        task_record t = run.tasks[0];
        t.id = id;
        t.rank = id == 1 ? 1U : 3U;
        t.host = id == 1 ? "node-a" : "node-b";
        run.tasks.push_back(t);
    }
    run.bytes_transferred = 100;
    const std::string json = run_to_json(run);
    EXPECT_NE(json.find("\"id\":0,\"worker\":0"), std::string::npos) << json;
    EXPECT_NE(json.find("\"rank\":2,\"host\":\"node-b\""), std::string::npos) << json;
    EXPECT_NE(json.find("\"rank\":1,\"host\":\"node-a\""), std::string::npos) << json;
    const std::string text = run_to_text(run);
    EXPECT_NE(text.find("ranks by host   node-a: rank 1; node-b: ranks 2, 3\n"), std::string::npos) << text;
    EXPECT_NE(text.find("bytes in MPI messages between rank 0 and the other ranks"), std::string::npos) << text;

    environment_info env;
    env.target = "native";
    env.mpi = mpi_job{"Open MPI v4.1.4", 4, {{"node-a", {0, 1}}, {"node-b", {2, 3}}}};
    const std::string file = results_to_json(env, {run});
    EXPECT_NE(file.find("\"mpi\":{\"library\":\"Open MPI v4.1.4\",\"ranks\":4,\"hosts\":[{\"host\":\"node-a\","
                        "\"ranks\":[0,1]},{\"host\":\"node-b\",\"ranks\":[2,3]}]}"),
              std::string::npos)
        << file;
    EXPECT_EQ(results_to_json(environment_info{}, {run}).find("\"mpi\":{"), std::string::npos);
}

}  // namespace
}  // namespace parlab
