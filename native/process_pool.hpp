// The "processes" executor: N pre-forked worker processes, fed task numbers over pipes, answering over pipes.
#pragma once

#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "executor.hpp"
#include "run.hpp"

namespace parlab {

/// What the process pool does when a worker process dies while the run goes on.
enum class worker_death_policy {
    fail,     ///< end the run: ok false, error naming the worker, its pid and its signal or exit code
    respawn,  ///< fork a replacement with the same worker index, record the task it held as lost, go on
};

/// "fail" or "respawn"; throws invalid_argument_error naming --on-worker-death and its choices otherwise.
[[nodiscard]] worker_death_policy parse_worker_death_policy(std::string_view text);

/// Forks `workers` children at the start of each execute() (their start-up is timed), hands each one task
/// at a time over its own request pipe (with the task's input bytes, workload::write_input), and reads
/// fixed-size binary answers (followed by the task's output bytes) from its response pipe; the child computes
/// from the received bytes, and execution::bytes_transferred counts every byte both ways. A child
/// that dies ends the run (policy fail) with an error naming the worker, its pid and its signal or exit code,
/// or (policy respawn) is replaced and only the task it held is lost; a task that throws ends the run either
/// way. Every child is reaped and every pipe closed before execute() returns.
class process_pool_executor final : public executor {
public:
    explicit process_pool_executor(unsigned workers, worker_death_policy on_death = worker_death_policy::fail);
    [[nodiscard]] std::string get_mode() const override { return "processes"; }
    [[nodiscard]] unsigned get_workers() const override { return workers_; }
    [[nodiscard]] execution execute(const workload& work, run_control& control,
                                    platform::clock::time_point run_start) override;

private:
    unsigned workers_;
    worker_death_policy on_death_;
};

/// sequential, threads (from the core), processes (fork-based, with the given death policy) or a linked mode
/// (linked_modes.hpp: parlab-mpi's mpi).
[[nodiscard]] std::unique_ptr<executor> make_native_executor(const std::string& mode, unsigned workers,
                                                             worker_death_policy on_death = worker_death_policy::fail,
                                                             const executor_options& options = {});

}  // namespace parlab
