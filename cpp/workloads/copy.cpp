// The copy workload: generated files copied for real, one task per file, and the folder removed afterwards.
#include "copy.hpp"

#include <stdexcept>   // std::out_of_range
#include <vector>      // std::vector

#include "platform.hpp"
#include "workloads/download.hpp"  // splitmix64

namespace parlab {

namespace {

constexpr std::size_t chunk_bytes = std::size_t{1} << 20;  // one read and one write per MiB
constexpr std::uint64_t hash_start = 14695981039346656037ULL;
constexpr std::uint64_t hash_prime = 1099511628211ULL;

/// Word k of file `file`'s content: splitmix64 from (seed, file).
struct content {
    std::uint64_t state;
    content(std::uint64_t seed, std::size_t file) : state(seed * 0x9e3779b97f4a7c15ULL + file) {}
    std::uint64_t next() { return splitmix64(state); }
};

void put_word(std::uint8_t* at, std::uint64_t word) {
    for (int b = 0; b < 8; ++b) at[b] = static_cast<std::uint8_t>(word >> (8 * b));
}

std::uint64_t get_word(const std::uint8_t* at) {
    std::uint64_t word = 0;
    for (int b = 7; b >= 0; --b) word = (word << 8) | at[b];
    return word;
}

}  // namespace

copy_workload::copy_workload(std::int64_t files, std::int64_t file_mib, bool fsync, bool cold, std::uint64_t seed)
    : files_(static_cast<std::size_t>(files)),
      bytes_(static_cast<std::size_t>(file_mib) << 20),
      fsync_(fsync),
      cold_(cold),
      seed_(seed),
      folder_(platform::make_temp_folder("parlab-copy-")),
      owner_pid_(static_cast<int>(platform::get_pid())) {
    if (!platform::files_open_synchronously()) return;  // the page prepares each source before the run
    try {
        for (std::size_t f = 0; f < files_; ++f) prepare_task(f);
    } catch (...) {
        platform::remove_temp_folder(folder_);
        throw;
    }
}

copy_workload::~copy_workload() {
    if (static_cast<int>(platform::get_pid()) != owner_pid_) return;  // a forked copy: the files are the parent's
    platform::remove_temp_folder(folder_);
}

void copy_workload::prepare_task(std::size_t task) const {
    if (task >= files_) throw std::out_of_range("copy: no task " + std::to_string(task));
    std::vector<std::uint8_t> chunk(chunk_bytes);
    auto out = platform::file::create(source_of(task));
    content words(seed_, task);
    for (std::size_t done = 0; done < bytes_; done += chunk_bytes) {
        for (std::size_t at = 0; at < chunk_bytes; at += 8) put_word(chunk.data() + at, words.next());
        out.write(chunk);
    }
    if (cold_) {
        out.sync();  // only clean pages can be dropped
        out.drop_cache();
    }
}

std::vector<task_file> copy_workload::get_task_files(std::size_t task) const {
    if (task >= files_) throw std::out_of_range("copy: no task " + std::to_string(task));
    return {{source_of(task), false}, {copy_of(task), true}};
}

std::string copy_workload::source_of(std::size_t task) const { return folder_ + "/file-" + std::to_string(task); }

std::string copy_workload::copy_of(std::size_t task) const { return folder_ + "/copy-" + std::to_string(task); }

std::uint64_t copy_workload::compute(std::size_t task, const run_control& control) const {
    if (task >= files_) throw std::out_of_range("copy: no task " + std::to_string(task));
    auto in = platform::file::open_for_reading(source_of(task));
    auto out = platform::file::create(copy_of(task));
    std::vector<std::uint8_t> chunk(chunk_bytes);
    std::uint64_t hash = hash_start;
    std::size_t copied = 0;
    while (true) {
        control.checkpoint();
        const std::size_t n = in.read(chunk);
        if (n == 0) break;
        out.write(std::span<const std::uint8_t>(chunk.data(), n));
        for (std::size_t at = 0; at + 8 <= n; at += 8) hash = (hash ^ get_word(chunk.data() + at)) * hash_prime;
        copied += n;
    }
    if (fsync_) out.sync();
    if (copied != bytes_)
        throw std::runtime_error("copy: " + source_of(task) + " held " + std::to_string(copied) + " bytes, not " +
                                 std::to_string(bytes_));
    return hash;
}

std::uint64_t copy_workload::get_expected_value(std::size_t task) const {
    content words(seed_, task);
    std::uint64_t hash = hash_start;
    for (std::size_t at = 0; at < bytes_; at += 8) hash = (hash ^ words.next()) * hash_prime;
    return hash;
}

std::string copy_workload::describe(std::size_t task) const {
    return "copy file " + std::to_string(task + 1) + " (" + std::to_string(bytes_ >> 20) + " MiB)";
}

namespace {

using pt = param_type;

constexpr std::int64_t max_total_mib = 4096;  // the temporary folder holds twice this at most (sources and copies)

void check_copy(const workload_params& params) {
    const std::int64_t total = params.get_int("files") * params.get_int("file_mib");
    if (total > max_total_mib) throw_too_large("files", "x", "file_mib", max_total_mib, "MiB", total);
}

std::int64_t count_copy_tasks(const workload_params& params) { return params.get_int("files"); }

std::unique_ptr<workload> make_copy(const workload_params& params, bool /*hold_data*/) {
    return std::make_unique<copy_workload>(params.get_int("files"), params.get_int("file_mib"),
                                           params.get_int("fsync") != 0, params.get_int("cold") != 0,
                                           static_cast<std::uint64_t>(params.get_int("seed")));
}

}  // namespace

workload_description describe_copy() {
    return {"copy",
            {
                {"copy", "files", pt::integer, "4", 1, 64, {}, 0, "", "number of files, one task each"},
                {"copy", "file_mib", pt::integer, "16", 1, 1024, {}, 0, "",
                 "size of each file in MiB (files x file_mib at most 4096)"},
                {"copy", "fsync", pt::integer, "0", 0, 1, {}, 0, "",
                 "1: each copy waits until its file is on the disk (fsync); 0: the copy may end in the page cache"},
                {"copy", "cold", pt::integer, "0", 0, 1, {}, 0, "",
                 "1: the sources are dropped from the page cache before the run, so the copies read from the disk"},
                {"copy", "seed", pt::integer, "1", 0, 4'294'967'295.0, {}, 0, "", "seed of the files' contents"},
            },
            check_copy,
            count_copy_tasks,
            make_copy};
}

}  // namespace parlab
