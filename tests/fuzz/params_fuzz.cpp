// libFuzzer target over every parser written in C++: parse_params (workload name + name=value lines, as the
// CLI's flags and the page's fields arrive) and the sweep's worker and mode lists. Any outcome other than a
// result or invalid_argument_error (a crash, another exception, a sanitizer report, a bound broken) is a bug.
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint8_t
#include <cstdlib>  // std::abort
#include <map>      // std::map
#include <string>   // std::string

#include "params.hpp"
#include "workload.hpp"

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

/// Input layout: first byte picks the parser; the rest is text. For parse_params the text is
/// "workload\nname=value\nname=value...".
void fuzz_one(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return;
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (data[0] % 3) {
        case 0: {
            std::string workload;
            std::map<std::string, std::string> values;
            std::size_t at = 0;
            bool first = true;
            while (at <= text.size()) {
                auto end = text.find('\n', at);
                if (end == std::string::npos) end = text.size();
                const std::string line = text.substr(at, end - at);
                at = end + 1;
                if (first) {
                    workload = line;
                    first = false;
                    continue;
                }
                const auto eq = line.find('=');
                if (eq == std::string::npos) continue;
                values[line.substr(0, eq)] = line.substr(eq + 1);
            }
            try {
                const auto params = parlab::parse_params(workload, values);
                const auto tasks = parlab::get_task_count(params);
                check(tasks >= 1 && tasks <= parlab::max_tasks_per_run);
                check(!parlab::params_to_json(params).empty());
                check(static_cast<std::int64_t>(parlab::make_workload(params)->get_task_count()) == tasks);
            } catch (const parlab::invalid_argument_error& e) {
                const std::string message = e.what();
                check(!message.empty() && message.size() < 1000 && message.find('\n') == std::string::npos);
                const std::string named = e.naming("--flag");
                check(named == message || named.rfind("--flag ", 0) == 0);
            }
            break;
        }
        case 1:
            try {
                const auto counts = parlab::parse_worker_list(text, 256);
                check(!counts.empty() && counts.size() <= parlab::max_list_items);
                for (const unsigned c : counts) check(c >= 1 && c <= 256);
            } catch (const parlab::invalid_argument_error& e) {
                check(std::string(e.what()).find('\n') == std::string::npos);
            }
            break;
        default:
            try {
                const auto modes = parlab::parse_mode_list(text);
                check(!modes.empty() && modes.size() <= parlab::max_list_items);
            } catch (const parlab::invalid_argument_error& e) {
                check(std::string(e.what()).find('\n') == std::string::npos);
            }
            break;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz_one(data, size);
    return 0;
}
