// The OS-specific calls of the core, kept in one place behind platform.hpp.
#include "platform.hpp"

#include <cerrno>     // errno
#include <filesystem>  // std::filesystem::remove_all
#include <cstdlib>    // std::getenv, mkdtemp
#include <cstring>    // std::strerror
#include <ctime>      // std::time, gmtime_r, std::strftime
#include <stdexcept>  // std::runtime_error
#include <thread>     // std::thread::hardware_concurrency
#include <utility>    // std::exchange, std::forward
#include <vector>     // std::vector

#include <fcntl.h>   // open, posix_fadvise
#include <unistd.h>  // read, write, close, fsync

#if defined(__EMSCRIPTEN__)
#include <emscripten/val.h>      // emscripten::val, typed_memory_view (the file bridge)
#include <emscripten/version.h>  // __EMSCRIPTEN_major__ ...
#include <pthread.h>             // pthread_self
#else
#include <fcntl.h>        // open, O_RDONLY
#include <sys/mman.h>     // mmap, munmap
#include <sys/syscall.h>  // SYS_gettid
#include <unistd.h>       // getpid, syscall, read, close, sysconf

#include <cstdio>  // std::sscanf
#endif

namespace parlab::platform {

double get_thread_cpu_seconds() {
#if defined(__EMSCRIPTEN__)
    return -1.0;
#else
    timespec ts{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return -1.0;
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
#endif
}

std::int64_t get_pid() {
#if defined(__EMSCRIPTEN__)
    return 0;
#else
    return static_cast<std::int64_t>(getpid());
#endif
}

std::uint64_t get_thread_id() {
#if defined(__EMSCRIPTEN__)
    return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(pthread_self()));
#else
    return static_cast<std::uint64_t>(syscall(SYS_gettid));
#endif
}

std::int64_t get_memory_kib() {
#if defined(__EMSCRIPTEN__)
    return static_cast<std::int64_t>(__builtin_wasm_memory_size(0)) * 64;  // 64 KiB pages
#else
    // statm: "size resident shared ..." in pages. One read() of a small file: cheap enough per task.
    const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char text[128];
    const ssize_t n = ::read(fd, text, sizeof text - 1);
    ::close(fd);
    if (n <= 0) return -1;
    text[n] = '\0';
    long long size = 0;
    long long resident = 0;
    if (std::sscanf(text, "%lld %lld", &size, &resident) != 2) return -1;
    return static_cast<std::int64_t>(resident) * (::sysconf(_SC_PAGESIZE) / 1024);
#endif
}

namespace {

// __clang_version__ ends with a space, which get_compiler removes.
std::string get_compiler_untrimmed() {
#if defined(__EMSCRIPTEN__)
    return "Emscripten " + std::to_string(__EMSCRIPTEN_major__) + "." + std::to_string(__EMSCRIPTEN_minor__) + "." +
           std::to_string(__EMSCRIPTEN_tiny__) + " (clang " __clang_version__ ")";
#elif defined(__clang__)
    return "Clang " __clang_version__;
#elif defined(__GNUC__)
    return "GCC " __VERSION__;
#else
    return "unknown compiler";
#endif
}

}  // namespace

std::string get_compiler() {
    std::string name = get_compiler_untrimmed();
    if (const auto at = name.find(" )"); at != std::string::npos) name.erase(at, 1);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    return name;
}

unsigned get_hardware_concurrency() {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : n;
}

std::string get_utc_timestamp() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

bool can_share_with_processes() {
#if defined(__EMSCRIPTEN__)
    return false;
#else
    return true;
#endif
}

void* allocate_process_shared(std::size_t bytes) {
#if defined(__EMSCRIPTEN__)
    static_cast<void>(bytes);
    throw std::runtime_error("memory shared with processes needs the native program");
#else
    void* block = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (block == MAP_FAILED) throw std::runtime_error("mmap of " + std::to_string(bytes) + " shared bytes failed");
    return block;
#endif
}

void free_process_shared(void* block, std::size_t bytes) {
#if defined(__EMSCRIPTEN__)
    static_cast<void>(block);
    static_cast<void>(bytes);
#else
    if (block != nullptr) ::munmap(block, bytes);
#endif
}

process_mutex::process_mutex() {
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
#if !defined(__EMSCRIPTEN__)
    pthread_mutexattr_setpshared(&attributes, PTHREAD_PROCESS_SHARED);
#endif
    pthread_mutex_init(&mutex_, &attributes);
    pthread_mutexattr_destroy(&attributes);
}

process_mutex::~process_mutex() { pthread_mutex_destroy(&mutex_); }

void process_mutex::lock() { pthread_mutex_lock(&mutex_); }

void process_mutex::unlock() { pthread_mutex_unlock(&mutex_); }

#if defined(__EMSCRIPTEN__)

namespace {

/// The page's file bridge (web/site/opfs-files.js): its calls never throw, they answer {error} instead, so that a
/// failure becomes a C++ exception here and unwinds the C++ frames.
emscripten::val get_bridge(const std::string& path) {
    const emscripten::val bridge = emscripten::val::global("parlabFiles");
    if (bridge.isUndefined() || bridge.isNull())
        throw std::runtime_error("cannot open " + path +
                                 ": this page has no file bridge (opfs-files.js is not loaded in this worker)");
    return bridge;
}

/// The value of a bridge call's answer, or a runtime_error with the bridge's message.
emscripten::val value_of(const emscripten::val& answer) {
    const emscripten::val error = answer["error"];
    if (!error.isUndefined() && !error.isNull()) throw std::runtime_error(error.as<std::string>());
    return answer["value"];
}

/// Calls the bridge (already loaded: a file of this process was opened through it) and returns its answer's value.
template <typename... Args>
emscripten::val call_bridge(const char* name, Args&&... args) {
    return value_of(emscripten::val::global("parlabFiles").call<emscripten::val>(name, std::forward<Args>(args)...));
}

}  // namespace

std::string make_temp_folder(const std::string& prefix) {
    return prefix + value_of(get_bridge(prefix).call<emscripten::val>("runToken")).as<std::string>();
}

void remove_temp_folder(const std::string& folder) { static_cast<void>(folder); }

bool files_open_synchronously() { return false; }

file file::open_for_reading(const std::string& path) {
    return {value_of(get_bridge(path).call<emscripten::val>("take", path, false)).as<int>(), path};
}

file file::create(const std::string& path) {
    return {value_of(get_bridge(path).call<emscripten::val>("take", path, true)).as<int>(), path};
}

file::~file() {
    if (fd_ >= 0) static_cast<void>(emscripten::val::global("parlabFiles").call<emscripten::val>("release", fd_));
}

file::file(file&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)), at_(std::exchange(other.at_, 0)) {}

