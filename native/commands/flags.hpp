// Flags several commands share, written once: modes, the switch interval, workload parameters, --out and --format.
#pragma once

#include <CLI/CLI.hpp>  // CLI::App

#include <map>     // std::map
#include <string>  // std::string
#include <vector>  // std::vector

#include "params.hpp"

namespace parlab {

/// Every mode's name, for CLI::IsMember.
[[nodiscard]] std::vector<std::string> get_mode_choices();

/// "sequential | threads | ...".
[[nodiscard]] std::string get_mode_help();

/// A parameter's bounds as help shows them: "2..100000000", "a|b", "1..16 integers in 1..1000".
[[nodiscard]] std::string get_bounds_text(const param_spec& spec);

/// One flag per workload parameter of `workload` (every workload when empty), skipping `except`; a value given is
/// stored as text in param_text (parse_params checks it), under the parameter's name.
void add_param_flags(CLI::App& cmd, std::map<std::string, std::string>& param_text, std::string_view workload = {},
                     std::string_view except = {});

/// --switch-interval-ms, the simulated interpreter lock's switch interval (threads-gil).
void add_switch_interval_flag(CLI::App& cmd, double& switch_interval_ms);

/// --out FILE (help says what the file holds) and --format with the given choices.
void add_output_flags(CLI::App& cmd, std::string& out_path, const std::string& out_help, std::string& format,
                      const std::vector<std::string>& formats);

/// --trace-out FILE: also write the runs as Chrome Trace Event JSON (Perfetto UI, chrome://tracing).
void add_trace_out_flag(CLI::App& cmd, std::string& trace_path);

/// Writes the trace of a results file (results_to_chrome_trace) after the work, with one line on stderr as
/// write_results_file does; returns exit_ok or exit_run_failed.
int write_trace_file(const std::string& path, const std::string& results_json);

/// Writes a results file after the work: one line on stderr, "parlab: wrote WHAT to PATH" (with the note when not
/// empty), or the error; returns exit_ok or exit_run_failed.
int write_results_file(const std::string& path, const std::string& json, const std::string& what,
                       const std::string& note = {});

}  // namespace parlab
