// The error a refused system call throws: "pipe failed: Too many open files".
#pragma once

#include <cerrno>     // errno
#include <cstring>    // std::strerror
#include <stdexcept>  // std::runtime_error
#include <string>     // std::string

namespace parlab::posix {

/// std::runtime_error "WHAT failed: <strerror(errno)>"; call it right after the call that failed.
[[nodiscard]] inline std::runtime_error os_error(const std::string& what) {
    return std::runtime_error(what + " failed: " + std::strerror(errno));
}

}  // namespace parlab::posix
