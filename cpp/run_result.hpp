// What a run produces: per-task records and the run's totals. Reporters only read this.
#pragma once

#include <cstdint>   // std::int64_t, std::uint64_t
#include <optional>  // std::optional
#include <string>    // std::string
#include <utility>   // std::pair
#include <vector>    // std::vector

#include "params.hpp"

namespace parlab {

/// One finished task. Times are seconds since the run's start, on the monotonic clock.
struct task_record {
    std::uint32_t id = 0;         ///< task number, 0..task_count-1
    std::uint32_t worker = 0;     ///< executor's worker index, 0..workers-1
    std::int64_t pid = 0;         ///< process that ran it (wasm: instance id)
    std::uint64_t thread = 0;     ///< OS thread that ran it
    std::string phase;            ///< "compute" or "download"
    double start_s = 0;           ///< task start (before its wait)
    double end_s = 0;             ///< task end
    double wait_s = 0;            ///< part of [start_s, end_s] spent waiting (simulated latency)
    std::optional<double> cpu_s;  ///< CPU time of the computation, where measurable
    /// Tasks with a wait only: how long after its wait was due (start_s + the wait asked) its computation began,
    /// the interpreter lock taken: how late a timer ran (an event loop busy elsewhere, a lock held by another).
    std::optional<double> late_s;
    std::uint64_t value = 0;      ///< the task's result
    /// Memory in use by the process when the task ended, in KiB (platform::get_memory_kib: the resident set
    /// natively, the wasm memory size in the browser); only for workloads that ask (workload::records_memory).
    std::optional<std::int64_t> rss_kib;
    /// threads-gil only: the stretches [start_s, end_s] during which this task held the interpreter lock.
    std::vector<std::pair<double, double>> held;
    /// mpi only: the rank that ran it (worker + 1: rank 0 coordinates) and its host's name (MPI_Get_processor_name).
    std::optional<std::uint32_t> rank;
    std::string host;
};

/// A worker's stretch with one of the lab's named locks (the deadlock workload): holding it, or waiting for it.
/// Times are seconds since the run's start; a stretch still going when the run ended ends then.
struct lock_stretch {
    unsigned worker = 0;  ///< executor's worker index, as in task_record
    std::string lock;     ///< the lock's name, e.g. "A"
    bool held = false;    ///< true: held; false: waited for
    double from_s = 0;
    double to_s = 0;
};

/// A task that has no result although the run went on: its worker process died while running it and was
/// replaced (process pool with on_worker_death = respawn).
struct failed_task {
    std::uint32_t id = 0;
    std::string error;  ///< one line: the worker, its pid, its signal or exit code
};

/// Where a run sits in a job of several runs (the cv factory's phases). The phases of one job share its id.
struct job_info {
    std::string id;  ///< e.g. "cv-2026-11-23T08:00:00Z-1"
    int phase = 1;   ///< 1..phases
    int phases = 1;
};

/// One run: workload + mode + workers, with its timeline.
struct run_result {
    workload_params params;
    std::string mode;
    unsigned workers = 1;
    bool ok = true;
    bool complete = true;        ///< false when stopped before every task finished
    std::string error;           ///< one line when !ok
    std::string started_at;      ///< ISO 8601 UTC
    double wall_s = 0;           ///< whole run, pool start-up included
    double startup_s = 0;        ///< starting the pool's threads or processes
    std::optional<double> cpu_s; ///< sum of the tasks' CPU times, where measurable
    double avg_task_s = 0;       ///< mean of end_s - start_s over finished tasks
    unsigned hardware_concurrency = 1;
    std::size_t task_count = 0;
    std::uint64_t checksum = 0;  ///< sum of task values modulo 2^64
    std::vector<task_record> tasks;  ///< finished tasks, by id
    std::vector<failed_task> failed_tasks;  ///< lost tasks of a run that went on; any makes ok false
    std::optional<double> switch_interval_ms;  ///< threads-gil only: the interpreter lock's switch interval
    std::optional<job_info> job;  ///< set when the run is one phase of a job (parlab cv, the page's two-phase panel)
    /// Modes with separate memory only: bytes copied between the workers and the parent (natively: through the
    /// pipes, requests and answers with their payloads; in the browser: the payloads posted to process workers).
    std::optional<std::uint64_t> bytes_transferred;
    /// Modes with separate memory, in the browser only: how many of the run's process workers were reused warm
    /// from an earlier run (0: all started for this run). Natively every run forks its own, and it is left out.
    std::optional<unsigned> warm_workers;
    /// Counter workload only: the counter's value after the run, in the parent's memory (what the tasks' updates
    /// left there: a process pool's children add to their own copies unless the counter is shared).
    std::optional<std::uint64_t> counter_value;
    /// Counter workload, finished runs only: increments made (the checksum) minus counter_value.
    std::optional<std::int64_t> lost_updates;
    /// Counter workload, finished runs only: the run's time less start-up, per increment made, in nanoseconds.
    std::optional<double> ns_per_increment;
    /// Runs with tasks that wait (timers, downloads): the median and the largest of their tasks' late_s.
    std::optional<double> late_median_s;
    std::optional<double> late_max_s;
    /// Workloads with lab locks (deadlock), shared-memory modes: every hold and wait of their locks, in the order
    /// they began. A deadlocked run finishes no task; these show what each worker held and waited for.
    std::vector<lock_stretch> lock_stretches;
};

/// One host of an MPI job and the ranks that ran on it.
struct mpi_host {
    std::string name;
    std::vector<unsigned> ranks;
};

/// An MPI job (parlab-mpi): the library, how many ranks, and which host ran which.
struct mpi_job {
    std::string library;  ///< the first line of MPI_Get_library_version, e.g. "Open MPI v4.1.4, ..."
    unsigned ranks = 1;
    std::vector<mpi_host> hosts;  ///< in order of their first rank
};

/// The machine and program a results file comes from.
struct environment_info {
    std::string target;  ///< "native" or "wasm"
    std::string os;
    std::optional<std::string> cpu_model;
    unsigned logical_cpus = 1;
    std::string compiler;
    std::optional<std::string> user_agent;
    std::optional<bool> cross_origin_isolated;
    std::optional<mpi_job> mpi;  ///< parlab-mpi only: the job's ranks and hosts (the machine above is rank 0's)
};

}  // namespace parlab
