// Real file I/O: tasks that each copy one generated file (in the browser: in processes, in the Origin Private File
// System).
#pragma once

#include <cstdint>  // std::int64_t, std::uint64_t
#include <string>   // std::string
#include <vector>   // std::vector

#include "workload.hpp"
#include "workload_registry.hpp"

namespace parlab {

/// `files` source files of `file_mib` MiB each, generated from `seed` in a new temporary folder when the workload is
/// built (so the generation is not timed; in wasm, where files open only asynchronously, the page calls
/// prepare_task(i) for each instead, before the run); task i copies source i to its own destination in 1 MiB reads
/// and writes, with an fsync at the end if `fsync`, and returns a 64-bit hash of the bytes it copied (the same in
/// every mode). With `cold`, the sources are synced and dropped from the page cache after they are written, so the
/// copies read from the device. The folder and everything in it is removed when the workload is destroyed (in the
/// process that built it: a process pool's forked workers end without destroying their copies; in wasm the page
/// removes it after the run).
class copy_workload final : public workload {
public:
    copy_workload(std::int64_t files, std::int64_t file_mib, bool fsync, bool cold, std::uint64_t seed);
    ~copy_workload() override;
    copy_workload(const copy_workload&) = delete;
    copy_workload& operator=(const copy_workload&) = delete;

    [[nodiscard]] std::size_t get_task_count() const override { return files_; }
    [[nodiscard]] std::uint64_t compute(std::size_t task, const run_control& control) const override;
    [[nodiscard]] std::string describe(std::size_t task) const override;
    /// Task i reads source i and creates copy i.
    [[nodiscard]] std::vector<task_file> get_task_files(std::size_t task) const override;
    /// Writes source i from the seed (and with `cold`, drops it from the page cache).
    void prepare_task(std::size_t task) const override;

    /// The temporary folder holding the files.
    [[nodiscard]] const std::string& get_folder() const { return folder_; }
    /// The hash of source file `task`'s bytes, as compute() returns it, from the generator alone (no file read).
    [[nodiscard]] std::uint64_t get_expected_value(std::size_t task) const;

private:
    [[nodiscard]] std::string source_of(std::size_t task) const;
    [[nodiscard]] std::string copy_of(std::size_t task) const;

    std::size_t files_;
    std::size_t bytes_;
    bool fsync_;
    bool cold_;
    std::uint64_t seed_;
    std::string folder_;
    int owner_pid_;
};

/// The copy workload's entry in the registry: its parameters, cross-checks, task count and factory.
[[nodiscard]] workload_description describe_copy();

}  // namespace parlab
