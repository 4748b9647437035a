// copy: real files generated, copied byte for byte in every portable mode, the same value everywhere, nothing left.
#include "workloads/copy.hpp"

#include <gtest/gtest.h>

#include <cstdlib>     // setenv
#include <filesystem>  // std::filesystem
#include <fstream>     // std::ifstream
#include <iterator>    // std::istreambuf_iterator
#include <map>
#include <string>
#include <vector>

#include "executor.hpp"
#include "run.hpp"

namespace parlab {
namespace {

namespace fs = std::filesystem;

/// A private $TMPDIR for one test, removed at its end: what the workload leaves behind is what is in it.
struct temp_root {
    fs::path path;
    std::string previous;
    temp_root() {
        path = fs::temp_directory_path() / ("parlab-copy-test-" + std::to_string(::getpid()));
        fs::create_directories(path);
        if (const char* tmp = std::getenv("TMPDIR")) previous = tmp;
        ::setenv("TMPDIR", path.c_str(), 1);
    }
    ~temp_root() {
        if (previous.empty()) ::unsetenv("TMPDIR");
        else ::setenv("TMPDIR", previous.c_str(), 1);
        fs::remove_all(path);
    }
    [[nodiscard]] std::size_t entries() const {
        return static_cast<std::size_t>(std::distance(fs::directory_iterator(path), fs::directory_iterator()));
    }
};

std::string bytes_of(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

workload_params small(const std::map<std::string, std::string>& extra = {}) {
    std::map<std::string, std::string> values = {{"files", "3"}, {"file_mib", "2"}};
    values.insert(extra.begin(), extra.end());
    return parse_params("copy", values);
}

TEST(Copy, ATaskCopiesItsFileByteForByteAndReturnsTheGeneratorsHash) {
    const temp_root root;
    {
        const auto work = make_workload(small({{"fsync", "1"}, {"cold", "1"}}));
        const auto& copy = dynamic_cast<const copy_workload&>(*work);
        const fs::path folder = copy.get_folder();
        EXPECT_EQ(folder.parent_path(), root.path);
        ASSERT_EQ(work->get_task_count(), 3U);
        EXPECT_EQ(work->describe(1), "copy file 2 (2 MiB)");
        EXPECT_EQ(fs::file_size(folder / "file-1"), 2U << 20);
        const std::uint64_t value = work->compute(1, run_control{});
        EXPECT_EQ(value, copy.get_expected_value(1));
        EXPECT_NE(value, copy.get_expected_value(0)) << "each file has its own content";
        EXPECT_EQ(bytes_of(folder / "copy-1"), bytes_of(folder / "file-1"));
        EXPECT_THROW(static_cast<void>(work->compute(3, run_control{})), std::out_of_range);
    }
    EXPECT_EQ(root.entries(), 0U) << "the folder and its files are removed with the workload";
}

TEST(Copy, EveryPortableModeGivesTheSameChecksumAndLeavesNothing) {
    const temp_root root;
    std::uint64_t expected = 0;
    {
        const auto work = make_workload(small());
        const auto& copy = dynamic_cast<const copy_workload&>(*work);
        for (std::size_t t = 0; t < 3; ++t) expected += copy.get_expected_value(t);
    }
    for (const auto& [mode, workers] : {std::pair<std::string, unsigned>{"sequential", 1}, {"threads", 3}, {"async", 2}}) {
        run_control control;
        auto exec = make_portable_executor(mode, workers);
        const auto run = run_workload(small(), *exec, control);
        ASSERT_TRUE(run.ok && run.complete) << run.error;
        EXPECT_EQ(run.checksum, expected) << mode;
        for (const auto& task : run.tasks) EXPECT_TRUE(task.cpu_s.has_value());
    }
    EXPECT_EQ(root.entries(), 0U);
}

TEST(Copy, ATaskReadsItsSourceAndCreatesItsCopyAndPrepareTaskWritesTheSourceAgain) {
    const temp_root root;
    const auto work = make_workload(small());
    const auto& copy = dynamic_cast<const copy_workload&>(*work);
    const std::string folder = copy.get_folder();
    const std::vector<task_file> expected = {{folder + "/file-2", false}, {folder + "/copy-2", true}};
    EXPECT_EQ(work->get_task_files(2), expected);
    EXPECT_THROW(static_cast<void>(work->get_task_files(3)), std::out_of_range);
    const std::string before = bytes_of(fs::path(folder) / "file-2");
    fs::remove(fs::path(folder) / "file-2");
    work->prepare_task(2);  // what the page calls in wasm, where the constructor writes nothing
    EXPECT_EQ(bytes_of(fs::path(folder) / "file-2"), before);
    EXPECT_EQ(work->compute(2, run_control{}), copy.get_expected_value(2));
}

TEST(Copy, TheCrashOptionsWrapperPassesTheFilesAndPreparationThrough) {
    const temp_root root;
    const auto plain = make_workload(small());
    const auto wrapped = make_workload(small({{"crash_task", "0"}}));
    const std::string folder = dynamic_cast<const copy_workload&>(*plain).get_folder();
    ASSERT_EQ(wrapped->get_task_files(1).size(), 2U);
    EXPECT_EQ(fs::path(wrapped->get_task_files(1)[0].path).filename().string(), "file-1");
    EXPECT_TRUE(wrapped->get_task_files(1)[1].create);
    EXPECT_NE(fs::path(wrapped->get_task_files(1)[0].path).parent_path(), fs::path(folder))
        << "a folder per workload";
    fs::remove(fs::path(wrapped->get_task_files(1)[0].path));
    wrapped->prepare_task(1);
    EXPECT_EQ(fs::file_size(wrapped->get_task_files(1)[0].path), 2U << 20);
}

TEST(Copy, BoundsNameTheParameters) {
    const auto error_of = [](const std::map<std::string, std::string>& values) -> std::string {
        try {
            static_cast<void>(parse_params("copy", values));
        } catch (const invalid_argument_error& e) {
            return e.what();
        }
        return "";
    };
    EXPECT_NE(error_of({{"files", "0"}}).find("between 1 and 64"), std::string::npos);
    EXPECT_NE(error_of({{"file_mib", "2000"}}).find("between 1 and 1024"), std::string::npos);
    EXPECT_NE(error_of({{"files", "64"}, {"file_mib", "100"}}).find("at most 4096 MiB"), std::string::npos);
    EXPECT_NE(error_of({{"fsync", "2"}}).find("between 0 and 1"), std::string::npos);
}

}  // namespace
}  // namespace parlab
