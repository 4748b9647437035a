// The workload interface: a fixed list of deterministic tasks, each an optional wait and then a computation.
#pragma once

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint64_t
#include <memory>   // std::unique_ptr
#include <optional>  // std::optional
#include <span>     // std::span
#include <stdexcept>  // std::logic_error
#include <string>   // std::string
#include <vector>   // std::vector

#include "params.hpp"
#include "platform.hpp"
#include "run_result.hpp"  // lock_stretch
#include "run_control.hpp"

namespace parlab {

/// A file a task opens: its path and whether the task creates it (else it reads it).
struct task_file {
    std::string path;
    bool create = false;

    bool operator==(const task_file&) const = default;
};

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

    /// The value of the workload's shared counter as this process sees it now (the counter workload); nothing for
    /// workloads without one. Read after a run, it is what the run left in the parent's memory.
    [[nodiscard]] virtual std::optional<std::uint64_t> get_counter_value() const { return std::nullopt; }

    /// Every hold and wait of the workload's lab locks so far, in seconds since run_start (the deadlock workload); none
    /// for workloads without them. Read after a run, in the process that ran it.
    [[nodiscard]] virtual std::vector<lock_stretch> get_lock_stretches(platform::clock::time_point run_start) const {
        static_cast<void>(run_start);
        return {};
    }

    /// The files task i opens, in the order it opens them: those it reads (prepare_task(i) creates them) and those
    /// it creates. Empty for workloads without files. In wasm a file must be opened (asynchronously, by the page)
    /// before the task runs: this list is what the page opens.
    [[nodiscard]] virtual std::vector<task_file> get_task_files(std::size_t task) const {
        static_cast<void>(task);
        return {};
    }

    /// Writes the files task i reads (those get_task_files(i) lists with create false), untimed, before a run. A
    /// workload whose files are made when it is built (natively: see platform::files_open_synchronously) needs no
    /// call; nothing for workloads without files.
    virtual void prepare_task(std::size_t task) const { static_cast<void>(task); }

    /// True if each task's record should carry the memory in use when it ended (rss_kib): the cv job's log.
    [[nodiscard]] virtual bool records_memory() const { return false; }

    // The payload of a task, for modes with separate memory (a process pool): the input bytes a worker is sent
    // and the output bytes it sends back. Modes that share memory call compute() on the held data instead.
    // A workload without a payload (both sizes 0) is computed from its parameters alone.

    /// Bytes of input task i sends to a worker with its own memory; 0: none.
    [[nodiscard]] virtual std::size_t get_input_bytes(std::size_t task) const {
        static_cast<void>(task);
        return 0;
    }
    /// Writes task i's input (exactly get_input_bytes(task) bytes) into out.
    virtual void write_input(std::size_t task, std::span<std::uint8_t> out) const {
        static_cast<void>(task);
        static_cast<void>(out);
    }
    /// Bytes of output a worker sends back for task i; 0: none (only the task value travels).
    [[nodiscard]] virtual std::size_t get_output_bytes(std::size_t task) const {
        static_cast<void>(task);
        return 0;
    }
    /// Computes task i from input alone (what write_input wrote, maybe in another process), fills output
    /// (get_output_bytes(task) bytes) and returns the task's value, equal to compute(task). Without a payload:
    /// compute(task).
    [[nodiscard]] virtual std::uint64_t compute_from_input(std::size_t task, std::span<const std::uint8_t> input,
                                                           std::span<std::uint8_t> output,
                                                           const run_control& control) const {
        static_cast<void>(input);
        static_cast<void>(output);
        return compute(task, control);
    }
    /// The task's value from the output bytes a worker sent back (the receiving side's reduction). Only for
    /// workloads with output bytes; the default throws std::logic_error.
    [[nodiscard]] virtual std::uint64_t read_output(std::size_t task, std::span<const std::uint8_t> output) const {
        static_cast<void>(output);
        throw std::logic_error("task " + std::to_string(task) + " has no output payload");
    }

    /// The parameters make_workload built it from (an executor that rebuilds it elsewhere sends them: the MPI
    /// ranks); nullptr for a workload built another way.
    [[nodiscard]] const workload_params* get_params() const { return params_ ? &*params_ : nullptr; }

private:
    friend std::unique_ptr<workload> make_workload(const workload_params& params, bool hold_data);
    std::optional<workload_params> params_;
};

/// Builds the workload the parameters describe (they are already checked by parse_params). With crash_task
/// set, task crash_task's compute() crashes as crash_how says: throws std::runtime_error ("throw"), calls
/// std::abort() ("abort", SIGABRT) or std::_Exit(3) ("exit"); the last two end the process that runs it.
/// hold_data false: a receiver that computes only from input it is given (compute_from_input), without building
/// the data the input comes from (a browser process worker); only the overhead workload holds such data.
[[nodiscard]] std::unique_ptr<workload> make_workload(const workload_params& params, bool hold_data = true);

}  // namespace parlab
