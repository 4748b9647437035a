// parlab: the command-line program. Builds the CLI11 app from the commands (native/commands/) and runs the one chosen.
#include <CLI/CLI.hpp>  // CLI::App

#include <iostream>  // std::cerr
#include <memory>    // std::unique_ptr
#include <vector>    // std::vector

#include "commands/cv_command.hpp"
#include "commands/experiment_command.hpp"
#include "commands/info_command.hpp"
#include "commands/ipc_command.hpp"
#include "commands/run_command.hpp"
#include "commands/sweep_command.hpp"

int main(int argc, char** argv) {
    CLI::App app{"parlab: multithreading vs multiprocessing, measured.\n"
                 "Runs CPU-bound and (simulated) I/O-bound workloads sequentially, on a thread pool and on a\n"
                 "pool of worker processes, and writes results the lab page can compare with its own."};
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "show help for every subcommand");

    std::vector<std::unique_ptr<parlab::command>> commands;  // in the order --help lists them
    commands.push_back(parlab::add_run_command(app));
    commands.push_back(parlab::add_sweep_command(app));
    commands.push_back(parlab::add_info_command(app));
    commands.push_back(parlab::add_experiment_command(app));
    commands.push_back(parlab::add_ipc_command(app));
    commands.push_back(parlab::add_cv_command(app));
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
        return parlab::exit_usage;
    }
    for (const auto& command : commands)
        if (command->is_parsed()) return command->run();
    return parlab::exit_usage;  // require_subcommand(1): not reached
}
