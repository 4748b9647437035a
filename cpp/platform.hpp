// The core's only window onto the operating system: clocks, ids, and the compiler's name.
#pragma once

#include <chrono>   // std::chrono::steady_clock
#include <cstdint>  // std::int64_t, std::uint64_t
#include <cstddef>  // std::size_t
#include <span>     // std::span
#include <string>   // std::string

#include <pthread.h>  // pthread_mutex_t

namespace parlab::platform {

/// Monotonic clock shared by every process on the machine (CLOCK_MONOTONIC on Linux), so that times taken
/// in a worker process and in its parent can be compared.
using clock = std::chrono::steady_clock;

/// CPU seconds used so far by the calling thread; negative where the platform cannot tell (wasm).
[[nodiscard]] double get_thread_cpu_seconds();

/// The calling process's id; 0 in wasm (the page numbers wasm instances itself).
[[nodiscard]] std::int64_t get_pid();

/// The calling thread's id as the OS shows it (gettid on Linux, the pthread id in wasm).
[[nodiscard]] std::uint64_t get_thread_id();

/// Memory in use by the calling process, in KiB: natively its resident set (/proc/self/statm); in wasm the
/// instance's linear memory size (what it has grown to, not what is touched). Negative if it cannot tell.
[[nodiscard]] std::int64_t get_memory_kib();

/// The compiler that built this binary, e.g. "GCC 12.2.0" or "Emscripten 3.1.6 (clang 14.0.6)".
[[nodiscard]] std::string get_compiler();

/// Logical CPUs as std::thread::hardware_concurrency reports them (at least 1).
[[nodiscard]] unsigned get_hardware_concurrency();

/// Now as an ISO 8601 UTC timestamp, e.g. "2026-11-23T08:00:00Z".
[[nodiscard]] std::string get_utc_timestamp();

/// Whether memory can be shared with processes forked later (natively yes; in wasm a browser "process" is a Web
/// Worker with its own instance and memory, which no allocation here can reach).
[[nodiscard]] bool can_share_with_processes();

/// `bytes` of zeroed memory that processes forked after this call share with the caller (mmap MAP_SHARED |
/// MAP_ANONYMOUS); throws std::runtime_error where it cannot (see can_share_with_processes). Free with
/// free_process_shared.
[[nodiscard]] void* allocate_process_shared(std::size_t bytes);
void free_process_shared(void* block, std::size_t bytes);

/// A mutex that also excludes other processes when it lives in process-shared memory (PTHREAD_PROCESS_SHARED: a
/// std::mutex there would not wake a waiter in another process). Not copyable, not movable.
class process_mutex {
public:
    process_mutex();
    ~process_mutex();
    process_mutex(const process_mutex&) = delete;
    process_mutex& operator=(const process_mutex&) = delete;
    void lock();
    void unlock();

private:
    pthread_mutex_t mutex_{};
};

/// A new empty folder under the system's temporary folder ($TMPDIR, else /tmp), named prefix + a unique suffix
/// (mkdtemp); throws std::runtime_error naming it and the system's reason. In wasm: prefix + the run's token from the
/// page's file bridge (web/site/opfs-files.js), the same in every instance of one run (the lab worker's and each
/// process worker's), a folder of the Origin Private File System that the bridge makes when a file in it is opened.
[[nodiscard]] std::string make_temp_folder(const std::string& prefix);

/// Removes a folder made by make_temp_folder and everything in it, ignoring errors. In wasm nothing: the page's lab
/// worker removes the run's folder once every process worker has let go of its files (removal there is asynchronous).
void remove_temp_folder(const std::string& folder);

/// Whether file::open_for_reading and file::create can open any path on the spot: natively yes; in wasm no (an
/// Origin Private File System file can only be opened asynchronously, so the page opens a task's files before the
/// task, workload::get_task_files, and the file calls find them by path).
[[nodiscard]] bool files_open_synchronously();

/// A file for real I/O (natively a POSIX descriptor; in wasm a synchronous access handle of the Origin Private File
/// System that the page's file bridge opened before the task). Move-only; closes itself. Every failure throws
/// std::runtime_error naming the path and the reason.
class file {
public:
    /// Opens an existing file for reading.
    [[nodiscard]] static file open_for_reading(const std::string& path);
    /// Creates (or empties) a file for writing.
    [[nodiscard]] static file create(const std::string& path);
    ~file();
    file(file&& other) noexcept;
    file& operator=(file&& other) noexcept;
    file(const file&) = delete;
    file& operator=(const file&) = delete;

    /// Reads up to into.size() bytes; returns how many (0 at the end of the file).
    [[nodiscard]] std::size_t read(std::span<std::uint8_t> into);
    /// Writes all of bytes.
    void write(std::span<const std::uint8_t> bytes);
    /// Waits until what was written is on the storage device (fsync).
    void sync();
    /// Asks the OS to drop the file's clean pages from its page cache (posix_fadvise DONTNEED), so that the next read
    /// comes from the device; a hint, ignored where unsupported (wasm).
    void drop_cache();

private:
    file(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
    int fd_ = -1;  ///< natively the descriptor; in wasm the bridge's handle number
    std::string path_;
    std::uint64_t at_ = 0;  ///< in wasm, where the next read or write starts (an access handle has no position)
};

}  // namespace parlab::platform
