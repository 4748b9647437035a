// The one place a core error is turned into the command line's words (the flag instead of the parameter's name).
#include "commands/usage_error.hpp"

#include <iostream>  // std::cerr

#include "commands/command.hpp"

namespace parlab {

std::string flag_name(std::string_view param) {
    std::string flag = "--" + std::string(param);
    for (auto& c : flag)
        if (c == '_') c = '-';
    return flag;
}

int print_usage_error(const invalid_argument_error& error) {
    std::string message = error.what();
    for (const auto& spec : get_param_specs()) {  // name the flag the user typed
        const std::string said = "parameter '" + std::string(spec.name) + "'";
        if (const auto at = message.find(said); at != std::string::npos) {
            message.replace(at, said.size(), flag_name(spec.name));
            break;
        }
    }
    std::cerr << "parlab: error: " << message << "\n";
    return exit_usage;
}

}  // namespace parlab
