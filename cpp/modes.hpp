// The modes: the one table of their names and what each needs, and the switch interval's bounds.
#pragma once

#include <string_view>  // std::string_view
#include <vector>       // std::vector

namespace parlab {

/// One mode: its name and what every shell needs to know to offer it.
struct mode_spec {
    std::string_view name;
    bool pthreads;         ///< runs on threads sharing one memory (in the browser: needs the pthreads build)
    bool separate_memory;  ///< each worker has its own memory (process pool, process Web Workers)
    bool slots;            ///< workers are slots on one thread (async), bounded by max_async_workers
    bool one_worker;       ///< always runs with one worker, whatever is asked (sequential)
    bool interpreter_lock; ///< tasks compute only while holding the simulated interpreter lock (switch interval)
    std::string_view label;  ///< a few words for a menu, e.g. "threads (shared memory)"
    std::string_view help;
};

/// Every mode, in display order (get_mode_names() is their names).
[[nodiscard]] const std::vector<mode_spec>& get_mode_specs();

/// Every mode's name, in display order: sequential, threads, threads-gil, async, processes.
[[nodiscard]] const std::vector<std::string_view>& get_mode_names();

/// The mode of parlab-mpi's runs: ranks of an MPI job, one process each, on one host or several, fed tasks by
/// rank 0 over MPI messages. Not one of get_mode_specs(): only parlab-mpi under mpirun runs it (no menu offers it),
/// but results files and the page's uploads carry it.
[[nodiscard]] const mode_spec& get_mpi_mode_spec();

/// Shortest and longest simulated interpreter-lock switch interval (threads-gil), and the default (CPython's).
inline constexpr double min_switch_interval_ms = 0.1;
inline constexpr double max_switch_interval_ms = 1000.0;
inline constexpr double default_switch_interval_ms = 5.0;

}  // namespace parlab
