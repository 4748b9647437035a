// parlab_bench: the native rows of docs/performance.md, measured with Google Benchmark.
//
//   thread_pool/empty_task       submit + complete one empty task on the thread pool (batches of 1000)
//   thread_pool/round_trip       submit one empty task and wait for it (latency, not throughput)
//   threads_executor/empty_task  the same through the executor (timing + task_record per task)
//   process_pool/round_trip      one empty task sent to a worker process and its answer read back
//   process_pool/startup         starting a process pool of N workers (fork + each child's "ready")
//   floor/condvar_handover       the machine's floor for a thread round trip: one thread wakes another through a
//                                condition variable and waits until it answers the same way
//   floor/pipe_ping_pong         the floor for a process round trip: a 4-byte request down a pipe to a forked child,
//                                a 64-byte answer back up another (no pool, no records)
//   floor/fork_handshake         the floor for starting a worker: fork, and the child's first byte read from a pipe
//                                (the reap after it is measured apart, in reap_us, as the pool's teardown is)
//   floor/task_clocks            what recording one task costs in clock reads alone: start, end, the thread's CPU clock
//   chunked_primes/<mode>        primes, shape chunked (n 2000000, 64 chunks), 1..hardware concurrency workers
//   lab/<workload>/<params>/<mode>/workers:<n>
//                                one whole run of each lab workload in each mode, named so that the page's Upload
//                                maps it onto the lab's runs (docs/results-format.md, "Files from other tools"):
//                                <params> is the parameters as key=value joined by '&' (lists with ','); the
//                                checksum is in the counters checksum_hi and checksum_lo (its upper and lower 32
//                                bits, so that each is exact in a double) and the task count in task_count.
//
// Every benchmark measures wall-clock time (UseRealTime or manual time), since the work happens in other
// threads or processes. Per-item figures are in the counters (per_task_us, per_worker_us); scripts/bench.mjs
// reads them from --benchmark_format=json. Nothing here asserts a timing.
#include <benchmark/benchmark.h>

#include <algorithm>  // std::max
#include <atomic>     // std::atomic
#include <chrono>     // std::chrono
#include <cstring>    // std::memcpy
#include <condition_variable>  // std::condition_variable
#include <mutex>      // std::mutex
#include <string>     // std::string
#include <thread>     // std::thread

#include <sys/wait.h>  // waitpid
#include <unistd.h>    // _exit

#include "executor.hpp"
#include "posix/child.hpp"
#include "posix/fd.hpp"
#include "posix/signals.hpp"
#include "process_pool.hpp"
#include "run.hpp"
#include "thread_pool.hpp"

