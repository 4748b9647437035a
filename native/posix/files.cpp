// Writing a results file through a renamed temporary, and making sure beforehand that it can be.
#include "posix/files.hpp"

#include <fcntl.h>     // open, O_CREAT, O_EXCL
#include <sys/stat.h>  // stat, S_ISDIR
#include <unistd.h>    // close, unlink

#include <cerrno>     // errno
#include <cstdio>     // std::rename, std::remove
#include <cstring>    // std::strerror
#include <fstream>    // std::ofstream
#include <stdexcept>  // std::runtime_error

#include "params.hpp"  // invalid_argument_error

namespace parlab::posix {

void write_file(const std::string& path, const std::string& text) {
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) throw std::runtime_error("cannot write " + temporary);
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        std::remove(temporary.c_str());
        throw std::runtime_error("cannot write " + path);
    }
}

void check_writable(const std::string& path, std::string_view flag) {
    const auto refuse = [&](const std::string& why) {
        throw invalid_argument_error(std::string(flag) + " cannot be written: " + path + " (" + why + ")");
    };
    if (path.empty()) refuse("an empty path");
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) refuse("a directory");
    // Only trying tells: permissions say yes to root on read-only and pseudo file systems (/proc).
    const std::string temporary = path + ".tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
        ::close(fd);
        ::unlink(temporary.c_str());
        return;
    }
    if (errno == EEXIST) {  // a temporary left by an earlier run: write_file truncates it, if it may
        const int old = ::open(temporary.c_str(), O_WRONLY | O_CLOEXEC);
        if (old >= 0) {
            ::close(old);
            return;
        }
    }
    refuse(std::strerror(errno));
}

}  // namespace parlab::posix
