// The parlab program end to end: exit codes, one-line errors naming the flag, JSON written to --out.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

namespace {

struct outcome {
    int code;
    std::string output;  // stdout and stderr together
};

outcome run_cli(const std::string& args) {
    const std::string command = std::string(PARLAB_CLI_PATH) + " " + args + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return {-1, "popen failed"};
    std::string output;
    std::array<char, 4096> buffer{};
    while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

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
                             "run --mode sequential --workers 2", "run --shape chunked --n abc"}) {
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
    std::size_t runs = 0;
    for (auto at = json.find("\"mode\":"); at != std::string::npos; at = json.find("\"mode\":", at + 1)) ++runs;
    EXPECT_EQ(runs, 5U);  // sequential once, threads x2, processes x2
    EXPECT_NE(result.output.find("vs 1 worker"), std::string::npos);
    std::remove(path.c_str());
}

TEST(Cli, JsonFormatPrintsTheResultsFile) {
    const auto result = run_cli("run --workload factorials --repeat 5 --mode threads --workers 2 --format json");
    ASSERT_EQ(result.code, 0) << result.output;
    EXPECT_EQ(result.output.rfind("{\"schema_version\":1,", 0), 0U) << result.output;
    EXPECT_NE(result.output.find("\"task_count\":25"), std::string::npos);
}

}  // namespace
