// The serve loop of ranks 1..N-1.
#include "rank_server.hpp"

#include <cstring>   // std::strncpy
#include <iostream>  // std::cerr
#include <memory>    // std::unique_ptr
#include <string>    // std::string
#include <vector>    // std::vector

#include "executor.hpp"
#include "messages.hpp"
#include "posix/signals.hpp"
#include "received_task.hpp"
#include "workload.hpp"

namespace parlab::mpi {

namespace {

/// Receives the message `status` announced, as bytes.
std::vector<std::uint8_t> receive_bytes(const MPI_Status& status) {
    int count = 0;
    check(MPI_Get_count(&status, MPI_BYTE, &count), "MPI_Get_count");
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(count));
    check(MPI_Recv(bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
          "MPI_Recv");
    return bytes;
}

template <typename Message>
void send(const Message& message, int tag) {
    check(MPI_Send(&message, sizeof message, MPI_BYTE, 0, tag, MPI_COMM_WORLD), "MPI_Send");
}

void copy_text(char* out, std::size_t size, const std::string& text) { std::strncpy(out, text.c_str(), size - 1); }

}  // namespace

int serve_rank(const world& here) {
    posix::set_worker_signals();  // Ctrl-C is rank 0's to handle: it finishes the run and tells us to quit
    const unsigned worker = static_cast<unsigned>(here.get_rank() - 1);
    const run_control never_cancelled;  // rank 0 stops handing out tasks instead
    const auto never = [] { return false; };
    std::unique_ptr<workload> work;
    std::vector<std::uint8_t> output;
    try {
        for (;;) {
            MPI_Status status;
            static_cast<void>(wait_for_message(0, status, never));
            const auto received_at = platform::clock::now();
            std::vector<std::uint8_t> body = receive_bytes(status);
            switch (status.MPI_TAG) {
                case tag_run_begin: {
                    ready_message ready;
                    ready.pid = platform::get_pid();
                    ready.thread = platform::get_thread_id();
                    copy_text(ready.host, sizeof ready.host, here.get_host());
                    try {
                        work = make_workload(parse_params_json(std::string(body.begin(), body.end())));
                    } catch (const std::exception& e) {
                        work.reset();
                        copy_text(ready.error, sizeof ready.error, e.what());
                    }
                    send(ready, tag_ready);
                    break;
                }
                case tag_task: {
                    task_message request;
                    if (body.size() != sizeof request) throw std::runtime_error("a task message of the wrong size");
                    std::memcpy(&request, body.data(), sizeof request);
                    std::vector<std::uint8_t> input;
                    if (request.input_bytes > 0) {
                        MPI_Status input_status;
                        check(MPI_Probe(0, tag_task_input, MPI_COMM_WORLD, &input_status), "MPI_Probe");
                        input = receive_bytes(input_status);
                    }
                    try {
                        if (!work) throw std::runtime_error("no workload: the run's parameters did not arrive");
                        if (request.task >= work->get_task_count())
                            throw std::runtime_error("task " + std::to_string(request.task) + " does not exist");
                        output.assign(work->get_output_bytes(request.task), 0);
                        const received_task task(*work, input, output);
                        const task_record record = run_one_task(task, request.task, worker, never_cancelled, received_at);
                        done_message done;
                        done.task = request.task;
                        done.pid = platform::get_pid();
                        done.thread = record.thread;
                        done.start_s = record.start_s;
                        done.end_s = record.end_s;
                        done.wait_s = record.wait_s;
                        done.cpu_s = record.cpu_s.value_or(-1);
                        done.late_s = record.late_s.value_or(-1);
                        done.value = record.value;
                        done.rss_kib = record.rss_kib.value_or(-1);
                        done.output_bytes = output.size();
                        send(done, tag_done);
                        if (!output.empty())
                            check(MPI_Send(output.data(), static_cast<int>(output.size()), MPI_BYTE, 0, tag_task_output,
                                           MPI_COMM_WORLD),
                                  "MPI_Send");
                    } catch (const std::exception& e) {
                        failed_message failed;
                        failed.task = request.task;
                        copy_text(failed.error, sizeof failed.error, e.what());
                        send(failed, tag_failed);
                    }
                    break;
                }
                case tag_run_end:
                    work.reset();
                    break;
                case tag_ping:
                    check(MPI_Send(body.data(), static_cast<int>(body.size()), MPI_BYTE, 0, tag_ping, MPI_COMM_WORLD),
                          "MPI_Send");
                    break;
                case tag_quit:
                    return 0;
                default:
                    throw std::runtime_error("a message with unknown tag " + std::to_string(status.MPI_TAG));
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "parlab-mpi: error: rank " << here.get_rank() << " on " << here.get_host() << ": " << e.what()
                  << "\n";
        return 1;
    }
}

}  // namespace parlab::mpi