file& file::operator=(file&& other) noexcept {
    if (this != &other) {
        file gone(std::move(*this));  // releases this one's handle number
        fd_ = std::exchange(other.fd_, -1);
        path_ = std::move(other.path_);
        at_ = std::exchange(other.at_, 0);
    }
    return *this;
}

std::size_t file::read(std::span<std::uint8_t> into) {
    const emscripten::val view(emscripten::typed_memory_view(into.size(), into.data()));
    const auto n = static_cast<std::size_t>(call_bridge("read", fd_, view, static_cast<double>(at_)).as<double>());
    at_ += n;
    return n;
}

void file::write(std::span<const std::uint8_t> bytes) {
    const emscripten::val view(emscripten::typed_memory_view(bytes.size(), bytes.data()));
    const auto n = static_cast<std::size_t>(call_bridge("write", fd_, view, static_cast<double>(at_)).as<double>());
    if (n != bytes.size())
        throw std::runtime_error("cannot write " + path_ + ": " + std::to_string(n) + " of " +
                                 std::to_string(bytes.size()) + " bytes written");
    at_ += n;
}

void file::sync() { static_cast<void>(call_bridge("flush", fd_)); }

void file::drop_cache() {}

#else

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
    throw std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

std::string make_temp_folder(const std::string& prefix) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/" + prefix + "XXXXXX";
    std::vector<char> text(pattern.begin(), pattern.end());
    text.push_back('\0');
    if (::mkdtemp(text.data()) == nullptr) fail("cannot make the folder", pattern);
    return text.data();
}

void remove_temp_folder(const std::string& folder) {
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
}

bool files_open_synchronously() { return true; }

file file::open_for_reading(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail("cannot open", path);
    return {fd, path};
}

file file::create(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) fail("cannot create", path);
    return {fd, path};
}

file::~file() {
    if (fd_ >= 0) ::close(fd_);
}

file::file(file&& other) noexcept : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

file& file::operator=(file&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
        path_ = std::move(other.path_);
    }
    return *this;
}

std::size_t file::read(std::span<std::uint8_t> into) {
    while (true) {
        const ssize_t n = ::read(fd_, into.data(), into.size());
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno != EINTR) fail("cannot read", path_);
    }
}

void file::write(std::span<const std::uint8_t> bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("cannot write", path_);
        bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
}

void file::sync() {
    if (::fsync(fd_) != 0) fail("cannot sync", path_);
}

void file::drop_cache() {
#if defined(POSIX_FADV_DONTNEED)
    static_cast<void>(::posix_fadvise(fd_, 0, 0, POSIX_FADV_DONTNEED));
#endif
}

#endif

}  // namespace parlab::platform
