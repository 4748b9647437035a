// The run and sweep commands' shared half: flags of the workload, checks before work, the report afterwards.
#include "commands/grid_command.hpp"

#include <algorithm>  // std::any_of
#include <iostream>   // std::cout

#include "commands/flags.hpp"
#include "commands/usage_error.hpp"
#include "posix/files.hpp"
#include "posix/signals.hpp"
#include "report.hpp"
#include "system_info.hpp"

namespace parlab {

void grid_command::add_workload_flags() {
    std::vector<std::string> workload_names;  // from the parameter table, so a new workload needs no edit here
    for (const auto name : get_workload_names()) workload_names.emplace_back(name);
    app_->add_option("--workload", workload_, "one of: " + CLI::detail::join(workload_names, " | "))
        ->check(CLI::IsMember(workload_names))
        ->capture_default_str();
    add_param_flags(*app_, param_text_);
    app_->add_option("--on-worker-death", on_worker_death_,
                     "processes mode, a worker process dies: fail (end the run) | respawn (replace it; only its task "
                     "is lost)")
        ->check(CLI::IsMember({"fail", "respawn"}))
        ->capture_default_str();
    add_switch_interval_flag(*app_, switch_interval_ms_);
    add_output_flags(*app_, out_path_, "also write the results file (JSON) here", format_, {"table", "json"});
    add_trace_out_flag(*app_, trace_path_);
}

int grid_command::run() {
    grid_job job;
    try {
        job.params = parse_params(workload_, param_text_);
        job.on_worker_death = parse_worker_death_policy(on_worker_death_);
        job.options.switch_interval_ms = switch_interval_ms_;
        fill_grid(job);
        check_grid_job(job);
        if (!out_path_.empty()) posix::check_writable(out_path_, "--out");
        if (!trace_path_.empty()) posix::check_writable(trace_path_, "--trace-out");
    } catch (const invalid_argument_error& e) {
        return print_usage_error(e);
    }

    static run_control control;  // the stop handlers keep its address
    posix::install_stop_handlers(control);
    const auto runs = run_grid_job(job, control);
    const int stop_signal = posix::get_stop_signal();

    const std::string json = results_to_json(get_native_environment(), runs);
    std::cout << (format_ == "json" ? json : grid_to_text(runs));
    if (!out_path_.empty()) {
        const std::string what = std::to_string(runs.size()) + " run" + (runs.size() == 1 ? "" : "s");
        if (write_results_file(out_path_, json, what, stop_signal ? " (marked incomplete: stopped)" : "") != exit_ok)
            return exit_run_failed;
    }
    if (!trace_path_.empty() && write_trace_file(trace_path_, json) != exit_ok) return exit_run_failed;
    if (stop_signal != 0) return 128 + stop_signal;
    const bool any_failed = std::any_of(runs.begin(), runs.end(), [](const run_result& r) { return !r.ok; });
    return any_failed ? exit_run_failed : exit_ok;
}

}  // namespace parlab
