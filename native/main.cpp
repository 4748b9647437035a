// parlab: the command-line program. Parses flags, runs the core, prints a table or JSON, writes results files.
#include <CLI/CLI.hpp>  // CLI::App

#include <atomic>    // std::atomic
#include <csignal>   // std::signal, SIGINT, SIGTERM
#include <cstdio>    // std::rename, std::remove
#include <fstream>   // std::ofstream
#include <iostream>  // std::cout, std::cerr
#include <map>       // std::map
#include <sstream>   // std::ostringstream
#include <thread>    // std::thread

#include <unistd.h>  // isatty

#include "cv_command.hpp"
#include "experiments.hpp"
#include "file_io.hpp"
#include "ipc_cli.hpp"
#include "lab_info.hpp"
#include "params.hpp"
#include "process_pool.hpp"
#include "report.hpp"
#include "run.hpp"
#include "system_info.hpp"

namespace {

constexpr int exit_ok = 0;
constexpr int exit_run_failed = 1;
constexpr int exit_usage = 2;

/// Task records one invocation may collect (runs x tasks per run), so a sweep's memory stays bounded.
constexpr std::int64_t max_task_records = 4'000'000;

parlab::run_control control;     // the signal handler's only way in
volatile std::sig_atomic_t stop_signal = 0;

extern "C" void on_stop_signal(int signal) {
    stop_signal = signal;
    control.stop_all.store(1);  // lock-free atomic: async-signal-safe; survives the next run's reset()
}

std::string flag_name(std::string_view param) {
    std::string flag = "--" + std::string(param);
    for (auto& c : flag)
        if (c == '_') c = '-';
    return flag;
}

std::string bounds_text(const parlab::param_spec& spec) {
    std::ostringstream out;
    out.precision(15);
    switch (spec.type) {
        case parlab::param_type::choice:
            for (std::size_t i = 0; i < spec.choices.size(); ++i) out << (i ? "|" : "") << spec.choices[i];
            break;
        case parlab::param_type::integer_list:
            out << "1.." << spec.max_items << " integers in " << spec.min << ".." << spec.max;
            break;
        default:
            out << spec.min << ".." << spec.max;
    }
    return out.str();
}

/// While alive, redraws "tasks done/total" on a terminal's stderr every 200 ms; does nothing otherwise.
class progress_line {
public:
    progress_line(std::size_t total, std::string label) {
        if (!::isatty(2) || total < 2) return;
        thread_ = std::thread([this, total, label = std::move(label)] {
            while (!finished_.load()) {
                std::cerr << "\r  " << label << ": " << control.done.load() << "/" << total << " tasks" << std::flush;
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
            }
            std::cerr << "\r\033[K" << std::flush;
        });
    }
    ~progress_line() {
        finished_.store(true);
        if (thread_.joinable()) thread_.join();
    }
    progress_line(const progress_line&) = delete;
    progress_line& operator=(const progress_line&) = delete;

private:
    std::atomic<bool> finished_{false};
    std::thread thread_;
};

}  // namespace

static int run_cli(int argc, char** argv);

/// Runs a parlab command line given without the program name (the experiment presets' steps come through here).
static int run_cli_args(const std::vector<std::string>& args) {
    std::vector<std::string> line{"parlab"};
    line.insert(line.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : line) argv.push_back(arg.data());
    return run_cli(static_cast<int>(argv.size()), argv.data());
}

int main(int argc, char** argv) { return run_cli(argc, argv); }

