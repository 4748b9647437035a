// What every rank but rank 0 does: follow rank 0's messages (build a run's workload, run tasks, echo pings).
#pragma once

#include "world.hpp"

namespace parlab::mpi {

/// Serves rank 0 until it says quit: builds each run's workload from the parameters it sends, runs each task it is
/// given on the bytes that came with it (like a process pool's child) and answers with the task's record and
/// output bytes, and echoes pings. Returns the exit code: 0, or 1 after an MPI error (printed on stderr).
[[nodiscard]] int serve_rank(const world& here);

}  // namespace parlab::mpi
