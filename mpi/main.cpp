// parlab-mpi: the parlab program as an MPI job. Rank 0 runs the command line; every other rank serves it.
#include <CLI/CLI.hpp>  // CLI::App

#include <iostream>  // std::cerr
#include <memory>    // std::unique_ptr
#include <vector>    // std::vector

#include "commands/command.hpp"
#include "commands/info_command.hpp"
#include "commands/run_command.hpp"
#include "linked_modes.hpp"
#include "mpi_executor.hpp"
#include "pingpong_command.hpp"
#include "rank_server.hpp"
#include "world.hpp"

int main(int argc, char** argv) {
    parlab::mpi::world here(argc, argv);
    int code = parlab::exit_ok;
    try {
        const auto hosts = parlab::mpi::gather_hosts(here);  // every rank takes part
        if (here.get_rank() != 0) return parlab::mpi::serve_rank(here);

        parlab::link_mode({"mpi", static_cast<unsigned>(here.get_size() - 1),
                           [&here](unsigned workers) { return std::make_unique<parlab::mpi::mpi_executor>(here, workers); },
                           [&here, &hosts](parlab::environment_info& env) { env.mpi = parlab::mpi::describe_job(here, hosts); }});
        CLI::App app{"parlab-mpi: parlab's workloads on the ranks of an MPI job (run it under mpirun).\n"
                     "Rank 0 reads the command line, hands tasks to ranks 1..N-1 and writes the results."};
        app.require_subcommand(1);
        std::vector<std::unique_ptr<parlab::command>> commands;
        commands.push_back(parlab::add_run_command(app));
        commands.push_back(parlab::mpi::add_pingpong_command(app, here, hosts));
        commands.push_back(parlab::add_info_command(app));
        app.footer("Exit codes: 0 done, 1 a run failed, 2 bad flags or values. A rank that dies ends the whole job "
                   "(mpirun's exit code).\nDocs: docs/mpi.md");
        try {
            app.parse(argc, argv);
            for (const auto& command : commands)
                if (command->is_parsed()) code = command->run();
        } catch (const CLI::CallForHelp& e) {
            code = app.exit(e);
        } catch (const CLI::ParseError& e) {
            std::cerr << "parlab-mpi: error: " << e.what() << " (see parlab-mpi --help)\n";
            code = parlab::exit_usage;
        }
        parlab::mpi::release_ranks(here);
    } catch (const std::exception& e) {
        // An MPI error: the other ranks may be waiting anywhere, so only ending the whole job is safe.
        std::cerr << "parlab-mpi: error: rank " << here.get_rank() << " on " << here.get_host() << ": " << e.what()
                  << "\n";
        MPI_Abort(MPI_COMM_WORLD, parlab::exit_run_failed);
    }
    return code;
}