/// The whole program: parses argv, runs, prints, writes; returns the exit code.
static int run_cli(int argc, char** argv) {
    CLI::App app{"parlab: multithreading vs multiprocessing, measured.\n"
                 "Runs CPU-bound and (simulated) I/O-bound workloads sequentially, on a thread pool and on a\n"
                 "pool of worker processes, and writes results the lab page can compare with its own."};
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "show help for every subcommand");

    std::string workload = "primes";
    std::string out_path;
    std::string format = "table";
    std::string mode = "sequential";
    parlab::executor_options options;
    unsigned workers = 1;
    std::string modes_text = "sequential,threads,processes";
    std::string workers_text = "1,2,4,8";
    unsigned repeats = 1;
    std::string on_worker_death = "fail";
    std::map<std::string, std::string> param_text;  // only flags that were given

    auto* run_cmd = app.add_subcommand("run", "run one workload in one mode with one number of workers");
    auto* sweep_cmd = app.add_subcommand("sweep", "run a grid: every mode in --modes x every count in --workers");
    auto* info_cmd = app.add_subcommand(
        "info", "print the lab info document as JSON: modes, every workload's parameters and bounds, limits, build");
    auto* experiment_cmd = app.add_subcommand(
        "experiment", "guided experiments, one per lesson (docs/lessons/): list [--cpus N] | run NAME [--cpus N] "
                      "[--repeats R] [--out FILE] [--format text|json]; the plans follow this machine's logical CPUs, "
                      "--cpus N (1..256) plans for N instead: a teaching override, not a measurement");
    experiment_cmd->prefix_command();  // its arguments are parsed by run_experiment_command
    std::vector<std::string> mode_names;
    std::string mode_help;
    for (const auto name : parlab::get_mode_names()) {
        mode_names.emplace_back(name);
        mode_help += (mode_help.empty() ? "" : " | ") + std::string(name);
    }
    run_cmd->add_option("--mode", mode, mode_help + " (threads-gil: threads under a simulated interpreter lock, "
                                                    "like CPython's; async: one thread, an event loop)")
        ->check(CLI::IsMember(mode_names))
        ->capture_default_str();
    run_cmd->add_option("--workers", workers, "workers, 1.." + std::to_string(parlab::max_workers) +
                                                  " (1 for sequential)")
        ->check(CLI::Range(1U, parlab::max_workers))
        ->capture_default_str();
    sweep_cmd->add_option("--modes", modes_text, "comma list of " + mode_help)->capture_default_str();
    sweep_cmd->add_option("--workers", workers_text,
                          "comma list of worker counts, each 1.." + std::to_string(parlab::max_workers) +
                              " (sequential runs once, with 1)")
        ->capture_default_str();
    sweep_cmd->add_option("--repeats", repeats, "runs of each grid point, 1..100; the table shows medians")
        ->check(CLI::Range(1U, 100U))
        ->capture_default_str();

    // Workload parameters: one flag per name, documented per workload from the one table in params.cpp.
    std::map<std::string, std::string> help_by_flag;
    for (const auto& spec : parlab::get_param_specs()) {
        auto& help = help_by_flag[std::string(spec.name)];
        help += (help.empty() ? "" : "\n") + (spec.workload.empty() ? "every workload" : std::string(spec.workload)) +
                (spec.shape.empty() ? "" : " (shape " + std::string(spec.shape) + ")") + ": " + std::string(spec.help) +
                "; " + bounds_text(spec) + ", default " + std::string(spec.default_value);
    }
    for (auto* cmd : {run_cmd, sweep_cmd}) {
        std::vector<std::string> workload_names;  // from the parameter table, so a new workload needs no edit here
        for (const auto name : parlab::get_workload_names()) workload_names.emplace_back(name);
        cmd->add_option("--workload", workload, "one of: " + CLI::detail::join(workload_names, " | "))
            ->check(CLI::IsMember(workload_names))
            ->capture_default_str();
        for (const auto& [name, help] : help_by_flag) {
            cmd->add_option_function<std::string>(
                flag_name(name), [&param_text, name = name](const std::string& value) { param_text[name] = value; },
                help);
        }
        cmd->add_option("--on-worker-death", on_worker_death,
                        "processes mode, a worker process dies: fail (end the run) | respawn (replace it; only "
                        "its task is lost)")
            ->check(CLI::IsMember({"fail", "respawn"}))
            ->capture_default_str();
        cmd->add_option("--switch-interval-ms", options.switch_interval_ms,
                        "threads-gil: the simulated interpreter lock's switch interval, 0.1..1000 ms (CPython: 5)")
            ->check(CLI::Range(0.1, 1000.0))
            ->capture_default_str();
        cmd->add_option("--out", out_path, "also write the results file (JSON) here");
        cmd->add_option("--format", format, "table | json: what to print on standard output")
            ->check(CLI::IsMember({"table", "json"}))
            ->capture_default_str();
    }
    const auto ipc_cmd = parlab::add_ipc_command(app);
    parlab::cv_command_options cv_options;
    auto* cv_cmd = parlab::add_cv_command(app, cv_options);
    app.footer("Exit codes: 0 done, 1 a run failed, 2 bad flags or values, 130/143 stopped by SIGINT/SIGTERM.\n"
               "Docs: docs/native-program.md, docs/failure-model.md");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "parlab: error: " << e.what() << " (see parlab --help)\n";
        return exit_usage;
    }
    if (info_cmd->parsed()) {
        std::cout << parlab::get_lab_info({"native", parlab::max_workers, true}).dump(2) << "\n";
        return exit_ok;
    }
    if (experiment_cmd->parsed()) return parlab::run_experiment_command(experiment_cmd->remaining(), run_cli_args);
    if (ipc_cmd->is_parsed()) return ipc_cmd->run();
    if (cv_cmd->parsed()) {
        std::signal(SIGINT, on_stop_signal);
        std::signal(SIGTERM, on_stop_signal);
        return parlab::run_cv_command(cv_options, control, stop_signal);
    }

    std::vector<std::pair<std::string, unsigned>> grid;
    parlab::workload_params params;
    try {
        params = parlab::parse_params(workload, param_text);
        if (run_cmd->parsed()) {
            static_cast<void>(parlab::make_native_executor(mode, workers, parlab::worker_death_policy::fail,
                                                           options));  // checks mode, workers and options now
            grid.emplace_back(mode, workers);
        } else {
            const auto counts = parlab::parse_worker_list(workers_text, parlab::max_workers);
            for (const auto& m : parlab::parse_mode_list(modes_text)) {
                if (m == "sequential") grid.emplace_back(m, 1);
                else
                    for (const unsigned w : counts) grid.emplace_back(m, w);
            }
            if (repeats > 1) {
                std::vector<std::pair<std::string, unsigned>> repeated;
                for (unsigned r = 0; r < repeats; ++r) repeated.insert(repeated.end(), grid.begin(), grid.end());
                grid = repeated;
            }
        }
        const auto records = static_cast<std::int64_t>(grid.size()) * parlab::get_task_count(params);
        if (records > max_task_records)
            throw parlab::invalid_argument_error(
                "runs x tasks per run must be at most " + std::to_string(max_task_records) + " (got " +
                std::to_string(grid.size()) + " runs x " + std::to_string(parlab::get_task_count(params)) +
                " tasks): use fewer --modes, --workers or --repeats, or a smaller workload");
    } catch (const parlab::invalid_argument_error& e) {
        std::string message = e.what();
        for (const auto& spec : parlab::get_param_specs())  // name the flag the user typed
            if (const auto at = message.find("parameter '" + std::string(spec.name) + "'"); at != std::string::npos) {
                message.replace(at, spec.name.size() + 12, flag_name(spec.name));
                break;
            }
        std::cerr << "parlab: error: " << message << "\n";
        return exit_usage;
    }

    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);

    std::vector<parlab::run_result> runs;
    bool any_failed = false;
    for (std::size_t i = 0; i < grid.size() && stop_signal == 0; ++i) {
        const auto& [run_mode, run_workers] = grid[i];
        auto exec = parlab::make_native_executor(run_mode, run_workers,
                                                 parlab::parse_worker_death_policy(on_worker_death), options);
        {
            const progress_line progress(parlab::make_workload(params)->get_task_count(),
                                         run_mode + " x" + std::to_string(run_workers));
            runs.push_back(parlab::run_workload(params, *exec, control));
        }
        const auto& run = runs.back();
        any_failed = any_failed || !run.ok;
        if (grid.size() > 1)
            std::cerr << "[" << i + 1 << "/" << grid.size() << "] " << run_mode << " x" << run_workers << ": "
                      << run.wall_s << " s" << (run.ok ? "" : "  FAILED: " + run.error)
                      << (run.complete ? "" : "  (stopped)") << "\n";
    }

    const auto env = parlab::get_native_environment();
    const std::string json = parlab::results_to_json(env, runs);
    if (format == "json") {
        std::cout << json;
    } else {
        for (const auto& run : runs) std::cout << parlab::run_to_text(run);
        if (runs.size() > 1) std::cout << "\n" << parlab::sweep_to_text(runs);
    }
    if (!out_path.empty()) {
        try {
            parlab::write_file(out_path, json);
            std::cerr << "parlab: wrote " << runs.size() << " run" << (runs.size() == 1 ? "" : "s") << " to "
                      << out_path << (stop_signal ? " (marked incomplete: stopped)" : "") << "\n";
        } catch (const std::exception& e) {
            std::cerr << "parlab: error: " << e.what() << "\n";
            return exit_run_failed;
        }
    }
    if (stop_signal != 0) return 128 + stop_signal;
    return any_failed ? exit_run_failed : exit_ok;
}
