// The "mpi" executor: rank 0 hands tasks to ranks 1..N-1 over MPI messages, as the process pool does over pipes.
#pragma once

#include <string>  // std::string
#include <vector>  // std::vector

#include "executor.hpp"
#include "world.hpp"

namespace parlab::mpi {

/// Runs on rank 0. Each execute() sends the workload's parameters to every other rank (each builds its own copy:
/// its start-up), then hands one task at a time to whichever rank is free, with the task's input bytes, and reads
/// back its record and output bytes (workload::write_input/read_output, as the process pool). A task's times come
/// from the rank's clock, placed after the moment rank 0 sent it (so they are late by the message's one-way time,
/// and never past its answer). A task that throws ends the run with ok false naming the rank and host. A rank that
/// dies is Open MPI's to handle: mpirun ends the whole job (docs/mpi.md). Stopped (SIGINT/SIGTERM), it hands out
/// nothing more and waits for the tasks in flight.
class mpi_executor final : public executor {
public:
    /// workers must be the other ranks' count (size - 1, at least 1); throws invalid_argument_error otherwise.
    mpi_executor(const world& here, unsigned workers);
    [[nodiscard]] std::string get_mode() const override { return "mpi"; }
    [[nodiscard]] unsigned get_workers() const override { return workers_; }
    [[nodiscard]] execution execute(const workload& work, run_control& control,
                                    platform::clock::time_point run_start) override;

private:
    const world& here_;
    unsigned workers_;
};

/// Tells every other rank to leave its serve loop (call once, on rank 0, before the world ends).
void release_ranks(const world& here);

/// Every rank's host, by rank (a collective call: every rank makes it once, at start; rank 0 gets the list, the
/// others an empty one).
[[nodiscard]] std::vector<std::string> gather_hosts(const world& here);

/// The environment's mpi block: the library, the ranks and which host ran which.
[[nodiscard]] mpi_job describe_job(const world& here, const std::vector<std::string>& hosts);

}  // namespace parlab::mpi
