// The experiment presets: plans follow the CPU count (--cpus 1, 2, 16, 64), `parlab experiment list` names every
// preset, a preset's steps reach the job runner as planned (with --repeats where they apply), `run` writes one valid
// results file, the Amdahl summary adds up, bad input exits 2 naming the choices.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>  // nlohmann::json: reading the results file back

#include <algorithm>   // std::all_of, std::equal, std::any_of
#include <array>       // std::array
#include <cstdio>      // popen, pclose, std::remove
#include <filesystem>  // std::filesystem::temp_directory_path
#include <fstream>     // std::ifstream, std::ofstream
#include <functional>  // std::function
#include <iostream>    // std::cout
#include <map>         // std::map
#include <set>         // std::set
#include <sstream>     // std::istringstream
#include <stdexcept>   // std::runtime_error
#include <string>      // std::string

#include <sys/wait.h>  // WIFEXITED
#include <unistd.h>    // getpid

#include "../run_cli.hpp"
#include "commands/experiment_command.hpp"
#include "executor.hpp"  // max_workers
#include "experiments/figures.hpp"
#include "experiments/presets.hpp"
#include "params.hpp"  // get_param_specs

namespace {

using parlab_test::run_cli;

/// The repository root: this file is tests/native/experiments/experiments_test.cpp (CMake passes sources by absolute
/// path).
std::filesystem::path repo_root() {
    return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
}

const std::set<std::string> card_ids = {"races", "io-threads", "cpu-gil", "tiny-tasks", "two-phase", "pipes-queues", "oversubscription",
                                        "amdahl",     "async",      "isolation", "deadlock",
                                        "responsiveness"};

const std::vector<unsigned> plan_cpus = {1, 2, 16, 64};

const parlab::experiment_preset& find_preset(const std::vector<parlab::experiment_preset>& presets,
                                             std::string_view name) {
    for (const auto& p : presets)
        if (p.name == name) return p;
    throw std::runtime_error("no preset " + std::string(name));
}

/// The value after `flag` in the command line a step's job is the same as; empty when the flag is not there.
std::string flag_value(const parlab::experiment_step& step, std::string_view flag) {
    const auto args = step.get_args();
    for (std::size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == flag) return args[i + 1];
    return {};
}

unsigned flag_number(const parlab::experiment_step& step, std::string_view flag) {
    const auto text = flag_value(step, flag);
    return text.empty() ? 0U : static_cast<unsigned>(std::stoul(text));
}

std::vector<unsigned> flag_list(const parlab::experiment_step& step, std::string_view flag) {
    std::vector<unsigned> out;
    std::istringstream in(flag_value(step, flag));
    for (std::string item; std::getline(in, item, ',');) out.push_back(static_cast<unsigned>(std::stoul(item)));
    return out;
}

double param_max(std::string_view workload, std::string_view name) {
    for (const auto& spec : parlab::get_param_specs())
        if (spec.workload == workload && spec.name == name) return spec.max;
    throw std::runtime_error("no parameter " + std::string(name));
}

/// What the plan rules give for C CPUs (docs/native-program.md), written out by hand for the four machines tested.
struct expected_plan {
    std::vector<unsigned> io_workers;
    unsigned io_count, io_latency;
    std::vector<unsigned> over_workers;
    unsigned over_chunks, over_count, over_latency;
    std::vector<unsigned> amdahl_workers;
    unsigned amdahl_chunks;
    unsigned tiny_workers, gather_workers, render_workers;
};

const std::map<unsigned, expected_plan> expected_plans = {
    {1, {{2, 4}, 12, 200, {1, 2, 4}, 64, 32, 100, {1, 2}, 64, 2, 8, 2}},
    {2, {{2, 4, 8}, 12, 200, {1, 2, 4, 8}, 64, 32, 100, {1, 2, 4}, 64, 2, 8, 2}},
    {16, {{2, 16, 32, 64}, 64, 38, {1, 8, 16, 32, 64}, 256, 64, 50, {1, 2, 8, 16, 32}, 128, 8, 32, 16}},
    {64, {{2, 64, 128, 256}, 256, 20, {1, 32, 64, 128, 256}, 1024, 256, 20, {1, 2, 32, 64, 128}, 512, 8, 128, 64}},
};

}  // namespace

