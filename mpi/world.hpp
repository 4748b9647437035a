// The MPI job as this process sees it: its rank, the job's size, its host; MPI_Init and MPI_Finalize around them.
#pragma once

#include <mpi.h>

#include <functional>  // std::function
#include <string>      // std::string

namespace parlab::mpi {

/// Starts MPI in the constructor and ends it in the destructor (one per program). Errors on MPI_COMM_WORLD
/// return codes instead of aborting, so the caller can name the rank that failed.
class world {
public:
    world(int& argc, char**& argv);
    ~world();
    world(const world&) = delete;
    world& operator=(const world&) = delete;

    /// This process's rank, 0..size-1.
    [[nodiscard]] int get_rank() const { return rank_; }
    /// Ranks in the job (mpirun -np N).
    [[nodiscard]] int get_size() const { return size_; }
    /// This rank's host (MPI_Get_processor_name).
    [[nodiscard]] const std::string& get_host() const { return host_; }
    /// The first line of MPI_Get_library_version, e.g. "Open MPI v4.1.4, package: Debian OpenMPI, ...".
    [[nodiscard]] static std::string get_library();

private:
    int rank_ = 0;
    int size_ = 1;
    std::string host_;
};

/// Throws std::runtime_error "WHAT: MPI's error text" when rc is not MPI_SUCCESS.
void check(int rc, const char* what);

/// Message tags between rank 0 and the other ranks (mpi/messages.hpp has their bodies).
enum tag : int {
    tag_run_begin = 1,  ///< 0 -> rank: the run's parameters (JSON text); the rank builds the workload
    tag_ready = 2,      ///< rank -> 0: ready_message
    tag_task = 3,       ///< 0 -> rank: task_message, then tag_task_input with its input bytes when there are any
    tag_task_input = 4,
    tag_done = 5,       ///< rank -> 0: done_message, then tag_task_output with its output bytes when there are any
    tag_task_output = 6,
    tag_failed = 7,     ///< rank -> 0: failed_message (a task threw, or the workload could not be built)
    tag_run_end = 8,    ///< 0 -> rank: drop the run's workload
    tag_quit = 9,       ///< 0 -> rank: leave the serve loop and finalize
    tag_ping = 10,      ///< 0 -> rank 1 and back: the same bytes (parlab-mpi ipc)
};

/// Waits for a message from `source` (or MPI_ANY_SOURCE) with any tag and returns its status, without receiving
/// it. Spins on MPI_Iprobe for a short while after the last message, then sleeps between probes, so an idle rank
/// leaves the CPU to ranks that compute (several ranks share a machine's cores). Returns false when `stop()` turns
/// true first (checked between probes).
bool wait_for_message(int source, MPI_Status& status, const std::function<bool()>& stop);

}  // namespace parlab::mpi
