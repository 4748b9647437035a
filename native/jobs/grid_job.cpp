// Running a grid job: an executor per run, the core's run_workload, and what a terminal shows meanwhile.
#include "jobs/grid_job.hpp"

#include <unistd.h>  // isatty

#include <atomic>    // std::atomic
#include <chrono>    // std::chrono::milliseconds
#include <iostream>  // std::cerr
#include <thread>    // std::thread

#include "posix/signals.hpp"
#include "report.hpp"
#include "run.hpp"

namespace parlab {

namespace {

/// While alive, redraws "tasks done/total" on a terminal's stderr every 200 ms; does nothing otherwise.
class progress_line {
public:
    progress_line(const run_control& control, std::size_t total, std::string label) {
        if (!::isatty(2) || total < 2) return;
        thread_ = std::thread([this, &control, total, label = std::move(label)] {
            while (!finished_.load()) {
                std::cerr << "\r  " << label << ": " << control.done.load() << "/" << total << " tasks" << std::flush;
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
            }
            std::cerr << "\r\033[K" << std::flush;
        });
    }
    ~progress_line() {
        finished_.store(true);
        if (thread_.joinable()) thread_.join();
    }
    progress_line(const progress_line&) = delete;
    progress_line& operator=(const progress_line&) = delete;

private:
    std::atomic<bool> finished_{false};
    std::thread thread_;
};

}  // namespace

std::vector<std::pair<std::string, unsigned>> grid_job::get_runs() const {
    std::vector<std::pair<std::string, unsigned>> grid;
    for (const auto& mode : modes) {
        if (mode == "sequential") grid.emplace_back(mode, 1);
        else
            for (const unsigned w : workers) grid.emplace_back(mode, w);
    }
    std::vector<std::pair<std::string, unsigned>> runs;
    for (unsigned r = 0; r < repeats; ++r) runs.insert(runs.end(), grid.begin(), grid.end());
    return runs;
}

void check_grid_job(const grid_job& job) {
    const auto runs = job.get_runs();
    for (const auto& [mode, workers] : runs)  // the executors check mode, workers and options
        static_cast<void>(make_native_executor(mode, workers, job.on_worker_death, job.options));
    const auto tasks = get_task_count(job.params);
    if (static_cast<std::int64_t>(runs.size()) * tasks > max_task_records)
        throw invalid_argument_error("runs x tasks per run must be at most " + std::to_string(max_task_records) +
                                     " (got " + std::to_string(runs.size()) + " runs x " + std::to_string(tasks) +
                                     " tasks): use fewer --modes, --workers or --repeats, or a smaller workload");
}

std::vector<run_result> run_grid_job(const grid_job& job, run_control& control) {
    const auto grid = job.get_runs();
    const auto tasks = static_cast<std::size_t>(get_task_count(job.params));
    std::vector<run_result> runs;
    for (std::size_t i = 0; i < grid.size() && posix::get_stop_signal() == 0; ++i) {
        const auto& [mode, workers] = grid[i];
        auto exec = make_native_executor(mode, workers, job.on_worker_death, job.options);
        {
            const progress_line progress(control, tasks, mode + " x" + std::to_string(workers));
            runs.push_back(run_workload(job.params, *exec, control));
        }
        const auto& run = runs.back();
        if (grid.size() > 1)
            std::cerr << "[" << i + 1 << "/" << grid.size() << "] " << mode << " x" << workers << ": " << run.wall_s
                      << " s" << (run.ok ? "" : "  FAILED: " + run.error) << (run.complete ? "" : "  (stopped)")
                      << "\n";
    }
    return runs;
}

std::string grid_to_text(const std::vector<run_result>& runs) {
    std::string text;
    for (const auto& run : runs) text += run_to_text(run);
    if (runs.size() > 1) text += "\n" + sweep_to_text(runs);
    return text;
}

}  // namespace parlab