namespace parlab {
namespace {

/// count tasks that do nothing but return their number: the executor's own cost per task.
class empty_workload final : public workload {
public:
    explicit empty_workload(std::size_t count) : count_(count) {}
    [[nodiscard]] std::size_t get_task_count() const override { return count_; }
    [[nodiscard]] std::uint64_t compute(std::size_t task, const run_control&) const override { return task; }
    [[nodiscard]] std::string describe(std::size_t task) const override { return "empty " + std::to_string(task); }

private:
    std::size_t count_;
};

double seconds_since(platform::clock::time_point start) {
    return std::chrono::duration<double>(platform::clock::now() - start).count();
}

unsigned hardware_workers() { return std::max(1U, platform::get_hardware_concurrency()); }

constexpr std::int64_t tasks_per_batch = 1000;

/// Microseconds per item: a rate counter, inverted (seconds per item), scaled so that the unit is 1 us.
/// The rate is taken over the benchmark's time (real or manual time, as the benchmark says).
benchmark::Counter per_item_us(std::int64_t items) {
    return benchmark::Counter(static_cast<double>(items) * 1e-6, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

/// Per-task cost of the bare thread pool: batches of empty tasks, then wait(). Arg: threads.
void bm_thread_pool_empty_task(benchmark::State& state) {
    thread_pool pool(static_cast<unsigned>(state.range(0)));
    std::atomic<std::int64_t> ran{0};
    for (auto _ : state) {
        for (std::int64_t i = 0; i < tasks_per_batch; ++i)
            pool.submit([&ran] { ran.fetch_add(1, std::memory_order_relaxed); });
        pool.wait();
    }
    const auto tasks = state.iterations() * tasks_per_batch;
    state.SetItemsProcessed(tasks);
    state.counters["per_task_us"] = per_item_us(tasks);
    if (ran.load() != tasks) state.SkipWithError("not every task ran");
}

/// Latency of one empty task: submit, then wait until it has run (a sleeping worker must be woken).
void bm_thread_pool_round_trip(benchmark::State& state) {
    thread_pool pool(static_cast<unsigned>(state.range(0)));
    for (auto _ : state) {
        pool.submit([] {});
        pool.wait();
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["per_task_us"] = per_item_us(state.iterations());
}

/// Per-task cost of the threads executor: pool start-up excluded, run_one_task's clocks and records included.
void bm_threads_executor_empty_task(benchmark::State& state) {
    const auto workers = static_cast<unsigned>(state.range(0));
    const empty_workload work(static_cast<std::size_t>(tasks_per_batch) * 10);
    auto exec = make_portable_executor("threads", workers);
    run_control control;
    for (auto _ : state) {
        const auto start = platform::clock::now();
        const execution done = exec->execute(work, control, start);
        const double seconds = seconds_since(start);
        if (done.tasks.size() != work.get_task_count()) state.SkipWithError("not every task ran");
        state.SetIterationTime(seconds - done.startup_s);
    }
    const auto tasks = state.iterations() * static_cast<std::int64_t>(work.get_task_count());
    state.SetItemsProcessed(tasks);
    state.counters["per_task_us"] = per_item_us(tasks);
}

/// Round trip of an empty task through the process pool: the parent writes a task number to a child's
/// pipe, the child runs it and writes its answer back. Start-up and teardown are excluded. Arg: workers.
void bm_process_pool_round_trip(benchmark::State& state) {
    const auto workers = static_cast<unsigned>(state.range(0));
    const empty_workload work(static_cast<std::size_t>(tasks_per_batch) * 5);
    auto exec = make_native_executor("processes", workers);
    run_control control;
    for (auto _ : state) {
        const auto start = platform::clock::now();
        const execution done = exec->execute(work, control, start);
        if (!done.error.empty() || done.tasks.size() != work.get_task_count()) {
            state.SkipWithError(done.error.empty() ? "not every task ran" : done.error.c_str());
            break;
        }
        double last_end = 0;
        for (const auto& t : done.tasks) last_end = std::max(last_end, t.end_s);  // the children's clock
        state.SetIterationTime(std::max(last_end - done.startup_s, 1e-9));
    }
    const auto tasks = state.iterations() * static_cast<std::int64_t>(work.get_task_count());
    state.SetItemsProcessed(tasks);
    state.counters["per_task_us"] = per_item_us(tasks);
}

/// Start-up of a process pool of N workers: from execute()'s start until every child said it is ready.
/// Teardown (closing the pipes, reaping) is measured apart, in teardown_us. Arg: workers.
void bm_process_pool_startup(benchmark::State& state) {
    const auto workers = static_cast<unsigned>(state.range(0));
    const empty_workload work(0);
    auto exec = make_native_executor("processes", workers);
    run_control control;
    double teardown = 0;
    for (auto _ : state) {
        const auto start = platform::clock::now();
        const execution done = exec->execute(work, control, start);
        const double seconds = seconds_since(start);
        if (!done.error.empty()) {
            state.SkipWithError(done.error.c_str());
            break;
        }
        teardown += seconds - done.startup_s;
        state.SetIterationTime(done.startup_s);
    }
    const auto iterations = static_cast<double>(state.iterations());
    state.counters["workers"] = workers;  // integer-valued; the harness reads it back
    state.counters["per_worker_us"] = per_item_us(state.iterations() * workers);
    state.counters["teardown_us"] = iterations > 0 ? teardown / iterations * 1e6 : 0;
}

/// Floor of a thread round trip: the main thread hands a counter to a second thread through one condition
/// variable and waits for it to come back incremented, as thread_pool/round_trip's submit-then-wait does with work.
void bm_floor_condvar_handover(benchmark::State& state) {
    std::mutex mutex;
    std::condition_variable changed;
    std::int64_t turn = 0;  // even: the main thread's turn; odd: the other thread's
    bool quit = false;
    std::thread other([&] {
        std::unique_lock lock(mutex);
        while (true) {
            changed.wait(lock, [&] { return quit || turn % 2 == 1; });
            if (quit) return;
            ++turn;
            changed.notify_all();
        }
    });
    for (auto _ : state) {
        std::unique_lock lock(mutex);
        ++turn;
        changed.notify_all();
        changed.wait(lock, [&] { return turn % 2 == 0; });
    }
    {
        const std::lock_guard lock(mutex);
        quit = true;
    }
    changed.notify_all();
    other.join();
    state.SetItemsProcessed(state.iterations());
    state.counters["per_task_us"] = per_item_us(state.iterations());
    if (turn != 2 * static_cast<std::int64_t>(state.iterations())) state.SkipWithError("a hand-over was lost");
}

/// Floor of a process round trip: a forked child echoes each 4-byte request with a 64-byte answer over two pipes,
/// the sizes of the pool's smallest messages, with nothing else around them.
void bm_floor_pipe_ping_pong(benchmark::State& state) {
    const posix::sigpipe_ignored no_sigpipe;
    posix::pipe_pair request = posix::make_pipe();
    posix::pipe_pair answer = posix::make_pipe();
    const pid_t pid = posix::fork_process();
    if (pid == 0) {
        request.write_end.reset();
        answer.read_end.reset();
        std::uint32_t task = 0;
        char reply[64] = {};
        while (posix::read_all(request.read_end.get(), &task, sizeof task)) {
            std::memcpy(reply, &task, sizeof task);
            if (!posix::write_all(answer.write_end.get(), reply, sizeof reply)) _exit(3);
        }
        _exit(0);
    }
    posix::child_process child(pid);
    request.read_end.reset();
    answer.write_end.reset();
    std::uint32_t task = 0;
    char reply[64] = {};
    for (auto _ : state) {
        ++task;
        std::uint32_t echoed = 0;
        if (!posix::write_all(request.write_end.get(), &task, sizeof task) ||
            !posix::read_all(answer.read_end.get(), reply, sizeof reply)) {
            state.SkipWithError("the child stopped answering");
            break;
        }
        std::memcpy(&echoed, reply, sizeof echoed);
        if (echoed != task) {
            state.SkipWithError("the child echoed another request");
            break;
        }
    }
    request.write_end.reset();  // the child reads end-of-file and exits
    static_cast<void>(child.wait());
    state.SetItemsProcessed(state.iterations());
    state.counters["per_task_us"] = per_item_us(state.iterations());
}

/// Floor of starting a worker: fork a child that writes one byte to a pipe and exits; timed until the parent has
/// read the byte (what the pool's start-up times: fork until "ready"). The reap is timed apart, in reap_us.
void bm_floor_fork_handshake(benchmark::State& state) {
    double reap = 0;
    for (auto _ : state) {
        const auto start = platform::clock::now();
        posix::pipe_pair hello = posix::make_pipe();
        const pid_t pid = posix::fork_process();
        if (pid == 0) {
            const char byte = 'r';
            _exit(posix::write_all(hello.write_end.get(), &byte, 1) ? 0 : 3);
        }
        hello.write_end.reset();
        char byte = 0;
        const bool heard = posix::read_all(hello.read_end.get(), &byte, 1);
        state.SetIterationTime(seconds_since(start));
        const auto reaping = platform::clock::now();
        int status = 0;
        const bool reaped = ::waitpid(pid, &status, 0) == pid;
        reap += seconds_since(reaping);
        if (!heard || byte != 'r' || !reaped) {
            state.SkipWithError("the child did not say hello");
            break;
        }
    }
    const auto iterations = static_cast<double>(state.iterations());
    state.counters["per_worker_us"] = per_item_us(state.iterations());
    state.counters["reap_us"] = iterations > 0 ? reap / iterations * 1e6 : 0;
}

/// The clock reads the executor makes for each task (steady clock at its start and end, the thread's CPU clock
/// once, the previous task's end being the next one's start): where a clock read is a system call, as on a
/// virtual machine whose clock source has no vDSO path, they are most of an empty task's cost.
void bm_floor_task_clocks(benchmark::State& state) {
    double sum = 0;
    for (auto _ : state) {
        const auto start = platform::clock::now();
        sum += platform::get_thread_cpu_seconds();
        benchmark::DoNotOptimize(platform::clock::now() - start);
    }
    benchmark::DoNotOptimize(sum);
    state.SetItemsProcessed(state.iterations());
    state.counters["per_task_us"] = per_item_us(state.iterations());
}

/// One whole run of chunked primes (n 2000000, 64 chunks), as `parlab run` does it. Args: workers.
template <const char* Mode>
void bm_chunked_primes(benchmark::State& state) {
    const auto workers = static_cast<unsigned>(state.range(0));
    const auto params = parse_params("primes", {{"shape", "chunked"}, {"n", "2000000"}, {"chunks", "64"}});
    auto exec = make_native_executor(Mode, workers);
    run_control control;
    for (auto _ : state) {
        const run_result run = run_workload(params, *exec, control);
        if (!run.ok || !run.complete) {
            state.SkipWithError(run.error.empty() ? "incomplete run" : run.error.c_str());
            break;
        }
        benchmark::DoNotOptimize(run.checksum);
    }
    state.counters["workers"] = workers;
}

constexpr char sequential_mode[] = "sequential";
constexpr char threads_mode[] = "threads";
constexpr char processes_mode[] = "processes";

/// 1, 2, 4, ... up to the hardware concurrency, which is always included.
void worker_counts(benchmark::internal::Benchmark* b) {
    const unsigned most = hardware_workers();
    for (unsigned w = 1; w < most; w *= 2) b->Arg(w);
    b->Arg(most);
}

/// One whole run of a lab workload, as `parlab run` does it; the checksum goes into two exact counters.
/// Args: workers.
void bm_lab_run(benchmark::State& state, const workload_params& params, const std::string& mode) {
    const auto workers = static_cast<unsigned>(state.range(0));
    auto exec = make_native_executor(mode, workers);
    run_control control;
    std::uint64_t checksum = 0;
    std::size_t task_count = 0;
    for (auto _ : state) {
        const run_result run = run_workload(params, *exec, control);
        if (!run.ok || !run.complete) {
            state.SkipWithError(run.error.empty() ? "incomplete run" : run.error.c_str());
            break;
        }
        checksum = run.checksum;
        task_count = run.task_count;
        benchmark::DoNotOptimize(checksum);
    }
    state.counters["workers"] = workers;
    state.counters["task_count"] = static_cast<double>(task_count);
    state.counters["checksum_hi"] = static_cast<double>(checksum >> 32U);
    state.counters["checksum_lo"] = static_cast<double>(checksum & 0xffffffffU);
}

/// The lab's workloads as benchmarked: sized for a fraction of a second each; download's latency is simulated
/// (waited without CPU) and kept short so that a sequential run does not dominate.
const std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>>& lab_cases() {
    static const std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> cases = {
        {"primes", {{"shape", "chunked"}, {"n", "2000000"}, {"chunks", "64"}}},
        {"download", {{"count", "12"}, {"latency_ms", "20"}}},
        {"factorials", {{"inputs", "10,20,30,40,50"}, {"repeat", "200"}}},
    };
    return cases;
}

/// Registers lab/<workload>/<params>/<mode>/workers:N for every case and mode (sequential with 1 worker).
void register_lab_benchmarks() {
    for (const auto& [workload, values] : lab_cases()) {
        std::string query;
        for (const auto& [key, value] : values) query += (query.empty() ? "" : "&") + key + "=" + value;
        const auto params = parse_params(workload, std::map<std::string, std::string>(values.begin(), values.end()));
        for (const std::string mode : {"sequential", "threads", "threads-gil", "async", "processes"}) {
            auto* b = benchmark::RegisterBenchmark(("lab/" + workload + "/" + query + "/" + mode).c_str(),
                                                   [params, mode](benchmark::State& st) { bm_lab_run(st, params, mode); });
            b->ArgName("workers")->UseRealTime()->Unit(benchmark::kMillisecond);
            if (mode == "sequential") b->Arg(1);
            else b->Apply(worker_counts);
        }
    }
}

BENCHMARK(bm_thread_pool_empty_task)->Name("thread_pool/empty_task")->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime();
BENCHMARK(bm_thread_pool_round_trip)->Name("thread_pool/round_trip")->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime();
BENCHMARK(bm_threads_executor_empty_task)
    ->Name("threads_executor/empty_task")->ArgName("workers")->Arg(1)->Arg(2)->UseManualTime();
BENCHMARK(bm_process_pool_round_trip)
    ->Name("process_pool/round_trip")->ArgName("workers")->Arg(1)->Arg(2)->UseManualTime();
BENCHMARK(bm_process_pool_startup)
    ->Name("process_pool/startup")->ArgName("workers")->Arg(1)->Arg(2)->Arg(4)->Arg(8)->Arg(16)->UseManualTime();
BENCHMARK(bm_floor_condvar_handover)->Name("floor/condvar_handover")->UseRealTime();
BENCHMARK(bm_floor_pipe_ping_pong)->Name("floor/pipe_ping_pong")->UseRealTime();
BENCHMARK(bm_floor_fork_handshake)->Name("floor/fork_handshake")->UseManualTime();
BENCHMARK(bm_floor_task_clocks)->Name("floor/task_clocks")->UseRealTime();
BENCHMARK(bm_chunked_primes<sequential_mode>)
    ->Name("chunked_primes/sequential")->ArgName("workers")->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(bm_chunked_primes<threads_mode>)
    ->Name("chunked_primes/threads")->ArgName("workers")->Apply(worker_counts)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(bm_chunked_primes<processes_mode>)
    ->Name("chunked_primes/processes")->ArgName("workers")->Apply(worker_counts)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace parlab

int main(int argc, char** argv) {
    parlab::register_lab_benchmarks();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
