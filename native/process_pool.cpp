// fork, pipes and waitpid for the process pool; the children run the same run_one_task as the threads do.
#include "process_pool.hpp"

#include <poll.h>          // poll
#include <signal.h>        // SIGKILL
#include <sys/resource.h>  // setrlimit, RLIMIT_CORE
#include <unistd.h>        // _exit

#include <cerrno>   // errno, EINTR
#include <cstring>  // std::strncpy, std::strerror
#include <deque>    // std::deque
#include <span>     // std::span
#include <vector>   // std::vector

#include "linked_modes.hpp"
#include "received_task.hpp"
#include "posix/child.hpp"
#include "posix/fd.hpp"
#include "posix/signals.hpp"

namespace parlab {

namespace {

using posix::read_all;
using posix::write_all;

enum class answer_kind : std::uint32_t { ready, done, failed };

/// The parent's request: a task number and the size of the task's input bytes, which follow it on the pipe
/// (the task's data, copied as a Python pool pickles a task's arguments; none for workloads without a payload).
struct wire_request {
    std::uint32_t task = 0;
    std::uint32_t reserved = 0;
    std::uint64_t input_bytes = 0;
};

/// A child's answer: fixed size and smaller than PIPE_BUF, so every write is atomic. A done answer is followed
/// by output_bytes bytes of output (the per-item results, copied back as a Python pool pickles results).
struct wire_answer {
    answer_kind kind = answer_kind::ready;
    std::uint32_t task = 0;
    std::int64_t pid = 0;
    std::uint64_t thread = 0;
    double start_s = 0;
    double end_s = 0;
    double wait_s = 0;
    double cpu_s = -1;  // negative: unknown
    double late_s = -1;  // negative: not recorded (no wait)
    std::uint64_t value = 0;
    std::uint64_t output_bytes = 0;
    std::int64_t rss_kib = -1;  // negative: not recorded
    char error[256] = {};
};
static_assert(sizeof(wire_answer) <= PIPE_BUF);

/// More output than any task of any workload sends back: an answer that claims more is garbled.
constexpr std::uint64_t max_output_bytes = std::uint64_t{1} << 30;

/// The child's whole life: announce itself, then run each task it is sent (with its input bytes) until its pipe
/// closes, answering with the task's record and its output bytes.
[[noreturn]] void child_main(int request_fd, int answer_fd, const workload& work, unsigned worker,
                             platform::clock::time_point run_start) {
    worker_state who = get_current_worker();  // kept across tasks: no pid, thread or second CPU clock read per task
    wire_answer answer;
    answer.pid = who.pid;
    answer.thread = who.thread;
    if (!write_all(answer_fd, &answer, sizeof answer)) _exit(3);
    const run_control never_cancelled;  // the parent stops a child by killing it
    wire_request request;
    std::vector<std::uint8_t> input;
    std::vector<std::uint8_t> output;
    while (read_all(request_fd, &request, sizeof request)) {
        input.resize(request.input_bytes);
        if (!read_all(request_fd, input.data(), input.size())) _exit(3);
        if (!input.empty()) who.cpu_mark = -1;  // copying the input in is not the task's computation
        answer = wire_answer{};
        answer.task = request.task;
        answer.pid = who.pid;
        try {
            const std::uint32_t task = request.task;
            output.assign(task < work.get_task_count() ? work.get_output_bytes(task) : 0, 0);
            const received_task received(work, input, output);
            const task_record record = run_one_task(received, task, worker, who, never_cancelled, run_start);
            answer.kind = answer_kind::done;
            answer.thread = record.thread;
            answer.start_s = record.start_s;
            answer.end_s = record.end_s;
            answer.wait_s = record.wait_s;
            answer.cpu_s = record.cpu_s.value_or(-1);
            answer.late_s = record.late_s.value_or(-1);
            answer.value = record.value;
            answer.rss_kib = record.rss_kib.value_or(-1);
            answer.output_bytes = output.size();
        } catch (const std::exception& e) {
            answer.kind = answer_kind::failed;
            std::strncpy(answer.error, e.what(), sizeof answer.error - 1);
        } catch (...) {
            answer.kind = answer_kind::failed;
            std::strncpy(answer.error, "unknown exception", sizeof answer.error - 1);
        }
        if (!write_all(answer_fd, &answer, sizeof answer)) _exit(3);
        if (answer.kind == answer_kind::done && !write_all(answer_fd, output.data(), output.size())) _exit(3);
        if (!output.empty() || answer.kind != answer_kind::done) who.cpu_mark = -1;  // nor is copying the output out
    }
    _exit(0);
}

/// One worker process and the parent's ends of its two pipes; the pipes close and the process is reaped on
/// destruction (killed first if it still runs).
struct worker_process {
    posix::child_process process;
    posix::unique_fd request_fd;  // parent writes task numbers
    posix::unique_fd answer_fd;   // parent reads answers
    bool busy = false;            // the parent waits for an answer from it (its "ready", or a task's)
    std::deque<std::uint32_t> tasks;  // sent to it and not answered yet, in the order it runs them

