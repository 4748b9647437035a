// The experiment presets: `parlab experiment list` names every preset, a preset's steps reach the command-line
// runner as written (with --repeats and --out where they apply), `run` writes one valid results file, bad input
// exits 2 naming the choices.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>  // nlohmann::json: reading the results file back

#include <array>       // std::array
#include <cstdio>      // popen, pclose, std::remove
#include <filesystem>  // std::filesystem::temp_directory_path
#include <fstream>     // std::ifstream
#include <set>         // std::set
#include <string>      // std::string

#include <sys/wait.h>  // WIFEXITED
#include <unistd.h>    // getpid

#include "experiments.hpp"
#include "run_cli.hpp"

namespace {

using parlab_test::run_cli;

/// The repository root: this file is tests/native/experiments_test.cpp (CMake passes sources by absolute path).
std::filesystem::path repo_root() { return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path(); }

const std::set<std::string> card_ids = {"io-threads", "cpu-gil", "tiny-tasks", "two-phase", "pipes-queues", "oversubscription",
                                        "amdahl",     "async",      "isolation"};

}  // namespace

TEST(Experiments, PresetsHaveNamesTitlesLessonsAndSteps) {
    std::set<std::string> names;
    for (const auto& preset : parlab::get_experiment_presets()) {
        EXPECT_TRUE(names.insert(std::string(preset.name)).second) << "duplicate " << preset.name;
        EXPECT_FALSE(preset.title.empty()) << preset.name;
        EXPECT_TRUE(std::filesystem::exists(repo_root() / "docs" / "lessons" /
                                            std::string(preset.lesson)))
            << preset.lesson;
        EXPECT_FALSE(preset.steps.empty()) << preset.name;
        for (const auto& step : preset.steps) EXPECT_FALSE(step.args.empty()) << preset.name;
    }
    for (const auto& id : card_ids) EXPECT_EQ(names.count(id), 1U) << "no preset for card " << id;
}

TEST(Experiments, ListNamesEveryPresetWithItsCommands) {
    const auto listed = run_cli("experiment list");
    ASSERT_EQ(listed.code, 0) << listed.output;
    for (const auto& preset : parlab::get_experiment_presets()) {
        EXPECT_NE(listed.output.find(std::string(preset.name) + ": " + std::string(preset.title)), std::string::npos)
            << preset.name;
        for (const auto& step : preset.steps)
            EXPECT_NE(listed.output.find("parlab " + step.args.front() + " " + step.args[1]), std::string::npos);
    }
}

TEST(Experiments, StepsReachTheRunnerAsWrittenWithRepeatsAndOut) {
    std::vector<std::vector<std::string>> calls;
    const parlab::cli_runner record = [&calls](const std::vector<std::string>& args) {
        calls.push_back(args);
        return 0;
    };
    const auto& presets = parlab::get_experiment_presets();
    const auto* preset = &presets.front();
    for (const auto& p : presets)
        if (p.name == "async") preset = &p;  // two sweep steps
    ASSERT_EQ(parlab::run_experiment_command({"run", std::string(preset->name), "--repeats", "3", "--format", "json"},
                                             record),
              0);
    ASSERT_EQ(calls.size(), preset->steps.size());
    for (std::size_t i = 0; i < calls.size(); ++i) {
        const auto& call = calls[i];
        const auto& step = preset->steps[i];
        ASSERT_GE(call.size(), step.args.size() + 4);
        EXPECT_TRUE(std::equal(step.args.begin(), step.args.end(), call.begin()));
        const std::vector<std::string> tail(call.begin() + static_cast<long>(step.args.size()), call.end());
        EXPECT_EQ(tail[0], "--repeats");
        EXPECT_EQ(tail[1], "3");
        EXPECT_EQ(tail[2], "--out");
    }
}

TEST(Experiments, BadNamesAndFlagsExit2NamingTheChoices) {
    const auto unknown = run_cli("experiment run warp-drive");
    EXPECT_EQ(unknown.code, 2);
    EXPECT_NE(unknown.output.find("unknown experiment 'warp-drive'"), std::string::npos) << unknown.output;
    for (const auto& id : card_ids) EXPECT_NE(unknown.output.find(id), std::string::npos) << id;
    for (const char* args : {"experiment", "experiment run", "experiment fly", "experiment run async --repeats 0",
                             "experiment run async --repeats 101", "experiment run async --format xml",
                             "experiment run async --bogus 1", "experiment run async --out", "experiment list x"}) {
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
