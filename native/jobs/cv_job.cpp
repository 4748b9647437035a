// Running the CV factory's two phases as one job, and the job's text: phase rows, totals, the per-task log.
#include "jobs/cv_job.hpp"

#include <unistd.h>  // getpid

#include <iostream>   // std::cerr

#include "jobs/grid_job.hpp"  // max_task_records
#include "posix/signals.hpp"
#include "process_pool.hpp"
#include "run.hpp"
#include "summary.hpp"     // median
#include "text_table.hpp"  // format_number, pad_cell

namespace parlab {

namespace {

/// cpu_s / (time not spent in the simulated wait), in percent; empty where unknown.
std::string cpu_percent(const task_record& task) {
    const double busy = task.end_s - task.start_s - task.wait_s;
    if (!task.cpu_s || busy <= 0) return "-";
    return format_number("%.0f", 100.0 * *task.cpu_s / busy);
}

std::string summary_row(const std::string& label, const run_result& run) {
    return label + std::string(label.size() < 8 ? 8 - label.size() : 1, ' ') + run.mode +
           std::string(run.mode.size() < 12 ? 12 - run.mode.size() : 1, ' ') + pad_cell(std::to_string(run.workers), 7) +
           pad_cell(format_number("%.4f", run.avg_task_s), 13) + pad_cell(format_number("%.4f", run.wall_s), 10) +
           (run.ok ? (run.complete ? "" : "  (stopped)") : "  FAILED: " + run.error) + "\n";
}

}  // namespace

std::string cv_to_text(const std::vector<run_result>& runs, const render::page_size& page) {
    const auto& first = runs.front().params;
    std::string text = "CV factory: " + std::to_string(first.get_int("count")) + " CVs, gather latency " +
                       format_number("%g", first.get_real("latency_ms")) + " ms (simulated), page " +
                       std::to_string(first.get_int("page_kpx")) + " kpx (" + std::to_string(page.width) + "x" +
                       std::to_string(page.height) + " px)\n\n";
    text += "job  phase   mode        workers  avg task s   phase s\n";
    std::vector<double> gather_walls, render_walls, totals;
    for (std::size_t i = 0; i < runs.size(); i += 2) {
        const std::string job = pad_cell(std::to_string(i / 2 + 1), 3) + "  ";
        text += job + summary_row("gather", runs[i]);
        gather_walls.push_back(runs[i].wall_s);
        if (i + 1 < runs.size()) {
            text += job + summary_row("render", runs[i + 1]);
            render_walls.push_back(runs[i + 1].wall_s);
            totals.push_back(runs[i].wall_s + runs[i + 1].wall_s);
            text += job + "total" + std::string(38, ' ') + pad_cell(format_number("%.4f", totals.back()), 10) + "\n";
        }
    }
    if (totals.size() > 1)
        text += "median of " + std::to_string(totals.size()) + " jobs: gather " +
                format_number("%.4f s", median(gather_walls)) + ", render " + format_number("%.4f s", median(render_walls)) +
                ", total " + format_number("%.4f s", median(totals)) + "\n";

    const std::size_t last = (runs.size() - 1) / 2 * 2;
    text += "\nper-task log of job " + std::to_string(last / 2 + 1) + " (" + runs[last].job->id +
            "; seconds from the job's start; CPU % = CPU time / (time - simulated wait))\n";
    text += "phase   task   start s     end s  worker      pid  CPU %   RSS MiB\n";
    for (std::size_t r = last; r < runs.size(); ++r) {
        const double shift = r == last ? 0.0 : runs[last].wall_s;
        for (const auto& task : runs[r].tasks) {
            text += task.phase + std::string(task.phase.size() < 8 ? 8 - task.phase.size() : 1, ' ') +
                    pad_cell(std::to_string(task.id + 1), 4) + pad_cell(format_number("%.3f", task.start_s + shift), 10) +
                    pad_cell(format_number("%.3f", task.end_s + shift), 10) + pad_cell(std::to_string(task.worker), 8) +
                    pad_cell(std::to_string(task.pid), 9) + pad_cell(cpu_percent(task), 7) +
                    pad_cell(task.rss_kib ? format_number("%.1f", static_cast<double>(*task.rss_kib) / 1024.0) : "-", 10) + "\n";
        }
    }
    return text;
}


cv_job make_cv_job(std::map<std::string, std::string> param_text) {
    cv_job job;
    param_text["phase"] = "gather";
    job.gather = parse_params("cv", param_text);
    param_text["phase"] = "render";
    job.render = parse_params("cv", param_text);
    return job;
}

void check_cv_job(const cv_job& job) {
    const auto records = std::int64_t{2} * job.repeats * get_task_count(job.gather);
    if (records > max_task_records)
        throw invalid_argument_error("--repeats x 2 phases x --count must be at most " +
                                     std::to_string(max_task_records) + " task records (got " +
                                     std::to_string(records) + ")");
}

std::vector<run_result> run_cv_job(const cv_job& job, run_control& control) {
    const auto workers_for = [](const std::string& mode, unsigned workers) {
        return mode == "sequential" ? 1U : workers;
    };
    std::vector<run_result> runs;
    for (unsigned repeat = 0; repeat < job.repeats && posix::get_stop_signal() == 0; ++repeat) {
        auto gather_exec = make_native_executor(job.gather_mode, workers_for(job.gather_mode, job.gather_workers),
                                                worker_death_policy::fail, job.options);
        run_result first = run_workload(job.gather, *gather_exec, control);
        const std::string id = "cv-" + first.started_at + "-" + std::to_string(::getpid()) + "-" +
                               std::to_string(repeat + 1);
        first.job = job_info{id, 1, 2};
        runs.push_back(std::move(first));
        if (!runs.back().ok || !runs.back().complete || posix::get_stop_signal() != 0)
            break;  // phase 2 needs every photo of phase 1
        auto render_exec = make_native_executor(job.render_mode, workers_for(job.render_mode, job.render_workers),
                                                worker_death_policy::fail, job.options);
        run_result second = run_workload(job.render, *render_exec, control);
        second.job = job_info{id, 2, 2};
        runs.push_back(std::move(second));
        if (job.repeats > 1)
            std::cerr << "[" << repeat + 1 << "/" << job.repeats << "] gather " << runs[runs.size() - 2].wall_s
                      << " s + render " << runs.back().wall_s << " s\n";
    }
    return runs;
}

}  // namespace parlab
