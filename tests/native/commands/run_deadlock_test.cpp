// `parlab run --workload deadlock`: a deadlock ends the program with one line naming it; no deadlock, exit 0.
#include <gtest/gtest.h>

#include "../run_cli.hpp"

#include <string>  // std::string

namespace {

using parlab_test::run_cli;

TEST(RunDeadlockCli, OppositeOrdersOnTwoThreadsExitNonZeroNamingBothWorkersAndLocks) {
    for (const char* mode : {"threads", "threads-gil"}) {
        const auto result =
            run_cli(std::string("run --workload deadlock --hold-ms 300 --mode ") + mode + " --workers 2");
        EXPECT_NE(result.code, 0) << mode << ": " << result.output;
        // Which worker took which task (so which lock first) is the pool's choice.
        const bool named =
            result.output.find("deadlock: worker 0 holds A, waits for B; worker 1 holds B, waits for A") !=
                std::string::npos ||
            result.output.find("deadlock: worker 0 holds B, waits for A; worker 1 holds A, waits for B") !=
                std::string::npos;
        EXPECT_TRUE(named) << mode << ": " << result.output;
        EXPECT_EQ(result.output.find("deadlock: worker"), result.output.rfind("deadlock: worker")) << "one line";
    }
}

TEST(RunDeadlockCli, ConsistentOrderAndSeparateProcessesComplete) {
    for (const char* args : {"--lock-order consistent --mode threads --workers 2",
                             "--lock-order opposite --mode processes --workers 2",
                             "--lock-order opposite --mode sequential --workers 1"}) {
        const auto result = run_cli(std::string("run --workload deadlock --hold-ms 100 --format json ") + args);
        EXPECT_EQ(result.code, 0) << args << ": " << result.output;
        EXPECT_NE(result.output.find(R"("checksum":"4")"), std::string::npos) << args << ": " << result.output;
    }
}

}  // namespace
