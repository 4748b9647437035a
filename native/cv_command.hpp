// `parlab cv`: the CV factory, a two-phase job (gather photos, then render pages), each phase in its own mode.
#pragma once

#include <CLI/CLI.hpp>  // CLI::App

#include <csignal>  // std::sig_atomic_t
#include <map>      // std::map
#include <string>   // std::string

#include "run_control.hpp"

namespace parlab {

/// The flags of `parlab cv`, as CLI11 fills them (workload values stay text: parse_params checks them).
struct cv_command_options {
    std::map<std::string, std::string> param_text;  ///< count, latency_ms, seed, page_kpx: only those given
    std::string gather_mode = "threads";
    unsigned gather_workers = 8;
    std::string render_mode = "processes";
    unsigned render_workers = 8;
    unsigned repeats = 1;
    double switch_interval_ms = 5.0;
    std::string out_path;
    std::string format = "text";
};

/// Adds the `cv` subcommand and its flags to app, filling options when parsed; returns the subcommand.
[[nodiscard]] CLI::App* add_cv_command(CLI::App& app, cv_command_options& options);

/// Runs the job `repeats` times (phase 1 gather, phase 2 render), prints the summary and per-task log (or the
/// results JSON), writes --out. Returns the exit code: 0 done, 1 a phase failed, 2 a bad value (one line on
/// stderr naming the flag and its bounds), 128 + signal when stop_signal was set (SIGINT, SIGTERM).
[[nodiscard]] int run_cv_command(const cv_command_options& options, run_control& control,
                                 const volatile std::sig_atomic_t& stop_signal);

}  // namespace parlab
