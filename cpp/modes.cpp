// The table of modes.
#include "modes.hpp"

namespace parlab {

const std::vector<mode_spec>& get_mode_specs() {
    static const std::vector<mode_spec> specs = {
        {"sequential", false, false, false, true, false, "sequential",
         "one worker runs every task in order (workers must be 1)"},
        {"threads", true, false, false, false, false, "threads (shared memory)",
         "a pool of threads sharing one memory"},
        {"threads-gil", true, false, false, false, true,
         "threads-gil: threads under a simulated interpreter lock (like CPython)",
         "the same threads, but a task computes only while its thread holds one simulated interpreter lock (like "
         "CPython's GIL); waits on simulated latency release it"},
        {"async", false, false, true, false, false, "async: one thread, an event loop",
         "one thread with an event loop (like asyncio): up to 'workers' tasks in flight, their waits overlap, their "
         "computations run one at a time"},
        {"processes", false, true, false, false, false, "processes (own memory each)",
         "a pool of processes, each with its own memory; tasks and results travel through pipes (in the browser: "
         "Web Workers, each with its own WebAssembly instance and memory)"},
    };
    return specs;
}

const mode_spec& get_mpi_mode_spec() {
    static const mode_spec spec = {
        "mpi", false, true, false, false, false, "mpi (ranks of an MPI job)",
        "parlab-mpi under mpirun: rank 0 hands tasks to the other ranks, each a process with its own memory, on one "
        "machine or several, over MPI messages (Open MPI)"};
    return spec;
}

const std::vector<std::string_view>& get_mode_names() {
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> out;
        for (const auto& mode : get_mode_specs()) out.push_back(mode.name);
        return out;
    }();
    return names;
}

}  // namespace parlab
