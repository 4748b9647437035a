// Rank 0's side of an mpi run: hand-out, answers, and the job's description.
#include "mpi_executor.hpp"

#include <algorithm>  // std::min, std::max, std::find_if
#include <cstring>    // std::memcpy
#include <vector>     // std::vector

#include <nlohmann/json.hpp>  // nlohmann::ordered_json

#include "messages.hpp"

namespace parlab::mpi {

namespace {

/// Receives the message `status` announced into `out` (resized to fit).
void receive_into(const MPI_Status& status, std::vector<std::uint8_t>& out) {
    int count = 0;
    check(MPI_Get_count(&status, MPI_BYTE, &count), "MPI_Get_count");
    out.resize(static_cast<std::size_t>(count));
    check(MPI_Recv(out.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
          "MPI_Recv");
}

/// The fixed-size body of a message, or an error naming the rank when its size is wrong.
template <typename Message>
Message read_body(const std::vector<std::uint8_t>& bytes, int rank) {
    Message message;
    if (bytes.size() != sizeof message)
        throw std::runtime_error("rank " + std::to_string(rank) + " sent a message of " + std::to_string(bytes.size()) +
                                 " bytes (expected " + std::to_string(sizeof message) + ")");
    std::memcpy(&message, bytes.data(), sizeof message);
    return message;
}

/// "rank 2 (pid 4242 on node-b)".
std::string name_rank(int rank, std::int64_t pid, const std::string& host) {
    return "rank " + std::to_string(rank) + " (pid " + std::to_string(pid) + " on " + host + ")";
}

double seconds_since(platform::clock::time_point start) {
    return std::chrono::duration<double>(platform::clock::now() - start).count();
}

}  // namespace

mpi_executor::mpi_executor(const world& here, unsigned workers) : here_(here), workers_(workers) {
    const int others = here.get_size() - 1;
    if (others < 1)
        throw invalid_argument_error("mode mpi needs at least 2 ranks (rank 0 hands out tasks, the others run them): "
                                     "start it with mpirun -np 2 or more");
    if (workers != static_cast<unsigned>(others))
        throw invalid_argument_error("--workers must be " + std::to_string(others) + " in mode mpi (every rank but rank 0 of mpirun -np " +
                                     std::to_string(here.get_size()) + "; got " + std::to_string(workers) +
                                     "): the number of ranks sets the workers");
}

execution mpi_executor::execute(const workload& work, run_control& control, platform::clock::time_point run_start) {
    execution result;
    const workload_params* params = work.get_params();
    if (params == nullptr) {
        result.error = "mode mpi needs a workload built from parameters (make_workload)";
        return result;
    }
    struct rank_state {
        std::int64_t pid = 0;
        std::string host;
        bool busy = false;      // rank 0 waits for an answer from it
        std::int64_t task = -1;  // the task it runs
        double sent_s = 0;       // when the task went out, on rank 0's clock
    };
    const int size = here_.get_size();
    std::vector<rank_state> ranks(static_cast<std::size_t>(size));
    std::uint64_t bytes = 0;
    std::size_t next_task = 0;
    const std::size_t count = work.get_task_count();
    std::vector<std::uint8_t> payload;
    const auto stop_waiting = [] { return false; };  // answers always come: a rank that dies ends the job
    // An MPI error or a garbled answer throws out of here: the other ranks may then be anywhere in their loop, and
    // only ending the job is safe (parlab-mpi's main aborts it with one line).

    {
        // Start-up: every rank builds its own workload from the parameters and says it is ready.
        const std::string params_json = [&] {
            auto object = params_to_json_value(*params);
            object["workload"] = params->workload;
            return object.dump();
        }();
        for (int rank = 1; rank < size; ++rank) {
            check(MPI_Send(params_json.data(), static_cast<int>(params_json.size()), MPI_BYTE, rank, tag_run_begin,
                           MPI_COMM_WORLD),
                  "MPI_Send");
            bytes += params_json.size();
            ranks[rank].busy = true;
        }
        std::string ready_error;
        for (int waiting = size - 1; waiting > 0; --waiting) {
            MPI_Status status;
            static_cast<void>(wait_for_message(MPI_ANY_SOURCE, status, stop_waiting));
            receive_into(status, payload);
            if (status.MPI_TAG != tag_ready)
                throw std::runtime_error("rank " + std::to_string(status.MPI_SOURCE) + " answered with tag " +
                                         std::to_string(status.MPI_TAG) + " before it was ready");
            auto ready = read_body<ready_message>(payload, status.MPI_SOURCE);
            ready.host[sizeof ready.host - 1] = '\0';
            ready.error[sizeof ready.error - 1] = '\0';
            auto& state = ranks[status.MPI_SOURCE];
            state.pid = ready.pid;
            state.host = ready.host;
            state.busy = false;
            if (ready.error[0] != '\0' && ready_error.empty())
                ready_error = name_rank(status.MPI_SOURCE, ready.pid, ready.host) + " could not build the workload: " +
                              ready.error;
        }
        result.startup_s = seconds_since(run_start);
        if (!ready_error.empty()) {
            result.error = ready_error;
            for (int rank = 1; rank < size; ++rank)
                check(MPI_Send(nullptr, 0, MPI_BYTE, rank, tag_run_end, MPI_COMM_WORLD), "MPI_Send");
            return result;
        }

        // Hands the rank its next task with its input bytes; leaves it idle when none is left or the run stops.
        const auto send_next = [&](int rank) {
            auto& state = ranks[rank];
            state.task = -1;
            state.busy = false;
            if (next_task >= count || control.is_cancelled() || !result.error.empty()) return;
            task_message request;
            request.task = static_cast<std::uint32_t>(next_task++);
            request.input_bytes = work.get_input_bytes(request.task);
            payload.resize(request.input_bytes);
            work.write_input(request.task, payload);  // the serialisation: a copy of the task's data
            state.task = request.task;
            state.busy = true;
            state.sent_s = seconds_since(run_start);
            check(MPI_Send(&request, sizeof request, MPI_BYTE, rank, tag_task, MPI_COMM_WORLD), "MPI_Send");
            if (!payload.empty())
                check(MPI_Send(payload.data(), static_cast<int>(payload.size()), MPI_BYTE, rank, tag_task_input,
                               MPI_COMM_WORLD),
                      "MPI_Send");
            bytes += sizeof request + payload.size();
        };
        for (int rank = 1; rank < size; ++rank) send_next(rank);

        const auto any_busy = [&] {
            return std::any_of(ranks.begin(), ranks.end(), [](const rank_state& r) { return r.busy; });
        };
        while (any_busy()) {
            MPI_Status status;
            static_cast<void>(wait_for_message(MPI_ANY_SOURCE, status, stop_waiting));
            const int rank = status.MPI_SOURCE;
            receive_into(status, payload);
            const double answered_s = seconds_since(run_start);
            auto& state = ranks[rank];
            if (status.MPI_TAG == tag_failed) {
                auto failed = read_body<failed_message>(payload, rank);
                failed.error[sizeof failed.error - 1] = '\0';
                if (result.error.empty())
                    result.error = "task " + std::to_string(failed.task) + " (" + work.describe(failed.task) +
                                   ") failed on " + name_rank(rank, state.pid, state.host) + ": " + failed.error;
                state.busy = false;
                state.task = -1;
                continue;
            }
            if (status.MPI_TAG != tag_done)
                throw std::runtime_error(name_rank(rank, state.pid, state.host) + " sent a message with tag " +
                                         std::to_string(status.MPI_TAG) + " during the run");
            bytes += payload.size();
            const auto done = read_body<done_message>(payload, rank);
            if (!state.busy || done.task != state.task)
                throw std::runtime_error(name_rank(rank, state.pid, state.host) + " answered for task " +
                                         std::to_string(done.task) + ", which it was not running");
            task_record record;
            record.id = done.task;
            record.worker = static_cast<std::uint32_t>(rank - 1);
            record.rank = static_cast<std::uint32_t>(rank);
            record.host = state.host;
            record.pid = done.pid;
            record.thread = done.thread;
            record.phase = work.get_phase();
            // The rank's times count from its receipt of the task; rank 0 sent it at sent_s.
            record.end_s = std::min(state.sent_s + done.end_s, answered_s);
            record.start_s = std::min(state.sent_s + done.start_s, record.end_s);
            record.wait_s = std::min(done.wait_s, record.end_s - record.start_s);
            if (done.cpu_s >= 0) record.cpu_s = done.cpu_s;
            if (done.late_s >= 0) record.late_s = done.late_s;
            if (done.rss_kib >= 0) record.rss_kib = done.rss_kib;
            record.value = done.value;
            if (const auto expected = work.get_output_bytes(done.task); expected > 0 || done.output_bytes > 0) {
                if (done.output_bytes != expected)
                    throw std::runtime_error(name_rank(rank, state.pid, state.host) + " sent " +
                                             std::to_string(done.output_bytes) + " output bytes for task " +
                                             std::to_string(done.task) + " (expected " + std::to_string(expected) + ")");
                MPI_Status output_status;
                check(MPI_Probe(rank, tag_task_output, MPI_COMM_WORLD, &output_status), "MPI_Probe");
                receive_into(output_status, payload);
                bytes += payload.size();
                record.value = work.read_output(done.task, payload);  // rank 0's use of the results
            }
            result.tasks.push_back(std::move(record));
            control.done.fetch_add(1);
            send_next(rank);
        }
        for (int rank = 1; rank < size; ++rank)
            check(MPI_Send(nullptr, 0, MPI_BYTE, rank, tag_run_end, MPI_COMM_WORLD), "MPI_Send");
    }
    result.bytes_transferred = bytes;
    return result;
}

void release_ranks(const world& here) {
    for (int rank = 1; rank < here.get_size(); ++rank)
        check(MPI_Send(nullptr, 0, MPI_BYTE, rank, tag_quit, MPI_COMM_WORLD), "MPI_Send");
}

std::vector<std::string> gather_hosts(const world& here) {
    char name[256] = {};
    here.get_host().copy(name, sizeof name - 1);
    std::vector<char> all(here.get_rank() == 0 ? sizeof name * static_cast<std::size_t>(here.get_size()) : 0);
    check(MPI_Gather(name, sizeof name, MPI_CHAR, all.data(), sizeof name, MPI_CHAR, 0, MPI_COMM_WORLD), "MPI_Gather");
    std::vector<std::string> hosts;
    for (std::size_t at = 0; at < all.size(); at += sizeof name) hosts.emplace_back(all.data() + at);
    return hosts;
}

mpi_job describe_job(const world& here, const std::vector<std::string>& hosts) {
    mpi_job job;
    job.library = world::get_library();
    job.ranks = static_cast<unsigned>(here.get_size());
    for (std::size_t rank = 0; rank < hosts.size(); ++rank) {
        auto found = std::find_if(job.hosts.begin(), job.hosts.end(), [&](const mpi_host& h) { return h.name == hosts[rank]; });
        if (found == job.hosts.end()) found = job.hosts.insert(job.hosts.end(), mpi_host{hosts[rank], {}});
        found->ranks.push_back(static_cast<unsigned>(rank));
    }
    return job;
}

}  // namespace parlab::mpi