    void close_fds() {
        request_fd.reset();
        answer_fd.reset();
    }
};

/// "worker 1 (pid 4242) was killed by signal 9 (Killed)" or "... exited with code 3".
std::string describe_death(const worker_process& child, unsigned index) {
    return "worker " + std::to_string(index) + " (pid " + std::to_string(child.process.get_pid()) + ") " +
           child.process.describe();
}

/// All children of one execute(); the destructor ends every child (killing busy ones) and reaps them.
class pool_children {
public:
    pool_children() = default;
    ~pool_children() {
        for (auto& child : children) {
            if (child.busy) child.process.kill(SIGKILL);
            child.close_fds();  // idle children read end-of-file and exit
        }
        for (auto& child : children) static_cast<void>(child.process.wait());
    }
    pool_children(const pool_children&) = delete;
    pool_children& operator=(const pool_children&) = delete;

    /// Forks one child running worker index `worker` (the caller stores it in children); throws
    /// std::runtime_error if the OS refuses.
    [[nodiscard]] worker_process spawn(const workload& work, unsigned worker, platform::clock::time_point run_start) {
        posix::pipe_pair request = posix::make_pipe();
        posix::pipe_pair answer = posix::make_pipe();
        const pid_t pid = posix::fork_process();
        if (pid == 0) {
            // The child must hold no other child's pipe ends, or those children would never see end-of-file.
            for (auto& other : children) other.close_fds();
            request.write_end.reset();
            answer.read_end.reset();
            posix::set_worker_signals();
            // A worker that crashes (crash_how=abort, a real bug) is reported by the parent; no core file.
            const rlimit no_core{0, 0};
            setrlimit(RLIMIT_CORE, &no_core);
            child_main(request.read_end.get(), answer.write_end.get(), work, worker, run_start);
        }
        worker_process child;
        child.process = posix::child_process(pid);
        child.request_fd = std::move(request.write_end);
        child.answer_fd = std::move(answer.read_end);
        return child;
    }

