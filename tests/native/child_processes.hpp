// Test helper: what the OS says about a process's children and descriptors (read from /proc).
#pragma once

#include <sys/types.h>  // pid_t

#include <cstddef>     // std::size_t
#include <filesystem>  // std::filesystem::directory_iterator
#include <fstream>     // std::ifstream
#include <string>      // std::string, std::stoi
#include <vector>      // std::vector

namespace parlab::test_support {

/// The live (not zombie) children of parent, as /proc lists them.
inline std::vector<pid_t> children_of(pid_t parent) {
    std::vector<pid_t> found;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream stat(entry.path() / "stat");
        std::string pid, comm, state, ppid;
        stat >> pid >> comm >> state >> ppid;
        if (ppid == std::to_string(parent) && state != "Z") found.push_back(std::stoi(pid));
    }
    return found;
}

}  // namespace parlab::test_support