TEST(Experiments, PresetsHaveNamesTitlesLessonsAndSteps) {
    std::set<std::string> names;
    for (const auto& preset : parlab::get_experiment_presets(2)) {
        EXPECT_TRUE(names.insert(std::string(preset.name)).second) << "duplicate " << preset.name;
        EXPECT_FALSE(preset.title.empty()) << preset.name;
        EXPECT_TRUE(std::filesystem::exists(repo_root() / "docs" / "lessons" /
                                            std::string(preset.lesson)))
            << preset.lesson;
        EXPECT_FALSE(preset.steps.empty()) << preset.name;
        for (const auto& step : preset.steps) EXPECT_FALSE(step.get_args().empty()) << preset.name;
    }
    for (const auto& id : card_ids) EXPECT_EQ(names.count(id), 1U) << "no preset for card " << id;
}

TEST(Experiments, ListPrintsThePlansForTheCpusAsked) {
    for (const unsigned cpus : plan_cpus) {
        const auto listed = run_cli("experiment list --cpus " + std::to_string(cpus));
        ASSERT_EQ(listed.code, 0) << listed.output;
        EXPECT_NE(listed.output.find("Plan for " + std::to_string(cpus) + " CPU"), std::string::npos) << listed.output;
        EXPECT_NE(listed.output.find("teaching override"), std::string::npos) << listed.output;
        for (const auto& preset : parlab::get_experiment_presets(cpus)) {
            EXPECT_NE(listed.output.find(std::string(preset.name) + ": " + std::string(preset.title)),
                      std::string::npos)
                << preset.name;
            for (const auto& step : preset.steps) {
                std::string line = "    parlab";
                for (const auto& arg : step.get_args()) line += " " + arg;
                EXPECT_NE(listed.output.find(line + "\n"), std::string::npos) << cpus << " CPUs: " << line;
            }
        }
    }
    const auto here = run_cli("experiment list");  // no --cpus: this machine's plan, said so
    ASSERT_EQ(here.code, 0) << here.output;
    EXPECT_NE(here.output.find("(this machine's logical CPUs)"), std::string::npos) << here.output;
}

