// `parlab cv`: builds the two phases' parameters, runs them one after the other, reports them as one job.
#include "cv_command.hpp"

#include <unistd.h>  // getpid

#include <algorithm>  // std::sort
#include <cstdio>     // std::snprintf, std::rename, std::remove
#include <fstream>    // std::ofstream
#include <iostream>   // std::cout, std::cerr
#include <sstream>    // std::ostringstream
#include <vector>     // std::vector

#include "file_io.hpp"
#include "params.hpp"
#include "process_pool.hpp"
#include "render.hpp"
#include "report.hpp"
#include "run.hpp"
#include "system_info.hpp"

namespace parlab {

namespace {

constexpr int exit_ok = 0;
constexpr int exit_run_failed = 1;
constexpr int exit_usage = 2;

/// Task records one invocation may collect, as `parlab sweep` bounds them.
constexpr std::int64_t max_task_records = 4'000'000;

std::string flag_name(std::string_view param) {
    std::string flag = "--" + std::string(param);
    for (auto& c : flag)
        if (c == '_') c = '-';
    return flag;
}

std::string format(const char* pattern, double value) {
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

/// Right-aligns text in width columns.
std::string pad(const std::string& text, std::size_t width) {
    return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

/// cpu_s / (time not spent in the simulated wait), in percent; empty where unknown.
std::string cpu_percent(const task_record& task) {
    const double busy = task.end_s - task.start_s - task.wait_s;
    if (!task.cpu_s || busy <= 0) return "-";
    return format("%.0f", 100.0 * *task.cpu_s / busy);
}

std::string summary_row(const std::string& label, const run_result& run) {
    return label + std::string(label.size() < 8 ? 8 - label.size() : 1, ' ') + run.mode +
           std::string(run.mode.size() < 12 ? 12 - run.mode.size() : 1, ' ') + pad(std::to_string(run.workers), 7) +
           pad(format("%.4f", run.avg_task_s), 13) + pad(format("%.4f", run.wall_s), 10) +
           (run.ok ? (run.complete ? "" : "  (stopped)") : "  FAILED: " + run.error) + "\n";
}

/// The summary of every job (phase rows and the total), then medians when there are several, then the
/// per-task log of the last job with render times shifted by the gather phase's wall time.
std::string jobs_to_text(const std::vector<run_result>& runs, const render::page_size& page) {
    const auto& first = runs.front().params;
    std::string text = "CV factory: " + std::to_string(first.get_int("count")) + " CVs, gather latency " +
                       format("%g", first.get_real("latency_ms")) + " ms (simulated), page " +
                       std::to_string(first.get_int("page_kpx")) + " kpx (" + std::to_string(page.width) + "x" +
                       std::to_string(page.height) + " px)\n\n";
    text += "job  phase   mode        workers  avg task s   phase s\n";
    std::vector<double> gather_walls, render_walls, totals;
    for (std::size_t i = 0; i < runs.size(); i += 2) {
        const std::string job = pad(std::to_string(i / 2 + 1), 3) + "  ";
        text += job + summary_row("gather", runs[i]);
        gather_walls.push_back(runs[i].wall_s);
        if (i + 1 < runs.size()) {
            text += job + summary_row("render", runs[i + 1]);
            render_walls.push_back(runs[i + 1].wall_s);
            totals.push_back(runs[i].wall_s + runs[i + 1].wall_s);
            text += job + "total" + std::string(38, ' ') + pad(format("%.4f", totals.back()), 10) + "\n";
        }
    }
    if (totals.size() > 1)
        text += "median of " + std::to_string(totals.size()) + " jobs: gather " +
                format("%.4f s", median(gather_walls)) + ", render " + format("%.4f s", median(render_walls)) +
                ", total " + format("%.4f s", median(totals)) + "\n";

    const std::size_t last = (runs.size() - 1) / 2 * 2;
    text += "\nper-task log of job " + std::to_string(last / 2 + 1) + " (" + runs[last].job->id +
            "; seconds from the job's start; CPU % = CPU time / (time - simulated wait))\n";
    text += "phase   task   start s     end s  worker      pid  CPU %   RSS MiB\n";
    for (std::size_t r = last; r < runs.size(); ++r) {
        const double shift = r == last ? 0.0 : runs[last].wall_s;
        for (const auto& task : runs[r].tasks) {
            text += task.phase + std::string(task.phase.size() < 8 ? 8 - task.phase.size() : 1, ' ') +
                    pad(std::to_string(task.id + 1), 4) + pad(format("%.3f", task.start_s + shift), 10) +
                    pad(format("%.3f", task.end_s + shift), 10) + pad(std::to_string(task.worker), 8) +
                    pad(std::to_string(task.pid), 9) + pad(cpu_percent(task), 7) +
                    pad(task.rss_kib ? format("%.1f", static_cast<double>(*task.rss_kib) / 1024.0) : "-", 10) + "\n";
        }
    }
    return text;
}

}  // namespace

CLI::App* add_cv_command(CLI::App& app, cv_command_options& options) {
    auto* cmd = app.add_subcommand(
        "cv", "the CV factory: a two-phase job, gather each CV's photo (simulated download) then render each CV's "
              "page (CPU), each phase with its own mode and workers");
    std::vector<std::string> modes;
    std::string mode_help;
    for (const auto name : get_mode_names()) {
        modes.emplace_back(name);
        mode_help += (mode_help.empty() ? "" : " | ") + std::string(name);
    }
    for (const auto& spec : get_param_specs()) {
        if (spec.workload != "cv" || spec.name == "phase") continue;
        std::ostringstream bounds;
        bounds.precision(15);
        bounds << spec.min << ".." << spec.max;
        cmd->add_option_function<std::string>(
            flag_name(spec.name),
            [&options, name = std::string(spec.name)](const std::string& value) { options.param_text[name] = value; },
            std::string(spec.help) + "; " + bounds.str() + ", default " + std::string(spec.default_value));
    }
    const std::string workers_help = "1.." + std::to_string(max_workers) + " (sequential uses 1)";
    cmd->add_option("--gather-mode", options.gather_mode, "phase 1 (gather photos): " + mode_help)
        ->check(CLI::IsMember(modes))
        ->capture_default_str();
    cmd->add_option("--gather-workers", options.gather_workers, "phase 1 workers, " + workers_help)
        ->check(CLI::Range(1U, max_workers))
        ->capture_default_str();
    cmd->add_option("--render-mode", options.render_mode, "phase 2 (render pages): " + mode_help)
        ->check(CLI::IsMember(modes))
        ->capture_default_str();
    cmd->add_option("--render-workers", options.render_workers, "phase 2 workers, " + workers_help)
        ->check(CLI::Range(1U, max_workers))
        ->capture_default_str();
    cmd->add_option("--repeats", options.repeats, "runs of the whole job, 1..100; the text shows medians")
        ->check(CLI::Range(1U, 100U))
        ->capture_default_str();
    cmd->add_option("--switch-interval-ms", options.switch_interval_ms,
                    "threads-gil: the simulated interpreter lock's switch interval, 0.1..1000 ms (CPython: 5)")
        ->check(CLI::Range(0.1, 1000.0))
        ->capture_default_str();
    cmd->add_option("--out", options.out_path, "also write the results file (JSON; the phases are its runs)");
    cmd->add_option("--format", options.format, "text | json: what to print on standard output")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    return cmd;
}

int run_cv_command(const cv_command_options& options, run_control& control,
                   const volatile std::sig_atomic_t& stop_signal) {
    workload_params gather;
    workload_params render_params;
    try {
        auto text = options.param_text;
        text["phase"] = "gather";
        gather = parse_params("cv", text);
        text["phase"] = "render";
        render_params = parse_params("cv", text);
        const auto records = std::int64_t{2} * options.repeats * get_task_count(gather);
        if (records > max_task_records)
            throw invalid_argument_error("--repeats x 2 phases x --count must be at most " +
                                         std::to_string(max_task_records) + " task records (got " +
                                         std::to_string(records) + ")");
    } catch (const invalid_argument_error& e) {
        std::string message = e.what();
        for (const auto& spec : get_param_specs())  // name the flag the user typed
            if (const auto at = message.find("parameter '" + std::string(spec.name) + "'"); at != std::string::npos) {
                message.replace(at, spec.name.size() + 12, flag_name(spec.name));
                break;
            }
        std::cerr << "parlab: error: " << message << "\n";
        return exit_usage;
    }
    executor_options exec_options;
    exec_options.switch_interval_ms = options.switch_interval_ms;
    const auto workers_for = [](const std::string& mode, unsigned workers) {
        return mode == "sequential" ? 1U : workers;
    };

    std::vector<run_result> runs;
    bool any_failed = false;
    for (unsigned repeat = 0; repeat < options.repeats && stop_signal == 0; ++repeat) {
        auto gather_exec = make_native_executor(options.gather_mode,
                                                workers_for(options.gather_mode, options.gather_workers),
                                                worker_death_policy::fail, exec_options);
        run_result first = run_workload(gather, *gather_exec, control);
        const std::string id = "cv-" + first.started_at + "-" + std::to_string(::getpid()) + "-" +
                               std::to_string(repeat + 1);
        first.job = job_info{id, 1, 2};
        runs.push_back(std::move(first));
        if (!runs.back().ok || !runs.back().complete || stop_signal != 0) {
            any_failed = any_failed || !runs.back().ok;
            break;  // phase 2 needs every photo of phase 1
        }
        auto render_exec = make_native_executor(options.render_mode,
                                                workers_for(options.render_mode, options.render_workers),
                                                worker_death_policy::fail, exec_options);
        run_result second = run_workload(render_params, *render_exec, control);
        second.job = job_info{id, 2, 2};
        runs.push_back(std::move(second));
        any_failed = any_failed || !runs.back().ok;
        if (options.repeats > 1)
            std::cerr << "[" << repeat + 1 << "/" << options.repeats << "] gather " << runs[runs.size() - 2].wall_s
                      << " s + render " << runs.back().wall_s << " s\n";
    }

    const std::string json = results_to_json(get_native_environment(), runs);
    if (options.format == "json") std::cout << json;
    else if (!runs.empty()) std::cout << jobs_to_text(runs, render::get_page_size(render_params.get_int("page_kpx")));
    if (!options.out_path.empty()) {
        try {
            write_file(options.out_path, json);
            std::cerr << "parlab: wrote " << runs.size() << (runs.size() == 1 ? " run (" : " runs (") << (runs.size() + 1) / 2 << " job"
                      << (runs.size() > 2 ? "s" : "") << ") to " << options.out_path
                      << (stop_signal ? " (marked incomplete: stopped)" : "") << "\n";
        } catch (const std::exception& e) {
            std::cerr << "parlab: error: " << e.what() << "\n";
            return exit_run_failed;
        }
    }
    if (stop_signal != 0) return 128 + stop_signal;
    return any_failed ? exit_run_failed : exit_ok;
}

}  // namespace parlab
