// What `parlab run` and `parlab sweep` share: the workload's flags, then a grid job run, printed and written.
#pragma once

#include <map>     // std::map
#include <string>  // std::string

#include "commands/command.hpp"
#include "jobs/grid_job.hpp"

namespace parlab {

/// A command that runs one grid job. Subclasses add their own flags (mode and workers, or lists of them) in their
/// constructor before calling add_workload_flags, and say how their flags make the grid (fill_grid).
class grid_command : public command {
public:
    using command::command;
    /// Checks every flag, --out and --trace-out before any work, then runs the job; prints the table or the results
    /// JSON, writes --out and --trace-out. Returns 0, 1 when a run failed, 2 for bad values, 128 + signal when stopped.
    [[nodiscard]] int run() final;

protected:
    /// --workload, the parameter flags, --on-worker-death, --switch-interval-ms, --out, --format, --trace-out.
    void add_workload_flags();
    /// Sets job.modes, job.workers and job.repeats from the command's own flags; throws invalid_argument_error.
    virtual void fill_grid(grid_job& job) const = 0;

private:
    std::string workload_ = "primes";
    std::map<std::string, std::string> param_text_;  // only flags that were given
    std::string on_worker_death_ = "fail";
    double switch_interval_ms_ = default_switch_interval_ms;
    std::string out_path_;
    std::string trace_path_;  // --trace-out
    std::string format_ = "table";
};

}  // namespace parlab
