// Ping-pong over MPI and over pipes, timed on rank 0, and its table.
#include "pingpong.hpp"

#include <unistd.h>  // _exit

#include <algorithm>  // std::sort, std::all_of
#include <chrono>     // std::chrono
#include <cstring>    // std::memcmp

#include "json.hpp"
#include "params.hpp"  // invalid_argument_error
#include "posix/child.hpp"
#include "posix/fd.hpp"
#include "posix/signals.hpp"
#include "text_table.hpp"

namespace parlab::mpi {

namespace {

using clock_type = std::chrono::steady_clock;

/// A message whose bytes depend on the repeat, so an echo of stale bytes is caught.
std::vector<std::uint8_t> make_message(std::uint64_t size, unsigned repeat) {
    std::vector<std::uint8_t> bytes(size);
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 31 + repeat * 7 + 1);
    return bytes;
}

/// count round trips with rank 1 (its serve loop echoes tag_ping); seconds per round trip.
double time_mpi(const throughput_options& options, unsigned repeat, bool& intact) {
    const auto message = make_message(options.size, repeat);
    std::vector<std::uint8_t> echo(options.size);
    const int size = static_cast<int>(options.size);
    const auto start = clock_type::now();
    for (std::uint64_t i = 0; i < options.count; ++i) {
        check(MPI_Send(message.data(), size, MPI_BYTE, 1, tag_ping, MPI_COMM_WORLD), "MPI_Send");
        check(MPI_Recv(echo.data(), size, MPI_BYTE, 1, tag_ping, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
    }
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    intact = intact && echo == message;
    return seconds / static_cast<double>(options.count);
}

/// count round trips with a forked child over two pipes; seconds per round trip.
double time_pipe(const throughput_options& options, unsigned repeat, bool& intact) {
    const posix::sigpipe_ignored no_sigpipe;
    posix::pipe_pair there = posix::make_pipe();
    posix::pipe_pair back = posix::make_pipe();
    const pid_t pid = posix::fork_process();
    if (pid == 0) {  // the child echoes until end of file; it never touches MPI
        there.write_end.reset();
        back.read_end.reset();
        std::vector<std::uint8_t> buffer(options.size);
        while (posix::read_all(there.read_end.get(), buffer.data(), buffer.size()))
            if (!posix::write_all(back.write_end.get(), buffer.data(), buffer.size())) _exit(3);
        _exit(0);
    }
    posix::child_process child(pid);
    there.read_end.reset();
    back.write_end.reset();
    const auto message = make_message(options.size, repeat);
    std::vector<std::uint8_t> echo(options.size);
    const auto start = clock_type::now();
    for (std::uint64_t i = 0; i < options.count; ++i) {
        if (!posix::write_all(there.write_end.get(), message.data(), message.size()) ||
            !posix::read_all(back.read_end.get(), echo.data(), echo.size()))
            throw std::runtime_error("the pipe's echo process " + std::to_string(pid) + " " + child.describe());
    }
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    there.write_end.reset();  // the child reads end of file and exits
    static_cast<void>(child.wait());
    intact = intact && echo == message;
    return seconds / static_cast<double>(options.count);
}

}  // namespace

double pingpong_row::get_median_s() const {
    if (round_trip_s.empty()) return 0;
    auto sorted = round_trip_s;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t mid = sorted.size() / 2;
    return sorted.size() % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

bool pingpong_result::is_intact() const {
    return std::all_of(rows.begin(), rows.end(), [](const pingpong_row& row) { return row.intact; });
}

pingpong_result measure_pingpong(const world& here, const std::vector<std::string>& hosts,
                                 const throughput_options& options) {
    if (here.get_size() < 2)
        throw invalid_argument_error("parlab-mpi ipc needs at least 2 ranks (rank 1 echoes): start it with mpirun -np 2");
    pingpong_result result;
    result.options = options;
    const std::string& host0 = hosts.at(0);
    const std::string& host1 = hosts.at(1);
    pingpong_row mpi_row{"mpi",
                         "MPI, rank 0 and rank 1 (" +
                             (host0 == host1 ? "same host: " + host0 : "hosts " + host0 + " and " + host1) + ")",
                         {}, true};
    pingpong_row pipe_row{"process-pipe", "pipe, 2 processes (fork, on " + host0 + ")", {}, true};
    for (unsigned repeat = 0; repeat < options.repeats; ++repeat) {
        mpi_row.round_trip_s.push_back(time_mpi(options, repeat, mpi_row.intact));
        pipe_row.round_trip_s.push_back(time_pipe(options, repeat, pipe_row.intact));
    }
    result.rows = {std::move(pipe_row), std::move(mpi_row)};
    return result;
}

std::string pingpong_to_text(const pingpong_result& result) {
    const auto& o = result.options;
    std::string text = "round trips of " + std::to_string(o.size) + " bytes each way, " + std::to_string(o.count) +
                       " per repeat, median of " + std::to_string(o.repeats) + "\n";
    const std::vector<text_column> columns = {
        {"transport", 52, false}, {"round trip", 12}, {"MB/s both ways", 15}, {"intact", 7}};
    text += format_header(columns) + "\n";
    for (const auto& row : result.rows) {
        const double median = row.get_median_s();
        text += format_row(columns, {row.label, format_number("%.2f us", median * 1e6),
                                     format_number("%.1f", median > 0 ? 2.0 * static_cast<double>(o.size) / median / 1e6 : 0.0),
                                     row.intact ? "yes" : "NO"}) + "\n";
    }
    if (result.rows.size() == 2 && result.rows[0].get_median_s() > 0)
        text += "MPI / pipe: " + format_number("%.2fx", result.rows[1].get_median_s() / result.rows[0].get_median_s()) + "\n";
    return text;
}

std::string pingpong_to_json(const pingpong_result& result) {
    nlohmann::ordered_json out;
    out["size"] = result.options.size;
    out["count"] = result.options.count;
    out["repeats"] = result.options.repeats;
    auto& rows = out["rows"] = nlohmann::ordered_json::array();
    for (const auto& row : result.rows) {
        auto times = nlohmann::ordered_json::array();
        for (const double s : row.round_trip_s) times.push_back(to_json_number(s * 1e6));
        const double median = row.get_median_s();
        rows.push_back({{"id", row.id},
                        {"label", row.label},
                        {"median_round_trip_us", to_json_number(median * 1e6)},
                        {"round_trip_us", times},
                        {"mb_per_s", to_json_number(median > 0 ? 2.0 * static_cast<double>(result.options.size) / median / 1e6 : 0.0)},
                        {"intact", row.intact}});
    }
    return dump_json(out) + "\n";
}

}  // namespace parlab::mpi
