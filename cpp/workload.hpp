// The workload interface: a fixed list of deterministic tasks, each an optional wait and then a computation.
#pragma once

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint64_t
#include <memory>   // std::unique_ptr
#include <string>   // std::string

#include "params.hpp"
#include "run_control.hpp"

namespace parlab {

class workload {
public:
    virtual ~workload() = default;

    /// Number of tasks; tasks are numbered 0..get_task_count()-1.
    [[nodiscard]] virtual std::size_t get_task_count() const = 0;

    /// Seconds task i waits before computing (simulated I/O latency); 0 for CPU-bound work.
    [[nodiscard]] virtual double get_wait_seconds(std::size_t task) const {
        static_cast<void>(task);
        return 0.0;
    }

    /// Computes task i and returns its 64-bit value (the same on every platform and in every mode);
    /// checks control.cancel now and then and throws cancelled_error when it is set.
    [[nodiscard]] virtual std::uint64_t compute(std::size_t task, const run_control& control) const = 0;

    /// A short label for task i, e.g. "primes <= 1000000".
    [[nodiscard]] virtual std::string describe(std::size_t task) const = 0;

    /// The phase a task belongs to, for timelines ("compute" or "download").
    [[nodiscard]] virtual std::string get_phase() const { return "compute"; }
};

/// Builds the workload the parameters describe (they are already checked by parse_params). With crash_task
/// set, task crash_task's compute() crashes as crash_how says: throws std::runtime_error ("throw"), calls
/// std::abort() ("abort", SIGABRT) or std::_Exit(3) ("exit"); the last two end the process that runs it.
[[nodiscard]] std::unique_ptr<workload> make_workload(const workload_params& params);

}  // namespace parlab
