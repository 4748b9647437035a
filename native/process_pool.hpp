// The "processes" executor: N pre-forked worker processes, fed task numbers over pipes, answering over pipes.
#pragma once

#include "executor.hpp"

namespace parlab {

/// Forks `workers` children at the start of each execute() (their start-up is timed), hands each one task
/// at a time over its own request pipe, and reads fixed-size binary answers from its response pipe. A child
/// that dies ends the run with an error naming the worker, its pid and its signal or exit code; the other
/// children are killed and every child is reaped before execute() returns.
class process_pool_executor final : public executor {
public:
    explicit process_pool_executor(unsigned workers);
    [[nodiscard]] std::string get_mode() const override { return "processes"; }
    [[nodiscard]] unsigned get_workers() const override { return workers_; }
    [[nodiscard]] execution execute(const workload& work, run_control& control,
                                    platform::clock::time_point run_start) override;

private:
    unsigned workers_;
};

/// sequential, threads (from the core) or processes (fork-based).
[[nodiscard]] std::unique_ptr<executor> make_native_executor(const std::string& mode, unsigned workers);

}  // namespace parlab