TEST(Experiments, PlansFollowTheCpuCount) {
    for (const unsigned cpus : plan_cpus) {
        SCOPED_TRACE(std::to_string(cpus) + " CPUs");
        const auto presets = parlab::get_experiment_presets(cpus);
        const auto& want = expected_plans.at(cpus);

        const auto& io = find_preset(presets, "io-threads");
        ASSERT_EQ(io.steps.size(), 2U);
        EXPECT_EQ(flag_value(io.steps[1], "--modes"), "threads-gil");  // at the largest count only
        EXPECT_EQ(flag_list(io.steps[1], "--workers"), std::vector<unsigned>{want.io_workers.back()});
        EXPECT_EQ(flag_value(io.steps[1], "--count"), flag_value(io.steps[0], "--count"));
        EXPECT_EQ(flag_value(io.steps[1], "--latency-ms"), flag_value(io.steps[0], "--latency-ms"));
        EXPECT_EQ(flag_list(io.steps[0], "--workers"), want.io_workers);
        EXPECT_EQ(flag_number(io.steps[0], "--count"), want.io_count);
        EXPECT_EQ(flag_number(io.steps[0], "--latency-ms"), want.io_latency);
        EXPECT_EQ(flag_value(io.steps[0], "--work-kib"), "16");
        EXPECT_EQ(flag_value(io.steps[0], "--modes"), "sequential,threads,async");

        const auto& over = find_preset(presets, "oversubscription");
        ASSERT_EQ(over.steps.size(), 2U);
        EXPECT_EQ(flag_list(over.steps[0], "--workers"), want.over_workers);
        EXPECT_EQ(flag_number(over.steps[0], "--chunks"), want.over_chunks);
        EXPECT_EQ(flag_value(over.steps[0], "--n"), "5000000");
        EXPECT_EQ(flag_value(over.steps[0], "--modes"), "threads,processes");
        EXPECT_EQ(flag_list(over.steps[1], "--workers"), want.over_workers);
        EXPECT_EQ(flag_number(over.steps[1], "--count"), want.over_count);
        EXPECT_EQ(flag_number(over.steps[1], "--latency-ms"), want.over_latency);
        EXPECT_EQ(flag_value(over.steps[1], "--modes"), "threads");

        // The lessons need workers past the CPUs, and a CPU-bound step needs a task for every worker.
        EXPECT_GT(want.io_workers.back(), cpus);
        EXPECT_GT(want.over_workers.back(), cpus);
        EXPECT_GE(want.over_chunks, want.over_workers.back());
        EXPECT_GE(want.over_count, want.over_workers.back());
        EXPECT_GE(want.io_count, want.io_workers.back());

        const auto& amdahl = find_preset(presets, "amdahl");
        ASSERT_EQ(amdahl.steps.size(), 2U);
        EXPECT_EQ(flag_value(amdahl.steps[0], "--inputs"), "2000000");
        EXPECT_EQ(flag_value(amdahl.steps[0], "--modes"), "sequential");
        EXPECT_EQ(flag_value(amdahl.steps[1], "--shape"), "chunked");
        EXPECT_EQ(flag_value(amdahl.steps[1], "--n"), "5000000");
        EXPECT_EQ(flag_value(amdahl.steps[1], "--modes"), "threads");
        EXPECT_EQ(flag_list(amdahl.steps[1], "--workers"), want.amdahl_workers);
        EXPECT_EQ(flag_number(amdahl.steps[1], "--chunks"), want.amdahl_chunks);

        const auto& gil = find_preset(presets, "cpu-gil");
        ASSERT_EQ(gil.steps.size(), 2U);
        EXPECT_EQ(flag_value(gil.steps[0], "--inputs"), "1000000,2000000,3000000");
        EXPECT_EQ(flag_value(gil.steps[0], "--modes"), "sequential,threads,threads-gil,processes");
        EXPECT_EQ(flag_value(gil.steps[0], "--workers"), "2,3");
        EXPECT_EQ(flag_value(gil.steps[1], "--inputs"), "3000000,2000000,1000000");  // largest task first
        EXPECT_EQ(flag_value(gil.steps[1], "--modes"), "threads");
        EXPECT_EQ(flag_value(gil.steps[1], "--workers"), "2,3");

        const auto& tiny = find_preset(presets, "tiny-tasks");
        ASSERT_EQ(tiny.steps.size(), 3U);
        EXPECT_EQ(flag_value(tiny.steps[0], "--modes"), "sequential,threads");
        EXPECT_EQ(flag_value(tiny.steps[0], "--workers"), "2");  // threads as before; processes follow the CPUs
        EXPECT_EQ(flag_value(tiny.steps[1], "--modes"), "processes");
        EXPECT_EQ(flag_number(tiny.steps[1], "--workers"), want.tiny_workers);
        EXPECT_EQ(flag_value(tiny.steps[2], "--chunk"), "1000");
        EXPECT_EQ(flag_number(tiny.steps[2], "--workers"), want.tiny_workers);

        const auto& two_phase = find_preset(presets, "two-phase");
        ASSERT_EQ(two_phase.steps.size(), 4U);
        EXPECT_EQ(flag_value(two_phase.steps[0], "--gather-workers"), "1");
        for (std::size_t i = 1; i < two_phase.steps.size(); ++i) {
            EXPECT_EQ(flag_number(two_phase.steps[i], "--gather-workers"), want.gather_workers);
            EXPECT_EQ(flag_number(two_phase.steps[i], "--render-workers"), want.render_workers);
        }
        EXPECT_EQ(flag_value(two_phase.steps[1], "--render-mode"), "threads");
        EXPECT_EQ(flag_value(two_phase.steps[2], "--render-mode"), "threads-gil");
        EXPECT_EQ(flag_value(two_phase.steps[3], "--render-mode"), "processes");

        // Unchanged presets: the same commands on every machine.
        const auto smallest = parlab::get_experiment_presets(1);
        for (const auto* name : {"async", "isolation", "pipes-queues", "deadlock"}) {
            const auto& here = find_preset(presets, name);
            const auto& small = find_preset(smallest, name);
            ASSERT_EQ(here.steps.size(), small.steps.size()) << name;
            for (std::size_t i = 0; i < here.steps.size(); ++i) EXPECT_EQ(here.steps[i].get_args(), small.steps[i].get_args());
        }
    }
}

