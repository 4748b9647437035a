// The one place a core error is put in the command line's words: the flag, from the parameter the error names.
#include "commands/usage_error.hpp"

#include <iostream>  // std::cerr

#include "commands/command.hpp"

namespace parlab {

std::string flag_name(std::string_view param) {
    std::string flag = "--";
    for (const char c : param) flag += c == '_' ? '-' : c;
    return flag;
}

int print_usage_error(const invalid_argument_error& error) {
    // The core names a parameter of its table by its name (chunks), a flag or list by the flag (--workers).
    const std::string& parameter = error.parameter();
    const bool table_name = !parameter.empty() && parameter.front() != '-';
    std::cerr << "parlab: error: " << (table_name ? error.naming(flag_name(parameter)) : std::string(error.what()))
              << "\n";
    return exit_usage;
}

}  // namespace parlab
