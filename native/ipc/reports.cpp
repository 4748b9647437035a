// Text for people and JSON (nlohmann::ordered_json, keys in the order written) for the ipc commands.
#include "ipc/reports.hpp"

#include <nlohmann/json.hpp>  // nlohmann::ordered_json

#include <cstdint>  // std::uint64_t
#include <sstream>  // std::ostringstream

#include "report.hpp"  // generator_name
#include "system_info.hpp"
#include "text_table.hpp"  // pad_cell

namespace parlab {

namespace {

using json = nlohmann::ordered_json;

std::string format_mb(double bytes) {
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(bytes >= 1e7 ? 0 : 2);
    out << bytes / 1e6;
    return out.str();
}

/// 1234567 -> "1,234,567".
std::string group_digits(double value) {
    const std::string digits = std::to_string(static_cast<std::uint64_t>(value + 0.5));
    std::string grouped;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
        grouped += digits[i];
    }
    return grouped;
}

const transport_result* find_transport(const throughput_result& result, ipc_transport transport) {
    for (const auto& t : result.transports)
        if (t.transport == transport && t.is_intact(result.options.count)) return &t;
    return nullptr;
}

/// One sentence on how the process pipe and the process queue compared, and what that says about CPython.
std::string compare_pipe_and_queue(const throughput_result& result) {
    const auto* pipe = find_transport(result, ipc_transport::process_pipe);
    const auto* queue = find_transport(result, ipc_transport::process_queue);
    if (!pipe || !queue) return "";
    const double ratio = pipe->get_median_seconds() / queue->get_median_seconds();
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(2);
    if (ratio > 1)
        out << "Here the shared-memory queue beat the pipe (" << ratio << "x): once the mapping exists a message costs "
               "two copies and a lock, with no system call unless a side must sleep. CPython's multiprocessing.Queue "
               "is slower than its Pipe because it pickles every object and hands it to a feeder thread that writes "
               "it to a pipe: a cost of that design, not of queues as such.\n";
    else
        out << "Here the pipe beat the shared-memory queue (" << 1 / ratio << "x). CPython's multiprocessing.Queue "
               "is slower still than its Pipe, because it pickles every object and hands it to a feeder thread that "
               "writes it to a pipe.\n";
    return out.str();
}

/// One line of compact JSON; bytes that are not UTF-8 (a garbled message) are replaced, not thrown over.
std::string to_line(const json& document) {
    return document.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string hello_to_text(const hello_result& r) {
    const auto yes_no = [](bool b) { return b ? "yes" : "NO"; };
    std::ostringstream out;
    out << "parent: pid " << r.parent_pid << "; forked a child (fork() returned pid " << r.child_pid
        << ") and read from the pipe:\n"
        << "  " << (r.message.empty() ? "(nothing)" : r.message) << "\n"
        << "check: the child's parent pid (" << r.reported_parent_pid << ") is this process's pid: "
        << yes_no(r.reported_parent_pid == r.parent_pid) << "\n"
        << "check: the child's own pid (" << r.reported_pid << ") is the one fork() returned: "
        << yes_no(r.reported_pid == r.child_pid) << "\n"
        << "check: the child " << (r.exit_code >= 0 ? "exited with code " + std::to_string(r.exit_code) : "was killed")
        << " and " << (r.reaped ? "was reaped (waitpid): no zombie is left" : "was NOT reaped") << "\n"
        << "Two processes, two pids, separate memory: the only way the child's words reached the parent was the pipe.\n";
    return out.str();
}

std::string hello_to_json(const hello_result& r) {
    return to_line({{"command", "ipc hello"},
                    {"generator", generator_name},
                    {"message", r.message},
                    {"child_name", r.child_name},
                    {"parent_pid", r.parent_pid},
                    {"child_pid", r.child_pid},
                    {"reported_pid", r.reported_pid},
                    {"reported_parent_pid", r.reported_parent_pid},
                    {"parent_pid_matches", r.reported_parent_pid == r.parent_pid},
                    {"child_pid_matches", r.reported_pid == r.child_pid},
                    {"exit_code", r.exit_code},
                    {"reaped", r.reaped},
                    {"ok", r.is_consistent()}});
}

std::string throughput_to_text(const throughput_result& result) {
    const auto& o = result.options;
    const double bytes = static_cast<double>(o.size) * static_cast<double>(o.count);
    std::ostringstream out;
    out << "IPC throughput: " << o.count << " message" << (o.count == 1 ? "" : "s") << " of " << o.size
        << " byte" << (o.size == 1 ? "" : "s") << " (" << format_mb(bytes) << " MB) one way, median of " << o.repeats
        << " transfer" << (o.repeats == 1 ? "" : "s") << "\n";
    out << pad_cell("transport", 34, false) << pad_cell("median s", 11, true) << pad_cell("messages/s", 15, true)
        << pad_cell("MB/s", 10, true) << "  intact\n";
    for (const auto& t : result.transports) {
        out << pad_cell(std::string(get_transport_label(t.transport)), 34, false);
        if (t.transfers.empty()) {
            out << "  FAILED: " << t.error << "\n";
            continue;
        }
        const double s = t.get_median_seconds();
        std::ostringstream secs;
        secs.setf(std::ios::fixed);
        secs.precision(4);
        secs << s;
        std::ostringstream mbs;
        mbs.setf(std::ios::fixed);
        mbs.precision(1);
        mbs << (s > 0 ? bytes / s / 1e6 : 0.0);
        out << pad_cell(secs.str(), 11, true) << pad_cell(group_digits(s > 0 ? static_cast<double>(o.count) / s : 0.0), 15, true)
            << pad_cell(mbs.str(), 10, true) << "  ";
        if (t.is_intact(o.count)) {
            out << "yes, checksum " << t.transfers.front().received_checksum << "\n";
        } else {
            const auto& bad = t.transfers.back();
            out << "NO: " << (t.error.empty() ? "" : t.error + "; ") << bad.messages_received << "/" << o.count
                << " received, checksum " << bad.received_checksum << " vs sent " << bad.sent_checksum
                << (bad.in_order ? "" : ", out of order") << "\n";
        }
    }
    out << "MB = 10^6 bytes. Each consumer reads every byte it receives to checksum it; that work is in every row.\n";
    out << compare_pipe_and_queue(result);
    return out.str();
}

std::string throughput_to_json(const throughput_result& result) {
    const auto& o = result.options;
    const auto env = get_native_environment();
    json transports = json::array();
    for (const auto& t : result.transports) {
        const double s = t.get_median_seconds();
        const bool timed = !t.transfers.empty() && s > 0;
        json transfers = json::array();
        for (const auto& transfer : t.transfers)
            transfers.push_back({{"seconds", transfer.seconds},
                                 {"messages_received", transfer.messages_received},
                                 // decimal strings: JavaScript numbers lose precision past 2^53
                                 {"sent_checksum", std::to_string(transfer.sent_checksum)},
                                 {"received_checksum", std::to_string(transfer.received_checksum)},
                                 {"in_order", transfer.in_order}});
        transports.push_back(
            {{"id", get_transport_id(t.transport)},
             {"label", get_transport_label(t.transport)},
             {"median_s", t.transfers.empty() ? json() : json(s)},
             {"messages_per_s", timed ? json(static_cast<double>(o.count) / s) : json()},
             {"mb_per_s", timed ? json(static_cast<double>(o.count) * static_cast<double>(o.size) / s / 1e6) : json()},
             {"intact", t.is_intact(o.count)},
             {"error", t.error.empty() ? json() : json(t.error)},
             {"transfers", std::move(transfers)}});
    }
    return to_line({{"command", "ipc throughput"},
                    {"generator", generator_name},
                    {"environment",
                     {{"os", env.os},
                      {"cpu_model", env.cpu_model ? json(*env.cpu_model) : json()},
                      {"logical_cpus", env.logical_cpus},
                      {"compiler", env.compiler}}},
                    {"size", o.size},
                    {"count", o.count},
                    {"repeats", o.repeats},
                    {"intact", result.is_intact()},
                    {"transports", std::move(transports)}});
}

}  // namespace parlab
