// `parlab cv`: flags into a cv_job, checked before work, run, reported as one job per repeat.
#include "commands/cv_command.hpp"

#include <algorithm>  // std::any_of
#include <iostream>   // std::cout
#include <map>        // std::map

#include "commands/flags.hpp"
#include "commands/usage_error.hpp"
#include "jobs/cv_job.hpp"
#include "posix/files.hpp"
#include "posix/signals.hpp"
#include "report.hpp"
#include "system_info.hpp"

namespace parlab {

namespace {

class cv_command final : public command {
public:
    explicit cv_command(CLI::App& app)
        : command(app.add_subcommand(
              "cv", "the CV factory: a two-phase job, gather each CV's photo (simulated download) then render each "
                    "CV's page (CPU), each phase with its own mode and workers")) {
        add_param_flags(*app_, param_text_, "cv", "phase");
        const std::string workers_help = "1.." + std::to_string(max_workers) + " (sequential uses 1)";
        app_->add_option("--gather-mode", gather_mode_, "phase 1 (gather photos): " + get_mode_help())
            ->check(CLI::IsMember(get_mode_choices()))
            ->capture_default_str();
        app_->add_option("--gather-workers", gather_workers_, "phase 1 workers, " + workers_help)
            ->check(CLI::Range(1U, max_workers))
            ->capture_default_str();
        app_->add_option("--render-mode", render_mode_, "phase 2 (render pages): " + get_mode_help())
            ->check(CLI::IsMember(get_mode_choices()))
            ->capture_default_str();
        app_->add_option("--render-workers", render_workers_, "phase 2 workers, " + workers_help)
            ->check(CLI::Range(1U, max_workers))
            ->capture_default_str();
        app_->add_option("--repeats", repeats_, "runs of the whole job, 1..100; the text shows medians")
            ->check(CLI::Range(1U, 100U))
            ->capture_default_str();
        add_switch_interval_flag(*app_, switch_interval_ms_);
        add_output_flags(*app_, out_path_, "also write the results file (JSON; the phases are its runs)", format_,
                         {"text", "json"});
        add_trace_out_flag(*app_, trace_path_);
    }

    [[nodiscard]] int run() override {
        cv_job job;
        try {
            job = make_cv_job(param_text_);
            job.gather_mode = gather_mode_;
            job.gather_workers = gather_workers_;
            job.render_mode = render_mode_;
            job.render_workers = render_workers_;
            job.repeats = repeats_;
            job.options.switch_interval_ms = switch_interval_ms_;
            check_cv_job(job);
            if (!out_path_.empty()) posix::check_writable(out_path_, "--out");
            if (!trace_path_.empty()) posix::check_writable(trace_path_, "--trace-out");
        } catch (const invalid_argument_error& e) {
            return print_usage_error(e);
        }

        static run_control control;  // the stop handlers keep its address
        posix::install_stop_handlers(control);
        const auto runs = run_cv_job(job, control);
        const int stop_signal = posix::get_stop_signal();

        const std::string json = results_to_json(get_native_environment(), runs);
        if (format_ == "json") std::cout << json;
        else if (!runs.empty()) std::cout << cv_to_text(runs, render::get_page_size(job.render.get_int("page_kpx")));
        if (!out_path_.empty()) {
            const std::size_t jobs = (runs.size() + 1) / 2;
            const std::string what = std::to_string(runs.size()) + (runs.size() == 1 ? " run (" : " runs (") +
                                     std::to_string(jobs) + " job" + (runs.size() > 2 ? "s" : "") + ")";
            if (write_results_file(out_path_, json, what, stop_signal ? " (marked incomplete: stopped)" : "") !=
                exit_ok)
                return exit_run_failed;
        }
        if (!trace_path_.empty() && write_trace_file(trace_path_, json) != exit_ok) return exit_run_failed;
        if (stop_signal != 0) return 128 + stop_signal;
        const bool any_failed = std::any_of(runs.begin(), runs.end(), [](const run_result& r) { return !r.ok; });
        return any_failed ? exit_run_failed : exit_ok;
    }

private:
    std::map<std::string, std::string> param_text_;  // count, latency_ms, seed, page_kpx: only those given
    std::string gather_mode_ = "threads";
    unsigned gather_workers_ = 8;
    std::string render_mode_ = "processes";
    unsigned render_workers_ = 8;
    unsigned repeats_ = 1;
    double switch_interval_ms_ = default_switch_interval_ms;
    std::string out_path_;
    std::string trace_path_;  // --trace-out
    std::string format_ = "text";
};

}  // namespace

std::unique_ptr<command> add_cv_command(CLI::App& app) { return std::make_unique<cv_command>(app); }

}  // namespace parlab