TEST(Experiments, PlansStayWithinTheCoreBounds) {
    const auto max_downloads = static_cast<unsigned>(param_max("download", "count"));
    const auto max_chunks = static_cast<unsigned>(param_max("primes", "chunks"));
    for (const unsigned cpus : {1U, 3U, 7U, 16U, 100U, 255U, 256U, 1000U}) {  // 1000: clamped to 256
        SCOPED_TRACE(std::to_string(cpus) + " CPUs");
        const auto presets = parlab::get_experiment_presets(cpus);
        for (const auto& preset : presets) {
            for (const auto& step : preset.steps) {
                for (const auto* flag : {"--workers", "--gather-workers", "--render-workers"})
                    for (const unsigned w : flag_list(step, flag)) {
                        EXPECT_GE(w, 1U) << preset.name;
                        EXPECT_LE(w, parlab::max_workers) << preset.name;
                    }
                const auto workers = flag_list(step, "--workers");
                EXPECT_TRUE(std::is_sorted(workers.begin(), workers.end())) << preset.name;
                EXPECT_EQ(std::set<unsigned>(workers.begin(), workers.end()).size(), workers.size()) << preset.name;
                if (flag_value(step, "--workload") == "download") {
                    EXPECT_LE(flag_number(step, "--count"), max_downloads) << preset.name;
                    EXPECT_GE(flag_number(step, "--latency-ms"), 20U) << preset.name;
                }
                if (!flag_value(step, "--chunks").empty()) {
                    EXPECT_LE(flag_number(step, "--chunks"), max_chunks);
                }
            }
        }
        const auto& io = find_preset(presets, "io-threads");
        for (const unsigned w : flag_list(io.steps[0], "--workers")) {
            EXPECT_GE(w, 2U);
            EXPECT_LE(w, flag_number(io.steps[0], "--count"));
        }
    }
}

TEST(Experiments, AmdahlSummaryAddsTheSerialPartToEveryTotal) {
    // serial 1 s, parallel 4 s on 1 worker, halving with each doubling: s = 1 / 5, limit 5x.
    const auto summary = parlab::summarize_amdahl(1.0, {{4, 1.0}, {1, 4.0}, {2, 2.0}}, 2);
    ASSERT_TRUE(summary.ok) << summary.message;
    EXPECT_DOUBLE_EQ(summary.serial_fraction, 0.2);
    EXPECT_DOUBLE_EQ(summary.limit, 5.0);
    ASSERT_EQ(summary.rows.size(), 3U);
    EXPECT_EQ(summary.rows[0].workers, 1U);  // sorted by workers
    EXPECT_DOUBLE_EQ(summary.rows[0].total_s, 5.0);
    EXPECT_DOUBLE_EQ(summary.rows[0].speedup, 1.0);
    EXPECT_DOUBLE_EQ(summary.rows[0].predicted, 1.0);
    EXPECT_DOUBLE_EQ(summary.rows[1].speedup, 5.0 / 3.0);
    EXPECT_DOUBLE_EQ(summary.rows[1].predicted, 1 / (0.2 + 0.8 / 2));
    EXPECT_DOUBLE_EQ(summary.rows[2].speedup, 2.5);
    EXPECT_DOUBLE_EQ(summary.rows[2].predicted, 1 / (0.2 + 0.8 / 2));  // 4 workers on 2 CPUs: 2 busy at once
    for (const auto& row : summary.rows) EXPECT_LT(row.speedup, summary.limit);

    EXPECT_FALSE(parlab::summarize_amdahl(0.0, {{1, 4.0}}, 2).ok);   // the serial part failed
    EXPECT_FALSE(parlab::summarize_amdahl(1.0, {{2, 2.0}}, 2).ok);   // no 1-worker base
    EXPECT_FALSE(parlab::summarize_amdahl(1.0, {}, 2).ok);
}

