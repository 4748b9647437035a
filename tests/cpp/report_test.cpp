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

}  // namespace
}  // namespace parlab
