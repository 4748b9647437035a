// copy in the process pool: worker processes copy the parent's files; the checksum is sequential's; the parent alone
// removes the folder.
#include <gtest/gtest.h>

#include <cstdlib>     // setenv
#include <filesystem>  // std::filesystem

#include "executor.hpp"
#include "process_pool.hpp"
#include "run.hpp"

namespace parlab {
namespace {

TEST(CopyProcesses, WorkersCopyTheParentsFilesAndTheParentCleansUp) {
    namespace fs = std::filesystem;
    const fs::path root = fs::temp_directory_path() / ("parlab-copy-pool-" + std::to_string(::getpid()));
    fs::create_directories(root);
    const char* previous = std::getenv("TMPDIR");
    const std::string kept = previous != nullptr ? previous : "";
    ::setenv("TMPDIR", root.c_str(), 1);
    const auto params = parse_params("copy", {{"files", "4"}, {"file_mib", "1"}, {"fsync", "1"}});
    run_control control;
    process_pool_executor pool(2);
    const auto run = run_workload(params, pool, control);
    auto sequential = make_portable_executor("sequential", 1);
    const auto reference = run_workload(params, *sequential, control);
    const bool empty = fs::is_empty(root);
    if (kept.empty()) ::unsetenv("TMPDIR");
    else ::setenv("TMPDIR", kept.c_str(), 1);
    fs::remove_all(root);
    ASSERT_TRUE(run.ok && run.complete) << run.error;
    EXPECT_EQ(run.checksum, reference.checksum);
    for (const auto& task : run.tasks) EXPECT_NE(task.pid, static_cast<std::int64_t>(::getpid()));
    EXPECT_TRUE(empty) << "nothing left in the temporary folder";
}

}  // namespace
}  // namespace parlab
