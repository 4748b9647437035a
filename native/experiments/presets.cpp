// The presets' plans (one per lesson card), each step a typed job, and the command line each job is the same as.
#include "experiments/presets.hpp"

#include <algorithm>  // std::clamp, std::max, std::min, std::sort, std::unique
#include <array>      // std::array
#include <map>        // std::map
#include <sstream>    // std::ostringstream
#include <stdexcept>  // std::logic_error
#include <utility>    // std::pair

#include "commands/usage_error.hpp"  // flag_name
#include "executor.hpp"              // max_workers

namespace parlab {

namespace {

/// Workload parameters as their flags take them, in the order the step's command line names them.
using param_list = std::vector<std::pair<std::string, std::string>>;

/// The preset's own parameters, checked by the core like any others (a plan out of bounds is a bug here).
workload_params make_params(const std::string& workload, const param_list& params) {
    try {
        return parse_params(workload, std::map<std::string, std::string>(params.begin(), params.end()));
    } catch (const invalid_argument_error& e) {
        throw std::logic_error("an experiment preset's " + workload + " parameters: " + e.what());
    }
}

std::vector<std::string> names_of(const param_list& params) {
    std::vector<std::string> names;
    for (const auto& [name, value] : params) names.push_back(name);
    return names;
}

experiment_step sweep(const std::string& workload, const param_list& params, std::vector<std::string> modes,
                      std::vector<unsigned> workers, std::string note) {
    grid_job job;
    job.params = make_params(workload, params);
    job.modes = std::move(modes);
    job.workers = std::move(workers);
    return {std::move(job), "sweep", names_of(params), false, std::move(note)};
}

experiment_step run(const std::string& workload, const param_list& params, const std::string& mode, unsigned workers,
                    worker_death_policy on_death, bool own_process, std::string note) {
    grid_job job;
    job.params = make_params(workload, params);
    job.modes = {mode};
    job.workers = {workers};
    job.on_worker_death = on_death;
    return {std::move(job), "run", names_of(params), own_process, std::move(note)};
}

/// A `parlab cv` step (8 CVs, 200 ms simulated downloads, 4000-kilopixel pages) with each phase's mode and workers.
experiment_step cv(const std::string& gather_mode, unsigned gather_workers, const std::string& render_mode,
                   unsigned render_workers, std::string note) {
    const param_list params = {{"count", "8"}, {"latency_ms", "200"}, {"page_kpx", "4000"}};
    cv_job job = make_cv_job(std::map<std::string, std::string>(params.begin(), params.end()));
    job.gather_mode = gather_mode;
    job.gather_workers = gather_workers;
    job.render_mode = render_mode;
    job.render_workers = render_workers;
    return {std::move(job), "cv", names_of(params), false, std::move(note)};
}

experiment_step ipc_hello(std::string note) { return {ipc_job{}, "ipc", {}, false, std::move(note)}; }

experiment_step ipc_throughput(std::uint64_t size, std::uint64_t count, std::string note) {
    ipc_job job;
    job.hello = false;
    job.throughput.size = size;
    job.throughput.count = count;
    return {std::move(job), "ipc", {}, false, std::move(note)};
}

/// The upper bound of a workload parameter, read from the core's one table (params.cpp).
unsigned get_param_max(std::string_view workload, std::string_view name) {
    for (const auto& spec : get_param_specs())
        if (spec.workload == workload && spec.name == name) return static_cast<unsigned>(spec.max);
    throw std::logic_error("no parameter " + std::string(name) + " for " + std::string(workload));
}

/// a / b rounded to the nearest integer, halves up (JavaScript's Math.round for these positive values).
unsigned round_div(unsigned a, unsigned b) { return (2 * a + b) / (2 * b); }

/// Sorted, duplicates removed, each at most `cap`.
std::vector<unsigned> uniq(std::vector<unsigned> counts, unsigned cap = max_workers) {
    for (auto& n : counts) n = std::min(n, cap);
    std::sort(counts.begin(), counts.end());
    counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
    return counts;
}

/// "1,2,4" (any items that stream).
template <class Item>
std::string list_text(const std::vector<Item>& items) {
    std::ostringstream out;
    for (std::size_t i = 0; i < items.size(); ++i) out << (i ? "," : "") << items[i];
    return out.str();
}

/// A parameter's value as its flag takes it.
std::string value_text(const workload_params& params, const std::string& name) {
    const param_value& value = params.values.at(name);
    if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
    if (const auto* s = std::get_if<std::string>(&value)) return *s;
    if (const auto* list = std::get_if<std::vector<std::int64_t>>(&value)) return list_text(*list);
    std::ostringstream out;
    out.precision(15);
    out << std::get<double>(value);
    return out.str();
}

void add_params(std::vector<std::string>& args, const workload_params& params, const std::vector<std::string>& names) {
    for (const auto& name : names) args.insert(args.end(), {flag_name(name), value_text(params, name)});
}

}  // namespace

std::vector<std::string> experiment_step::get_args() const {
    std::vector<std::string> args{std::string(command)};
    if (const auto* ipc = std::get_if<ipc_job>(&job)) {
        if (ipc->hello) args.emplace_back("hello");
        else
            args.insert(args.end(), {"throughput", "--size", std::to_string(ipc->throughput.size), "--count",
                                     std::to_string(ipc->throughput.count)});
    } else if (const auto* grid = std::get_if<grid_job>(&job)) {
        args.insert(args.end(), {"--workload", grid->params.workload});
        add_params(args, grid->params, shown_params);
        if (command == "sweep") {
            args.insert(args.end(), {"--modes", list_text(grid->modes), "--workers", list_text(grid->workers)});
        } else {
            args.insert(args.end(), {"--mode", grid->modes.front(), "--workers", std::to_string(grid->workers.front())});
            if (grid->on_worker_death == worker_death_policy::respawn)
                args.insert(args.end(), {"--on-worker-death", "respawn"});
        }
    } else {
        const auto& two_phase = std::get<cv_job>(job);
        add_params(args, two_phase.gather, shown_params);
        args.insert(args.end(), {"--gather-mode", two_phase.gather_mode, "--gather-workers",
                                 std::to_string(two_phase.gather_workers), "--render-mode", two_phase.render_mode,
                                 "--render-workers", std::to_string(two_phase.render_workers)});
    }
    return args;
}

std::string experiment_step::get_command_line() const {
    std::string line = "parlab";
    for (const auto& arg : get_args()) line += " " + arg;
    return line;
}

std::vector<experiment_preset> get_experiment_presets(unsigned cpus) {
    const unsigned c = std::clamp(cpus, 1U, max_plan_cpus);
    const unsigned half = std::max(1U, c / 2);
    const unsigned max_downloads = get_param_max("download", "count");
    const unsigned max_chunks = get_param_max("primes", "chunks");

    // io-threads: well past C downloads, each wait short enough that the sequential run stays near 2.4 s.
    const unsigned io_count = std::min(std::max(12U, 4 * c), max_downloads);
    // At least 20 ms: a wait must outlast starting hundreds of threads, or 4C threads measure thread start-up.
    const unsigned io_latency = std::clamp(round_div(2400, io_count), 20U, 200U);
    const unsigned io_cap = std::min(io_count, max_workers);
    const auto io_workers = uniq({std::clamp(2U, 2U, io_cap), std::clamp(c, 2U, io_cap), std::clamp(2 * c, 2U, io_cap),
                                  std::clamp(4 * c, 2U, io_cap)});

    // oversubscription: 1, C/2, C, 2C, 4C workers, enough chunks (CPU) and a download for each of the most workers
    // (I/O); the downloads' latency keeps the 1-worker run near 3.2 s, and at least 20 ms (as for io-threads).
    const auto over_workers = uniq({1U, half, c, 2 * c, 4 * c}, max_workers);
    const unsigned over_chunks = std::min(std::max(64U, 4 * over_workers.back()), max_chunks);
    const unsigned over_count = std::min(std::max(32U, over_workers.back()), max_downloads);
    const unsigned over_latency = std::clamp(3200 / over_count, 20U, 100U);

    // amdahl: 1, 2, C/2, C, 2C workers on the parallel part, at least 4 equal chunks per worker.
    const auto amdahl_workers = uniq({1U, 2U, half, c, 2 * c}, max_workers);
    const unsigned amdahl_chunks = std::min(std::max(64U, 4 * amdahl_workers.back()), max_chunks);

    const unsigned tiny_workers = std::max(2U, std::min(c, 8U));
    // races: one task per worker, 2 to 4 workers (a race needs two; more only lengthens the mutex runs).
    const unsigned race_workers = std::clamp(c, 2U, 4U);
    // copy: one file per worker at most 4 (a disk, not the CPUs, is what the copies share).
    const auto copy_workers = uniq({2U, std::clamp(c, 2U, 4U)});
    const param_list copy_files = {{"files", "4"}, {"file_mib", "32"}};
    // responsiveness: one job and 10 timers, all in flight at once (a worker each), whatever the CPUs: the lesson is
    // where the timers run, not how many cores there are.
    const param_list timer_job = {{"timers", "10"}, {"period_ms", "20"}, {"job_limit", "2000000"}};
    const unsigned gather_workers = std::min(std::max(8U, 2 * c), max_workers);
    const unsigned render_workers = std::min(std::max(2U, c), max_workers);
    const std::string cpus_text = std::to_string(c) + " CPU" + (c == 1 ? "" : "s");
    const auto text = [](unsigned n) { return std::to_string(n); };
    const param_list io_downloads = {
        {"count", text(io_count)}, {"latency_ms", text(io_latency)}, {"work_kib", "16"}};
    const param_list tiny = {{"items", "20000"}, {"item_bytes", "256"}, {"chunk", "1"}};
    const param_list crashing = {{"shape", "chunked"}, {"n", "2000000"},    {"chunks", "16"},
                                 {"crash_task", "3"},  {"crash_how", "abort"}};
    const param_list opposite = {{"lock_order", "opposite"}, {"hold_ms", "100"}};
    const auto fail = worker_death_policy::fail;
    const auto race = [&](const char* sync, const char* shared = "0") {
        return param_list{{"count", text(race_workers)}, {"increments", "2000000"}, {"sync", sync}, {"shared", shared}};
    };

    return {
        {"io-threads", "I/O-bound work and threads", "01-io-bound-threads.md",
         {sweep("download", io_downloads, {"sequential", "threads", "async"}, io_workers,
                text(io_count) + " downloads of " + text(io_latency) +
                    " ms simulated latency: sequential, threads and async (one thread), up to " +
                    text(io_workers.back()) + " workers on " + cpus_text),
          sweep("download", io_downloads, {"threads-gil"}, {io_workers.back()},
                "the same downloads on threads under a simulated interpreter lock (CPython): a waiting thread lets go "
                "of it")}},
        {"cpu-gil", "CPU-bound work: threads, the interpreter lock, processes", "02-cpu-bound-gil.md",
         {sweep("primes", {{"inputs", "1000000,2000000,3000000"}}, {"sequential", "threads", "threads-gil", "processes"},
                {2, 3}, "sum of primes up to 1, 2 and 3 million (the texts' experiment 3); the pool hands tasks out in order"),
          sweep("primes", {{"inputs", "3000000,2000000,1000000"}}, {"threads"}, {2, 3},
                "largest task first: the same three tasks, the longest handed out first")}},
        {"tiny-tasks", "Tiny tasks, process overhead and chunking", "03-tiny-tasks-chunking.md",
         {sweep("overhead", tiny, {"sequential", "threads"}, {2},
                "a cheap function over 20,000 items of 256 bytes, one item per task: sequential and 2 threads"),
          sweep("overhead", tiny, {"processes"}, {tiny_workers},
                "the same on processes: one message to a process per item"),
          sweep("overhead", {{"items", "20000"}, {"item_bytes", "256"}, {"chunk", "1000"}}, {"sequential", "processes"},
                {tiny_workers}, "the same items in chunks of 1000: one message per 1000 items")}},
        {"two-phase", "A two-phase job: download, then render", "04-two-phase-job.md",
         {cv("sequential", 1, "sequential", 1, "both phases sequential (the texts' \"common\" way)"),
          cv("threads", gather_workers, "threads", render_workers,
             "threads for both phases (C++ threads: no interpreter lock)"),
          cv("threads", gather_workers, "threads-gil", render_workers,
             "threads for both, under a simulated interpreter lock (CPython)"),
          cv("threads", gather_workers, "processes", render_workers,
             "threads for the downloads, processes for the rendering")}},
        {"pipes-queues", "Pipes and queues between processes", "05-pipes-queues.md",
         {ipc_hello("a forked child says hello to its parent through a pipe"),
          ipc_throughput(64, 20000, "small messages over a pipe and a queue, between processes and between threads")}},
        {"oversubscription", "More workers than cores", "06-more-workers-than-cores.md",
         {sweep("primes", {{"shape", "chunked"}, {"n", "5000000"}, {"chunks", text(over_chunks)}},
                {"threads", "processes"}, over_workers,
                "CPU-bound: speed-up stops at the number of cores (" + cpus_text + " in this plan)"),
          sweep("download", {{"count", text(over_count)}, {"latency_ms", text(over_latency)}, {"work_kib", "16"}},
                {"threads"}, over_workers, "I/O-bound: speed-up goes on far past the number of cores")}},
        {"amdahl", "The serial part: Amdahl's law", "07-serial-part-amdahl.md",
         {sweep("primes", {{"inputs", "2000000"}}, {"sequential"}, {1},
                "the serial part: primes up to 2 million, run alone (nothing else runs beside it)"),
          sweep("primes", {{"shape", "chunked"}, {"n", "5000000"}, {"chunks", text(amdahl_chunks)}}, {"threads"},
                amdahl_workers,
                "the parallel part: primes up to 5 million in " + text(amdahl_chunks) + " equal chunks, on 1 to " +
                    text(amdahl_workers.back()) + " threads")}},
        {"async", "Concurrency without parallelism: async", "08-async-concurrency.md",
         {sweep("download", {{"count", "12"}, {"latency_ms", "200"}, {"work_kib", "16"}}, {"sequential", "async"},
                {12}, "I/O-bound: an event loop overlaps the waits"),
          sweep("primes", {{"inputs", "1000000,2000000,3000000"}}, {"sequential", "async"}, {3},
                "CPU-bound: one thread computes one task at a time")}},
        {"isolation", "Isolation: a crashing worker", "09-isolation-crash.md",
         {run("primes", crashing, "processes", 2, worker_death_policy::respawn, false,
              "processes: task 3 aborts its worker process; the worker is replaced and only task 3 is lost"),
          run("primes", crashing, "threads", 2, fail, true,
              "threads: task 3 aborts, and with it the whole program (run in a child process here, so this one "
              "survives to tell)")}},
        {"races", "Races and locks: a shared counter", "11-races-and-locks.md",
         {sweep("counter", race("none"), {"sequential", "threads", "threads-gil"}, {race_workers},
                text(race_workers) + " tasks each add 1 to one counter 2,000,000 times with no synchronisation: a load, "
                                     "then a store"),
          sweep("counter", race("atomic"), {"threads"}, {race_workers}, "the same with an atomic fetch_add"),
          sweep("counter", race("mutex"), {"threads"}, {race_workers}, "the same with a mutex around each add"),
          sweep("counter", race("local"), {"threads"}, {race_workers},
                "each task counts in a local variable and adds its total once"),
          sweep("counter", race("atomic"), {"processes"}, {race_workers},
                "processes: each adds to its own copy of the counter, so the parent's stays 0"),
          sweep("counter", race("none", "1"), {"processes"}, {race_workers},
                "processes with the counter in shared memory (mmap MAP_SHARED): they race like threads")}},
        {"deadlock", "Deadlock: two locks in opposite orders", "12-deadlock.md",
         {run("deadlock", opposite, "threads", 2, fail, false,
              "threads, opposite orders: each thread holds one lock and waits for the other's; the lab's locks "
              "name the deadlock and the run fails"),
          run("deadlock", {{"lock_order", "consistent"}, {"hold_ms", "100"}}, "threads", 2, fail, false,
              "threads, one order (A before B): no cycle of waits, both tasks finish"),
          run("deadlock", opposite, "processes", 2, fail, false,
              "processes, opposite orders: each process has its own locks, so both finish")}},
        {"responsiveness", "Responsiveness: timers while a CPU-bound job runs", "13-responsiveness.md",
         {sweep("timers", timer_job, {"async"}, {11},
                "an event loop (one thread, as asyncio or a GUI's loop): the job computes first, and each of 10 timers "
                "due every 20 ms meanwhile waits until it ends"),
          sweep("timers", timer_job, {"threads", "threads-gil", "processes"}, {11},
                "the job on its own thread or process: the timers run on time; under a simulated interpreter lock "
                "each waits for the job to hand the lock over (the switch interval)")}},
        {"copy", "Copying real files: threads, processes and the page cache", "14-copy-files.md",
         {sweep("copy", copy_files, {"sequential", "threads", "processes"}, copy_workers,
                "4 files of 32 MiB, freshly written: the sources are in the page cache (memory), and so are the copies"),
          sweep("copy", {{"files", "4"}, {"file_mib", "32"}, {"cold", "1"}}, {"sequential", "threads", "processes"},
                copy_workers, "the same with the sources dropped from the page cache first: the reads go to the disk"),
          sweep("copy", {{"files", "4"}, {"file_mib", "32"}, {"fsync", "1"}}, {"sequential", "threads", "processes"},
                copy_workers, "the same with an fsync after each copy: every write waits for the disk")}},
    };
}

}  // namespace parlab
