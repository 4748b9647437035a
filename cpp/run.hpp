// Running one workload on one executor and collecting the run_result.
#pragma once

#include "executor.hpp"
#include "params.hpp"
#include "run_control.hpp"
#include "run_result.hpp"

namespace parlab {

/// Implemented by an executor that can lose single tasks and keep going (the process pool with respawn):
/// run_workload collects the lost tasks of the execution that just ended from it.
class failed_task_source {
public:
    virtual ~failed_task_source() = default;
    /// The tasks the last execute() lost, by id order of loss; empties the list.
    [[nodiscard]] virtual std::vector<failed_task> take_failed_tasks() = 0;
};

/// Builds the workload, resets control, runs it on exec and fills a run_result: checksum, totals, and the
/// finished tasks sorted by id. A stop request gives complete == false; a failure gives ok == false with
/// the error; lost tasks (see failed_task_source) give ok == false, error a summary, and failed_tasks.
/// Throws only for parameters that make_workload rejects.
[[nodiscard]] run_result run_workload(const workload_params& params, executor& exec, run_control& control);

}  // namespace parlab
