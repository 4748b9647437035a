// A typed job: the CV factory's two phases (gather photos, then render pages), each in its own mode and workers,
// the whole job repeated. What `parlab cv` runs, and the two-phase preset's steps.
#pragma once

#include <string>  // std::string
#include <vector>  // std::vector

#include "executor.hpp"
#include "params.hpp"
#include "render.hpp"
#include "run_control.hpp"
#include "run_result.hpp"

namespace parlab {

struct cv_job {
    workload_params gather;  ///< the cv workload with phase gather
    workload_params render;  ///< the same CVs with phase render
    std::string gather_mode = "threads";
    unsigned gather_workers = 8;  ///< sequential uses 1 whatever this says
    std::string render_mode = "processes";
    unsigned render_workers = 8;
    unsigned repeats = 1;
    executor_options options;
};

/// The job for the cv parameters given as text (count, latency_ms, seed, page_kpx: only those given), each phase
/// checked by the core; throws invalid_argument_error naming the first bad one.
[[nodiscard]] cv_job make_cv_job(std::map<std::string, std::string> param_text);

/// Throws invalid_argument_error when the job's repeats x 2 phases x tasks pass max_task_records.
void check_cv_job(const cv_job& job);

/// Runs the job `repeats` times: phase 1, then (if it finished well) phase 2 as the same job id; stops early once
/// a stop signal came. With repeats, prints "[r/R] gather S s + render S s" per job on stderr.
[[nodiscard]] std::vector<run_result> run_cv_job(const cv_job& job, run_control& control);

/// The summary of every job (phase rows and the total), medians when there are several, then the per-task log of
/// the last job with render times shifted by the gather phase's wall time.
[[nodiscard]] std::string cv_to_text(const std::vector<run_result>& runs, const render::page_size& page);

}  // namespace parlab
