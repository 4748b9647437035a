// uname and /proc/cpuinfo, for the environment block of results files.
#include "system_info.hpp"

#include <sys/utsname.h>  // uname

#include <fstream>  // std::ifstream
#include <string>   // std::string, std::getline

#include "linked_modes.hpp"
#include "platform.hpp"

namespace parlab {

environment_info get_native_environment() {
    environment_info env;
    env.target = "native";
    utsname names{};
    if (uname(&names) == 0) env.os = std::string(names.sysname) + " " + names.release + " " + names.machine;
    else env.os = "unknown";
    std::ifstream cpuinfo("/proc/cpuinfo");
    for (std::string line; std::getline(cpuinfo, line);) {
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos) env.cpu_model = line.substr(line.find_first_not_of(' ', colon + 1));
            break;
        }
    }
    env.logical_cpus = platform::get_hardware_concurrency();
    env.compiler = platform::get_compiler();
    for (const auto& mode : get_linked_modes())
        if (mode.describe) mode.describe(env);
    return env;
}

}  // namespace parlab
