// The throughput command's bounds checked, and every transport measured repeat by repeat, interleaved.
#include "ipc/throughput.hpp"

#include <algorithm>  // std::all_of, std::sort
#include <charconv>   // std::from_chars
#include <exception>  // std::exception

#include "params.hpp"  // invalid_argument_error

namespace parlab {

namespace {

std::uint64_t parse_bounded(std::string_view text, std::string_view flag, std::uint64_t min, std::uint64_t max,
                            std::string_view unit) {
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < min || value > max)
        throw invalid_argument_error(std::string(flag) + " must be an integer between " + std::to_string(min) +
                                     " and " + std::to_string(max) + std::string(unit) + " (got '" +
                                     std::string(text) + "')");
    return value;
}

}  // namespace

throughput_options parse_throughput_options(std::string_view size, std::string_view count, std::string_view repeats) {
    throughput_options options;
    options.size = parse_bounded(size, "--size", 1, ipc_max_size, " bytes (16 MiB)");
    options.count = parse_bounded(count, "--count", 1, ipc_max_count, "");
    options.repeats = static_cast<unsigned>(parse_bounded(repeats, "--repeats", 1, ipc_max_repeats, ""));
    if (options.size * options.count > ipc_max_total_bytes)
        throw invalid_argument_error("--size x --count must be at most " + std::to_string(ipc_max_total_bytes) +
                                     " bytes (1 GiB) per transfer (got " + std::to_string(options.size) + " x " +
                                     std::to_string(options.count) + "): use fewer or smaller messages");
    return options;
}

double transport_result::get_median_seconds() const {
    if (transfers.empty()) return 0;
    std::vector<double> seconds;
    for (const auto& t : transfers) seconds.push_back(t.seconds);
    std::sort(seconds.begin(), seconds.end());
    const std::size_t middle = seconds.size() / 2;
    return seconds.size() % 2 ? seconds[middle] : (seconds[middle - 1] + seconds[middle]) / 2;
}

bool transport_result::is_intact(std::uint64_t count) const {
    if (!error.empty() || transfers.empty()) return false;
    return std::all_of(transfers.begin(), transfers.end(), [count](const auto& t) { return t.is_intact(count); });
}

bool throughput_result::is_intact() const {
    return !transports.empty() && std::all_of(transports.begin(), transports.end(), [this](const auto& t) {
        return t.is_intact(options.count);
    });
}

throughput_result measure_throughput(const throughput_options& options) {
    throughput_result result;
    result.options = options;
    for (const auto transport : options.transports) result.transports.push_back({transport, {}, {}});
    for (unsigned repeat = 0; repeat < options.repeats; ++repeat) {
        for (auto& entry : result.transports) {
            if (!entry.error.empty()) continue;
            try {
                entry.transfers.push_back(measure_transfer(entry.transport, options.size, options.count));
            } catch (const std::exception& e) {
                entry.error = e.what();
            }
        }
    }
    return result;
}

}  // namespace parlab
