// Running one workload on one executor and collecting the run_result.
#pragma once

#include "executor.hpp"
#include "params.hpp"
#include "run_control.hpp"
#include "run_result.hpp"

namespace parlab {

/// Builds the workload, resets control, runs it on exec and fills a run_result: checksum, totals, and the
/// finished tasks sorted by id. A stop request gives complete == false; a failure gives ok == false with
/// the error; lost tasks (execution::failed_tasks) give ok == false, error a summary, and failed_tasks.
/// Throws only for parameters that make_workload rejects.
[[nodiscard]] run_result run_workload(const workload_params& params, executor& exec, run_control& control);

}  // namespace parlab
