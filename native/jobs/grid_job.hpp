// A typed job: one workload over a grid of modes x worker counts, the grid repeated. `parlab run` is a grid of one
// point, `parlab sweep` any grid, and most experiment steps are one of the two.
#pragma once

#include <cstdint>  // std::int64_t
#include <string>   // std::string
#include <utility>  // std::pair
#include <vector>   // std::vector

#include "executor.hpp"
#include "params.hpp"
#include "process_pool.hpp"
#include "run_control.hpp"
#include "run_result.hpp"

namespace parlab {

/// Task records one invocation may collect (runs x tasks per run), so memory for a sweep stays bounded.
inline constexpr std::int64_t max_task_records = 4'000'000;

struct grid_job {
    workload_params params;
    std::vector<std::string> modes;  ///< in order; sequential runs once, with 1 worker
    std::vector<unsigned> workers;   ///< worker counts for every other mode, in order
    unsigned repeats = 1;            ///< runs of the whole grid, one after the other
    worker_death_policy on_worker_death = worker_death_policy::fail;
    executor_options options;

    /// The (mode, workers) of each run, in the order they run: the grid, then the grid again per repeat.
    [[nodiscard]] std::vector<std::pair<std::string, unsigned>> get_runs() const;
};

/// Throws invalid_argument_error (one line naming the flag) for a mode, worker count or option an executor refuses,
/// or more than max_task_records task records in all.
void check_grid_job(const grid_job& job);

/// Runs every run of the job in order on control (reset before each), stopping early once a stop signal came
/// (posix::get_stop_signal). With more than one run, prints "[i/n] mode xW: S s" per run on stderr; on a terminal,
/// a progress line while each runs.
[[nodiscard]] std::vector<run_result> run_grid_job(const grid_job& job, run_control& control);

/// What `parlab run` and `sweep` print: each run's lines, then a table of every run when there are several.
[[nodiscard]] std::string grid_to_text(const std::vector<run_result>& runs);

}  // namespace parlab