TEST(Experiments, AmdahlPresetRunsARealSerialPartAndSaysSo) {
    const auto path = (std::filesystem::temp_directory_path() /
                       ("parlab-experiment-amdahl-" + std::to_string(::getpid()) + ".json"))
                          .string();
    const auto result = run_cli("experiment run amdahl --cpus 1 --repeats 1 --out " + path);
    ASSERT_EQ(result.code, 0) << result.output;
    EXPECT_NE(result.output.find("Plan for 1 CPU (--cpus 1: a teaching override"), std::string::npos)
        << result.output;
    EXPECT_NE(result.output.find("serial fraction s = "), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("limit 1/s = "), std::string::npos) << result.output;
    std::ifstream in(path);
    ASSERT_TRUE(in) << "no results file at " << path;
    const auto file = nlohmann::json::parse(in);
    std::remove(path.c_str());
    const auto& experiment = file["experiment"];
    EXPECT_EQ(experiment["name"], "amdahl");
    EXPECT_EQ(experiment["plan_cpus"], 1);
    EXPECT_EQ(experiment["cpus_overridden"], true);
    EXPECT_GE(experiment["machine_cpus"].get<int>(), 1);
    const auto& runs = file["runs"];
    ASSERT_EQ(runs.size(), 3U);  // the serial part, then the parallel part on 1 and 2 threads
    EXPECT_EQ(runs[0]["mode"], "sequential");
    EXPECT_EQ(runs[0]["tasks"].size(), 1U);
    const auto& amdahl = experiment["amdahl"];
    ASSERT_EQ(amdahl["ok"], true) << amdahl.dump();
    const double serial = amdahl["serial_s"];
    EXPECT_DOUBLE_EQ(serial, runs[0]["wall_s"].get<double>());
    ASSERT_EQ(amdahl["rows"].size(), 2U);
    for (std::size_t i = 0; i < 2; ++i) {
        const auto& row = amdahl["rows"][i];
        EXPECT_EQ(row["workers"], runs[i + 1]["workers"]);
        EXPECT_DOUBLE_EQ(row["parallel_s"].get<double>(), runs[i + 1]["wall_s"].get<double>());
        EXPECT_DOUBLE_EQ(row["total_s"].get<double>(), serial + row["parallel_s"].get<double>());
        EXPECT_LT(row["speedup"].get<double>(), amdahl["limit"].get<double>());  // the limit the data allow
        EXPECT_DOUBLE_EQ(row["predicted"].get<double>(), 1.0);  // one CPU in the plan: Amdahl predicts no gain
    }
    EXPECT_NE(result.output.find("Verdict for 1 CPU: "), std::string::npos) << result.output;
    EXPECT_EQ(experiment["verdict"]["cpus"], 1);  // judged for the plan's CPUs, and said so
    EXPECT_NE(experiment["verdict"]["line"].get<std::string>().find("--cpus is a teaching override"), std::string::npos);
    EXPECT_DOUBLE_EQ(amdahl["serial_fraction"].get<double>(),
                     serial / (serial + amdahl["rows"][0]["parallel_s"].get<double>()));
}

TEST(Experiments, BadCpusExit2NamingTheFlagAndItsBounds) {
    for (const char* value : {"0", "257", "-1", "abc", "1.5", "1000", "16x", "''"}) {
        for (const std::string command : {"experiment list --cpus ", "experiment run async --cpus "}) {
            const auto result = run_cli(command + value);
            EXPECT_EQ(result.code, 2) << command << value << ": " << result.output;
            EXPECT_NE(result.output.find("parlab: error: --cpus must be an integer between 1 and 256"),
                      std::string::npos)
                << command << value << ": " << result.output;
        }
    }
    for (const char* args : {"experiment list --cpus", "experiment run async --cpus"}) {
        const auto result = run_cli(args);
        EXPECT_EQ(result.code, 2) << args;
        EXPECT_NE(result.output.find("--cpus needs a value"), std::string::npos) << args << ": " << result.output;
    }
}

TEST(Experiments, StepsReachTheRunnerAsPlannedWithRepeats) {
    std::vector<parlab::experiment_job> calls;
    const parlab::job_runner record = [&calls](const parlab::experiment_job& job, parlab::run_control&,
                                               std::ostream*) {
        calls.push_back(job);
        return std::vector<parlab::run_result>{};
    };
    const auto presets = parlab::get_experiment_presets(16);
    const auto* preset = &find_preset(presets, "oversubscription");  // two sweep steps, planned for the CPUs given
    ASSERT_EQ(parlab::run_experiment_command(
                  {"run", std::string(preset->name), "--cpus", "16", "--repeats", "3", "--format", "json"}, record),
              0);
    ASSERT_EQ(calls.size(), preset->steps.size());
    for (std::size_t i = 0; i < calls.size(); ++i) {
        const auto& call = std::get<parlab::grid_job>(calls[i]);
        const auto& step = std::get<parlab::grid_job>(preset->steps[i].job);
        EXPECT_EQ(call.params.workload, step.params.workload);
        EXPECT_EQ(call.params.values, step.params.values);
        EXPECT_EQ(call.modes, step.modes);
        EXPECT_EQ(call.workers, step.workers);
        EXPECT_EQ(step.repeats, 1U);
        EXPECT_EQ(call.repeats, 3U);  // --repeats reaches every step that takes it
    }
}

