// Runs the parlab program built beside the tests (PARLAB_CLI_PATH) and collects its exit code and output.
#pragma once

#include <array>    // std::array
#include <cstdio>   // popen, pclose, std::fread
#include <string>   // std::string

#include <sys/wait.h>  // WIFEXITED, WEXITSTATUS

namespace parlab_test {

struct cli_outcome {
    int code;
    std::string output;  // stdout and stderr together
};

/// `parlab ARGS 2>&1` through the shell; code is the exit status, or -1 when it did not exit normally.
inline cli_outcome run_cli(const std::string& args) {
    const std::string command = std::string(PARLAB_CLI_PATH) + " " + args + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return {-1, "popen failed"};
    std::string output;
    std::array<char, 4096> buffer{};
    while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace parlab_test