    std::vector<worker_process> children;

private:
    const posix::sigpipe_ignored no_sigpipe_;  // a dead child's pipe must give EPIPE, not kill us
};

}  // namespace

worker_death_policy parse_worker_death_policy(std::string_view text) {
    if (text == "fail") return worker_death_policy::fail;
    if (text == "respawn") return worker_death_policy::respawn;
    throw invalid_argument_error("--on-worker-death must be one of fail, respawn (got '" +
                                 std::string(text.substr(0, 80)) + "')");
}

process_pool_executor::process_pool_executor(unsigned workers, worker_death_policy on_death)
    : workers_(workers), on_death_(on_death) {
    if (workers < 1 || workers > max_workers)
        throw invalid_argument_error("workers must be between 1 and " + std::to_string(max_workers) + " (got " +
                                     std::to_string(workers) + ")");
}

execution process_pool_executor::execute(const workload& work, run_control& control,
                                         platform::clock::time_point run_start) {
    execution result;
    pool_children pool;
    auto& children = pool.children;
    try {
        for (unsigned i = 0; i < workers_; ++i) children.push_back(pool.spawn(work, i, run_start));
    } catch (const std::exception& e) {
        result.error = std::string("could not start worker processes: ") + e.what();
        return result;
    }
    const std::size_t count = work.get_task_count();
    std::size_t next_task = 0;
    // Every lost task costs one replacement, so more than this means workers die without running anything.
    const std::size_t max_respawns = count + workers_;
    std::size_t respawns = 0;

    std::deque<std::uint32_t> requeued;  // sent to a worker that died before it started them: they run elsewhere
    auto tasks_left = [&] { return requeued.size() + (count - next_task); };
    auto peek_task = [&] { return requeued.empty() ? static_cast<std::uint32_t>(next_task) : requeued.front(); };

    std::uint64_t bytes = 0;  // through the pipes, both ways
    std::vector<std::uint8_t> payload;  // one task's input, then one task's output
    // Sends one task with its input bytes. A write fails only if the child is gone or broken: make sure it is
    // gone; its end-of-file comes next, and the task is handled as the dead worker's.
    auto send_task = [&](worker_process& child) {
        const std::uint32_t task = peek_task();
        if (requeued.empty()) ++next_task;
        else requeued.pop_front();
        child.tasks.push_back(task);
        wire_request request;
        request.task = task;
        request.input_bytes = work.get_input_bytes(task);
        payload.resize(request.input_bytes);
        work.write_input(task, payload);  // the serialisation: a copy of the task's data
        bytes += sizeof request + payload.size();
        if (!write_all(child.request_fd.get(), &request, sizeof request) ||
            !write_all(child.request_fd.get(), payload.data(), payload.size())) {
            child.process.kill(SIGKILL);
            return false;
        }
        return true;
    };
    // Keeps the child supplied: a task to run and, while plenty are left, a second one waiting in its pipe, so
    // that it starts the next task as soon as it answers instead of idling a whole round trip for the parent (a
    // Python pool queues tasks ahead too). Plenty: at least two per worker, so that at the end no worker idles
    // while another holds a spare. Only tasks without input bytes wait there: a payload written to a busy child
    // could fill the pipe while the child fills its own answer pipe. Leaves the child idle when nothing is left
    // or the run is stopping.
    auto send_next = [&](worker_process& child) {
        while (child.tasks.size() < 2 && tasks_left() > 0 && !control.is_cancelled()) {
            if (!child.tasks.empty() && (tasks_left() < 2 * children.size() || work.get_input_bytes(peek_task()) > 0))
                break;
            if (!send_task(child)) break;
        }
        child.busy = !child.tasks.empty();
    };
    // Each child first says it is ready; start-up ends when all have.
    for (auto& child : children) child.busy = true;
    std::size_t waiting_ready = children.size();
    bool started = false;

    std::vector<pollfd> fds;
    std::vector<unsigned> owners;  // owners[k]: the worker index of fds[k]
    bool stop = false;
    while (!stop) {
        fds.clear();
        owners.clear();
        for (unsigned index = 0; index < children.size(); ++index)
            if (children[index].busy) {
                fds.push_back({children[index].answer_fd.get(), POLLIN, 0});
                owners.push_back(index);
            }
        if (fds.empty()) break;
        const int ready = ::poll(fds.data(), fds.size(), 20);
        if (ready < 0 && errno != EINTR) {
            result.error = std::string("poll failed: ") + std::strerror(errno);
            break;
        }
        if (control.is_cancelled()) break;  // the destructor kills busy children
        if (ready <= 0) continue;

        for (std::size_t k = 0; k < fds.size() && !stop; ++k) {
            if (fds[k].revents == 0) continue;
            const unsigned index = owners[k];
            auto& child = children[index];
            wire_answer answer;
            bool answered = read_all(child.answer_fd.get(), &answer, sizeof answer);
            if (answered && answer.kind == answer_kind::done) {
                if (answer.output_bytes > max_output_bytes) child.process.kill(SIGKILL);  // garbled: treat as dead
                answered = answer.output_bytes <= max_output_bytes;
                if (answered) {
                    payload.resize(answer.output_bytes);
                    answered = read_all(child.answer_fd.get(), payload.data(), payload.size());
                }
            }
            if (answered) bytes += sizeof answer + (answer.kind == answer_kind::done ? answer.output_bytes : 0);
            if (!answered) {
                static_cast<void>(child.process.wait());  // it closed its end: it is dead or dying
                child.close_fds();
                const std::string death = describe_death(child, index);
                if (on_death_ == worker_death_policy::fail) {
                    result.error = death + " during the run";
                    stop = true;
                    break;
                }
                if (respawns == max_respawns) {
                    result.error = death + " during the run, after " + std::to_string(respawns) +
                                   " replacement workers: giving up";
                    stop = true;
                    break;
                }
                // The task it ran is lost (it may be what killed it); those waiting behind it never started.
                if (!child.tasks.empty()) {
                    result.failed_tasks.push_back({child.tasks.front(), death});
                    requeued.insert(requeued.end(), child.tasks.begin() + 1, child.tasks.end());
                    child.tasks.clear();
                }
                ++respawns;
                try {
                    children[index] = pool.spawn(work, index, run_start);
                } catch (const std::exception& e) {
                    result.error = death + "; could not replace it: " + e.what();
                    stop = true;
                    break;
                }
                children[index].busy = true;  // its ready answer comes next
                continue;
            }
            if (answer.kind == answer_kind::ready) {
                if (started) {  // a replacement worker
                    send_next(child);
                    continue;
                }
                child.busy = false;  // ready, waiting for the others before tasks are handed out
                if (--waiting_ready == 0) {
                    started = true;
                    result.startup_s = std::chrono::duration<double>(platform::clock::now() - run_start).count();
                    for (auto& c : children) send_next(c);
                }
                continue;
            }
            if (child.tasks.empty() || answer.task != child.tasks.front()) {
                result.error = "worker " + std::to_string(index) + " (pid " + std::to_string(child.process.get_pid()) +
                               ") answered for task " + std::to_string(answer.task) + ", " +
                               (answer.task >= count ? "which does not exist" : "which it was not running");
                stop = true;
                break;
            }
            child.tasks.pop_front();
            if (answer.kind == answer_kind::failed) {
                answer.error[sizeof answer.error - 1] = '\0';
                result.error = "task " + std::to_string(answer.task) + " (" + work.describe(answer.task) +
                               ") failed in worker " + std::to_string(index) + " (pid " + std::to_string(child.process.get_pid()) +
                               "): " + answer.error;
                child.busy = !child.tasks.empty();  // a task still waiting in its pipe: the destructor kills it
                stop = true;
                break;
            }
            task_record record;
            record.id = answer.task;
            record.worker = index;
            record.pid = answer.pid;
            record.thread = answer.thread;
            record.phase = work.get_phase();
            record.start_s = answer.start_s;
            record.end_s = answer.end_s;
            record.wait_s = answer.wait_s;
            if (answer.cpu_s >= 0) record.cpu_s = answer.cpu_s;
            if (answer.late_s >= 0) record.late_s = answer.late_s;
            if (answer.rss_kib >= 0) record.rss_kib = answer.rss_kib;
            record.value = answer.value;
            if (const auto expected = work.get_output_bytes(answer.task); expected > 0) {
                if (answer.output_bytes != expected) {
                    result.error = "worker " + std::to_string(index) + " (pid " + std::to_string(child.process.get_pid()) +
                                   ") sent " + std::to_string(answer.output_bytes) + " output bytes for task " +
                                   std::to_string(answer.task) + " (expected " + std::to_string(expected) + ")";
                    stop = true;
                    break;
                }
                record.value = work.read_output(answer.task, payload);  // the parent's use of the results
            }
            result.tasks.push_back(record);
            control.done.fetch_add(1);
            send_next(child);
        }
    }
    result.bytes_transferred = bytes;
    return result;  // pool's destructor ends and reaps every child
}

std::unique_ptr<executor> make_native_executor(const std::string& mode, unsigned workers,
                                               worker_death_policy on_death, const executor_options& options) {
    if (mode == "processes") return std::make_unique<process_pool_executor>(workers, on_death);
    if (const auto* linked = find_linked_mode(mode)) return linked->make(workers);
    return make_portable_executor(mode, workers, options);
}

}  // namespace parlab