TEST(Experiments, BadNamesAndFlagsExit2NamingTheChoices) {
    const auto unknown = run_cli("experiment run warp-drive");
    EXPECT_EQ(unknown.code, 2);
    EXPECT_NE(unknown.output.find("unknown experiment 'warp-drive'"), std::string::npos) << unknown.output;
    for (const auto& id : card_ids) EXPECT_NE(unknown.output.find(id), std::string::npos) << id;
    for (const char* args : {"experiment", "experiment run", "experiment fly", "experiment run async --repeats 0",
                             "experiment run async --repeats 101", "experiment run async --format xml",
                             "experiment run async --bogus 1", "experiment run async --out", "experiment list x",
                             "experiment list --repeats 2"}) {
        const auto result = run_cli(args);
        EXPECT_EQ(result.code, 2) << args << ": " << result.output;
        EXPECT_NE(result.output.find("parlab: error:"), std::string::npos) << args << ": " << result.output;
    }
}

TEST(Experiments, RunWritesOneResultsFileAndSurvivesTheCrashingThreadsStep) {
    const auto path = (std::filesystem::temp_directory_path() /
                       ("parlab-experiment-test-" + std::to_string(::getpid()) + ".json"))
                          .string();
    const auto result = run_cli("experiment run isolation --out " + path);
    ASSERT_EQ(result.code, 0) << result.output;
    // The threads step aborted the whole program it ran in (a child here), and the experiment says so.
    EXPECT_NE(result.output.find("killed by signal 6"), std::string::npos) << result.output;
    std::ifstream in(path);
    ASSERT_TRUE(in) << "no results file at " << path;
    const auto file = nlohmann::json::parse(in);
    std::remove(path.c_str());
    EXPECT_EQ(file["schema_version"], 1);
    EXPECT_EQ(file["environment"]["target"], "native");
    ASSERT_EQ(file["runs"].size(), 1U);  // the processes run; the threads run left nothing behind
    const auto& run = file["runs"][0];
    EXPECT_EQ(run["mode"], "processes");
    EXPECT_EQ(run["ok"], false);
    ASSERT_EQ(run["failed_tasks"].size(), 1U);  // respawn: only the crashed task is lost
    EXPECT_EQ(run["failed_tasks"][0]["id"], 3);
    EXPECT_EQ(run["tasks"].size(), 15U);
}

TEST(Experiments, DeadlockRunsNameTheDeadlockOfTheThreadsAndFinishTheOthers) {
    const auto path = (std::filesystem::temp_directory_path() /
                       ("parlab-experiment-deadlock-" + std::to_string(::getpid()) + ".json"))
                          .string();
    const auto result = run_cli("experiment run deadlock --repeats 1 --out " + path);
    ASSERT_EQ(result.code, 0) << result.output;
    std::ifstream in(path);
    ASSERT_TRUE(in) << "no results file at " << path;
    const auto file = nlohmann::json::parse(in);
    std::remove(path.c_str());
    ASSERT_EQ(file["runs"].size(), 3U);
    const auto& opposite = file["runs"][0];
    EXPECT_EQ(opposite["ok"], false);
    const auto error = opposite["error"].get<std::string>();
    EXPECT_NE(error.find("deadlock: worker 0 holds "), std::string::npos) << error;
    EXPECT_NE(error.find("; worker 1 holds "), std::string::npos) << error;
    for (const std::size_t i : {1U, 2U}) {
        EXPECT_EQ(file["runs"][i]["ok"], true) << file["runs"][i]["mode"];
        EXPECT_EQ(file["runs"][i]["checksum"], "4") << file["runs"][i]["mode"];
    }
    EXPECT_EQ(file["runs"][2]["mode"], "processes");
}

