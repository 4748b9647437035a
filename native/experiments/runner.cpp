// A preset's steps run one after the other in this process, their runs kept for the summary and the results file.
#include "experiments/runner.hpp"

#include <nlohmann/json.hpp>  // nlohmann::ordered_json: the results file with the experiment's own object

#include <sys/wait.h>  // WIFSIGNALED
#include <unistd.h>    // _exit

#include <algorithm>  // std::all_of
#include <iostream>   // std::cout, std::cerr

#include "commands/command.hpp"  // exit codes
#include "commands/flags.hpp"    // write_results_file
#include "experiments/figures.hpp"
#include "experiments/verdict.hpp"
#include "ipc/reports.hpp"
#include "platform.hpp"  // get_hardware_concurrency
#include "posix/child.hpp"
#include "posix/signals.hpp"
#include "report.hpp"
#include "system_info.hpp"

namespace parlab {

namespace {

/// Runs the job in a forked child (it is meant to take the whole program down); returns what happened to it.
std::string run_in_child(const experiment_job& job, const job_runner& runner, run_control& control, bool quiet) {
    std::cout.flush();
    std::cerr.flush();
    pid_t pid = -1;
    try {
        pid = posix::fork_process();
    } catch (const std::exception&) {
        return "could not fork a child to run it";
    }
    if (pid == 0) {
        // the parent prints the JSON: nothing else on standard output
        const auto runs = runner(job, control, quiet ? nullptr : &std::cout);
        std::cout.flush();
        std::cerr.flush();
        const bool ok = std::all_of(runs.begin(), runs.end(), [](const run_result& r) { return r.ok; });
        ::_exit(ok ? exit_ok : exit_run_failed);
    }
    posix::child_process child(pid);
    const auto status = child.wait();
    if (!status) return "could not wait for the child";
    if (WIFSIGNALED(*status))
        return "the whole program (pid " + std::to_string(pid) + ") " + posix::describe_wait_status(*status) +
               ": every thread and every finished task went with it, and no results were written";
    return "the program (pid " + std::to_string(pid) + ") " + posix::describe_wait_status(*status);
}

/// The experiment's own object in the results file: the plan, the Amdahl figures, the verdict.
nlohmann::ordered_json experiment_to_json(const experiment_preset& preset, const experiment_settings& settings,
                                          const amdahl_summary* amdahl, const std::optional<experiment_verdict>& verdict) {
    nlohmann::ordered_json experiment;
    experiment["name"] = preset.name;
    experiment["plan_cpus"] = settings.cpus;
    experiment["cpus_overridden"] = settings.cpus_overridden;
    experiment["machine_cpus"] = platform::get_hardware_concurrency();
    if (amdahl != nullptr) experiment["amdahl"] = amdahl_to_json(*amdahl);
    if (verdict) {
        const auto& [judged, spread] = *verdict;
        auto& v = experiment["verdict"];
        v["cpus"] = settings.cpus;
        v["verdict"] = judged.verdict.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(judged.verdict);
        v["reason"] = judged.reason.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(judged.reason);
        v["spread"] = spread;
        v["line"] = verdict_line(preset.name, judged, settings.cpus, settings.cpus_overridden);
    }
    return experiment;
}

}  // namespace

std::vector<run_result> run_job(const experiment_job& job, run_control& control, std::ostream* report) {
    if (const auto* grid = std::get_if<grid_job>(&job)) {
        check_grid_job(*grid);
        auto runs = run_grid_job(*grid, control);
        if (report != nullptr) *report << grid_to_text(runs);
        return runs;
    }
    if (const auto* two_phase = std::get_if<cv_job>(&job)) {
        check_cv_job(*two_phase);
        auto runs = run_cv_job(*two_phase, control);
        if (report != nullptr && !runs.empty())
            *report << cv_to_text(runs, render::get_page_size(two_phase->render.get_int("page_kpx")));
        return runs;
    }
    const auto& ipc = std::get<ipc_job>(job);
    try {  // a report, not results: a failure is told and the experiment goes on
        if (ipc.hello) {
            const hello_result result = run_hello();
            if (report != nullptr) *report << hello_to_text(result);
        } else {
            const throughput_result result = measure_throughput(ipc.throughput);
            if (report != nullptr) *report << throughput_to_text(result);
        }
    } catch (const std::exception& e) {
        std::cerr << "parlab: error: " << e.what() << "\n";
    }
    return {};
}

std::string plan_line(unsigned cpus, bool overridden) {
    const unsigned machine = platform::get_hardware_concurrency();
    std::string line = "Plan for " + std::to_string(cpus) + " CPU" + (cpus == 1 ? "" : "s");
    if (overridden)
        return line + " (--cpus " + std::to_string(cpus) + ": a teaching override of the plan; this machine has " +
               std::to_string(machine) + " logical CPU" + (machine == 1 ? "" : "s") +
               ", and every run measures this machine)";
    return line + " (this machine's logical CPUs)";
}

int run_experiment(const experiment_preset& preset, const experiment_settings& settings, const job_runner& runner) {
    const bool text = !settings.json;
    if (text)
        std::cout << "Experiment " << preset.name << ": " << preset.title << " (docs/lessons/" << preset.lesson
                  << ")\n"
                  << plan_line(settings.cpus, settings.cpus_overridden) << "\n";
    static run_control control;  // the stop handlers keep its address
    posix::install_stop_handlers(control);
    steps_runs runs;  // one entry per results step, even an empty one
    bool any_results = false;
    std::vector<std::string> notes;
    int stopped = 0;
    for (std::size_t i = 0; i < preset.steps.size() && stopped == 0; ++i) {
        experiment_job job = preset.steps[i].job;
        const auto& step = preset.steps[i];
        if (step.takes_repeats()) {
            if (auto* grid = std::get_if<grid_job>(&job)) grid->repeats = settings.repeats;
            if (auto* two_phase = std::get_if<cv_job>(&job)) two_phase->repeats = settings.repeats;
        }
        std::cerr << "\n== " << step.note << "\n   " << step.get_command_line() << "\n";
        if (step.own_process) {
            const std::string outcome = run_in_child(job, runner, control, !text);
            std::cerr << "   -> " << outcome << "\n";
            notes.push_back(std::string(step.note.substr(0, step.note.find(':'))) + ": " + outcome);
            continue;
        }
        // amdahl: its own table below sums up every run; the sweep's fit of the parallel part alone would not
        std::ostream* report = text && preset.name != "amdahl" ? &std::cout : nullptr;
        std::vector<run_result> step_runs;
        try {
            step_runs = runner(job, control, report);
        } catch (const invalid_argument_error& e) {
            std::cerr << "parlab: error: the preset's step '" << step.get_command_line()
                      << "' was refused: " << e.what() << "\n";
            return exit_usage;
        }
        if (const int signal = posix::get_stop_signal(); signal != 0) stopped = 128 + signal;
        if (!step.writes_results()) continue;
        any_results = true;
        runs.push_back(std::move(step_runs));
    }

    const bool amdahl = preset.name == "amdahl";
    const auto amdahl_figures = amdahl ? summarize_amdahl_runs(runs, settings.cpus) : amdahl_summary{};
    const auto verdict = stopped == 0 ? judge_experiment(preset.name, runs, settings.cpus) : std::nullopt;
    std::string json;
    std::size_t run_count = 0;
    if (any_results) {
        std::vector<run_result> all;
        for (auto& step_runs : runs) all.insert(all.end(), step_runs.begin(), step_runs.end());
        run_count = all.size();
        auto file = nlohmann::ordered_json::parse(results_to_json(get_native_environment(), all));
        file["experiment"] = experiment_to_json(preset, settings, amdahl ? &amdahl_figures : nullptr, verdict);
        json = file.dump(2) + "\n";
    }

    if (text) {
        if (amdahl) print_amdahl(amdahl_figures, settings.cpus, std::cout);
        else if (!runs.empty()) print_summary(runs, std::cout);
        for (const auto& note : notes) std::cout << "  " << note << "\n";
        if (verdict)
            std::cout << verdict_line(preset.name, verdict->verdict, settings.cpus, settings.cpus_overridden) << "\n";
        std::cout << "Read why: docs/lessons/" << preset.lesson << "\n";
    } else if (!json.empty()) {
        std::cout << json;
    }
    if (!settings.out_path.empty()) {
        if (json.empty()) {
            std::cerr << "parlab: no runs to write to " << settings.out_path << "\n";
        } else {
            const std::string what = std::to_string(run_count) + " run" + (run_count == 1 ? "" : "s");
            if (write_results_file(settings.out_path, json, what, " (upload it on the lab page to compare)") != exit_ok)
                return exit_run_failed;
        }
    }
    return stopped != 0 ? stopped : exit_ok;
}

}  // namespace parlab
