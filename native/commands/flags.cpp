// The shared flags, documented from the core's tables (modes, parameters) so a new one needs no edit here.
#include "commands/flags.hpp"

#include <algorithm>  // std::find_if, std::sort
#include <iostream>   // std::cerr
#include <sstream>    // std::ostringstream

#include "commands/command.hpp"
#include "commands/usage_error.hpp"
#include "linked_modes.hpp"
#include "modes.hpp"
#include "posix/files.hpp"
#include "trace.hpp"

namespace parlab {

std::vector<std::string> get_mode_choices() {
    std::vector<std::string> names;
    for (const auto name : get_mode_names()) names.emplace_back(name);
    for (const auto& mode : get_linked_modes()) names.push_back(mode.name);
    return names;
}

std::string get_mode_help() {
    std::string help;
    for (const auto& name : get_mode_choices()) help += (help.empty() ? "" : " | ") + name;
    return help;
}

std::string get_bounds_text(const param_spec& spec) {
    std::ostringstream out;
    out.precision(15);
    switch (spec.type) {
        case param_type::choice:
            for (std::size_t i = 0; i < spec.choices.size(); ++i) out << (i ? "|" : "") << spec.choices[i];
            break;
        case param_type::integer_list:
            out << "1.." << spec.max_items << " integers in " << spec.min << ".." << spec.max;
            break;
        default:
            out << spec.min << ".." << spec.max;
    }
    return out.str();
}

void add_param_flags(CLI::App& cmd, std::map<std::string, std::string>& param_text, std::string_view workload,
                     std::string_view except) {
    // One flag per name, its help one line per workload that has it: in the table's order for one workload, by
    // name for all of them.
    std::vector<std::pair<std::string, std::string>> flags;
    for (const auto& spec : get_param_specs()) {
        if ((!workload.empty() && spec.workload != workload) || spec.name == except) continue;
        const std::string bounds = get_bounds_text(spec) + ", default " + std::string(spec.default_value);
        if (!workload.empty()) {
            flags.emplace_back(spec.name, std::string(spec.help) + "; " + bounds);
            continue;
        }
        auto found = std::find_if(flags.begin(), flags.end(), [&](const auto& flag) { return flag.first == spec.name; });
        if (found == flags.end()) found = flags.insert(flags.end(), {std::string(spec.name), std::string()});
        found->second += (found->second.empty() ? "" : "\n") +
                         (spec.workload.empty() ? "every workload" : std::string(spec.workload)) +
                         (spec.shape.empty() ? "" : " (shape " + std::string(spec.shape) + ")") + ": " +
                         std::string(spec.help) + "; " + bounds;
    }
    if (workload.empty()) std::sort(flags.begin(), flags.end());
    for (const auto& [name, help] : flags)
        cmd.add_option_function<std::string>(
            flag_name(name), [&param_text, name = name](const std::string& value) { param_text[name] = value; }, help);
}

void add_switch_interval_flag(CLI::App& cmd, double& switch_interval_ms) {
    cmd.add_option("--switch-interval-ms", switch_interval_ms,
                   "threads-gil: the simulated interpreter lock's switch interval, 0.1..1000 ms (CPython: 5)")
        ->check(CLI::Range(min_switch_interval_ms, max_switch_interval_ms))
        ->capture_default_str();
}

void add_output_flags(CLI::App& cmd, std::string& out_path, const std::string& out_help, std::string& format,
                      const std::vector<std::string>& formats) {
    cmd.add_option("--out", out_path, out_help);
    cmd.add_option("--format", format, CLI::detail::join(formats, " | ") + ": what to print on standard output")
        ->check(CLI::IsMember(formats))
        ->capture_default_str();
}

void add_trace_out_flag(CLI::App& cmd, std::string& trace_path) {
    cmd.add_option("--trace-out", trace_path,
                   "also write the runs as Chrome Trace Event JSON here (open it at ui.perfetto.dev or "
                   "chrome://tracing; docs/traces.md)")
        ->type_name("FILE");
}

int write_trace_file(const std::string& path, const std::string& results_json) {
    try {
        posix::write_file(path, results_to_chrome_trace(results_json));
        std::cerr << "parlab: wrote the trace (Chrome Trace Event JSON) to " << path << "\n";
        return exit_ok;
    } catch (const std::exception& e) {
        std::cerr << "parlab: error: " << e.what() << "\n";
        return exit_run_failed;
    }
}

int write_results_file(const std::string& path, const std::string& json, const std::string& what,
                       const std::string& note) {
    try {
        posix::write_file(path, json);
        std::cerr << "parlab: wrote " << what << " to " << path << note << "\n";
        return exit_ok;
    } catch (const std::exception& e) {
        std::cerr << "parlab: error: " << e.what() << "\n";
        return exit_run_failed;
    }
}

}  // namespace parlab