namespace {

/// A stand-in for the job runner that makes each grid job's runs from a model of the machine:
/// `wall(job, mode, workers, repeat)` gives each run's time. Other jobs (cv, ipc) make no runs.
parlab::job_runner modelled_runner(
    std::function<double(const parlab::grid_job&, const std::string&, unsigned, unsigned)> wall) {
    return [wall = std::move(wall)](const parlab::experiment_job& job, parlab::run_control&, std::ostream*) {
        std::vector<parlab::run_result> runs;
        const auto* grid = std::get_if<parlab::grid_job>(&job);
        if (grid == nullptr) return runs;
        const auto points = grid->get_runs();
        const std::size_t per_repeat = points.size() / grid->repeats;
        for (std::size_t i = 0; i < points.size(); ++i) {
            parlab::run_result run;
            run.params = grid->params;
            run.mode = points[i].first;
            run.workers = points[i].second;
            run.wall_s = wall(*grid, run.mode, run.workers, static_cast<unsigned>(i / per_repeat));
            runs.push_back(run);
        }
        return runs;
    };
}

bool is_download(const parlab::grid_job& job) { return job.params.workload == "download"; }

/// Runs a preset through the modelled runner with --format json and returns the experiment object it printed.
nlohmann::json modelled_experiment(const std::vector<std::string>& command, const parlab::job_runner& runner) {
    std::ostringstream captured;
    auto* const saved = std::cout.rdbuf(captured.rdbuf());
    const int code = parlab::run_experiment_command(command, runner);
    std::cout.rdbuf(saved);
    EXPECT_EQ(code, 0);
    return nlohmann::json::parse(captured.str())["experiment"];
}

}  // namespace

TEST(Experiments, VerdictsJudgeTheModelledMachineForThePlannedCpus) {
    for (const unsigned cpus : {2U, 16U, 64U}) {
        SCOPED_TRACE(std::to_string(cpus) + " CPUs");
        const auto c = std::to_string(cpus);
        // I/O waits overlap with any number of workers; CPU work only up to the cores.
        const auto machine = modelled_runner([cpus](const auto& args, const std::string& mode, unsigned w, unsigned) {
            if (is_download(args)) return mode == "sequential" ? 2.4 : 2.4 / w;
            if (mode == "threads-gil") return 1.0;
            return 1.0 / std::min(w, cpus);
        });
        const auto io = modelled_experiment({"run", "io-threads", "--cpus", c, "--format", "json"}, machine);
        EXPECT_EQ(io["plan_cpus"], cpus);
        EXPECT_EQ(io["verdict"]["verdict"], "more") << io.dump();
        EXPECT_NE(io["verdict"]["line"].get<std::string>().find("Verdict for " + c + " CPUs: more"), std::string::npos);
        const auto over = modelled_experiment({"run", "oversubscription", "--cpus", c, "--format", "json"}, machine);
        EXPECT_EQ(over["verdict"]["verdict"], "cpu-stops") << over.dump();
        const auto gil = modelled_experiment({"run", "cpu-gil", "--cpus", c, "--format", "json"}, machine);
        EXPECT_EQ(gil["verdict"]["verdict"], "not-gil") << gil.dump();
        const auto amdahl = modelled_experiment({"run", "amdahl", "--cpus", c, "--format", "json"}, machine);
        EXPECT_EQ(amdahl["verdict"]["verdict"], "capped") << amdahl.dump();
        EXPECT_EQ(amdahl["amdahl"]["ok"], true);
    }
}

TEST(Experiments, RepeatsThatDisagreeMakeTheVerdictInconclusive) {
    // Downloads as before, but one repeat of the CPU-bound runs past the 2 cores is twice as fast: the medians say
    // primes stop at the cores, the fastest repeat says they go on, so the verdict must not claim either.
    const auto busy = modelled_runner([](const auto& args, const std::string& mode, unsigned w, unsigned repeat) {
        if (is_download(args)) return mode == "sequential" ? 3.2 : 3.2 / w;
        const double noise = w > 2 && repeat == 1 ? 0.5 : 1.0;
        return noise / std::min(w, 2U);
    });
    const auto over = modelled_experiment({"run", "oversubscription", "--cpus", "2", "--repeats", "3", "--format", "json"},
                                          busy);
    EXPECT_EQ(over["verdict"]["verdict"], "inconclusive") << over.dump();
    EXPECT_NE(over["verdict"]["reason"].get<std::string>().find("the machine was busy"), std::string::npos) << over.dump();
    EXPECT_DOUBLE_EQ(over["verdict"]["spread"].get<double>(), 0.5);  // (max - min) / median of the x4 and x8 runs
    // Presets without a verdict rule record none.
    const auto async = modelled_experiment({"run", "async", "--format", "json"}, busy);
    EXPECT_FALSE(async.contains("verdict"));
}
