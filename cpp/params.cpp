// The parameter table and the strict parsing of values against it.
#include "params.hpp"

#include <algorithm>     // std::find, std::any_of
#include <charconv>      // std::from_chars
#include <cmath>         // std::isfinite
#include <sstream>       // std::ostringstream
#include <stdexcept>     // std::runtime_error

#include "json_writer.hpp"

namespace parlab {

const std::vector<param_spec>& get_param_specs() {
    using pt = param_type;
    static const std::vector<param_spec> specs = {
        {"primes", "shape", pt::choice, "inputs", 0, 0, {"inputs", "chunked"}, 0, "",
         "inputs: one task per limit in 'inputs'; chunked: the range [2, n] split into 'chunks' tasks"},
        {"primes", "inputs", pt::integer_list, "1000000,2000000,3000000", 2, 100'000'000, {}, 64, "inputs",
         "limits: each task sums the primes <= its limit"},
        {"primes", "n", pt::integer, "2000000", 2, 100'000'000, {}, 0, "chunked", "sum the primes <= n"},
        {"primes", "chunks", pt::integer, "64", 1, 4096, {}, 0, "chunked",
         "number of tasks the range is split into (at most n - 1)"},
        {"download", "count", pt::integer, "12", 1, 1000, {}, 0, "", "number of simulated downloads"},
        {"download", "latency_ms", pt::real, "400", 0, 10'000, {}, 0, "",
         "simulated network latency of each download, in ms (waited without using the CPU)"},
        {"download", "jitter_ms", pt::real, "0", 0, 10'000, {}, 0, "",
         "each latency varies by up to +/- this many ms, from a seeded generator (at most latency_ms)"},
        {"download", "seed", pt::integer, "1", 0, 4'294'967'295.0, {}, 0, "", "seed of the jitter and payloads"},
        {"download", "work_kib", pt::integer, "64", 0, 16'384, {}, 0, "",
         "KiB of payload each download checksums after its wait (the little work)"},
        {"factorials", "inputs", pt::integer_list, "10,20,30,40,50", 0, 20'000, {}, 64, "",
         "numbers whose exact factorials are computed, repeated 'repeat' times"},
        {"factorials", "repeat", pt::integer, "1000", 1, 100'000, {}, 0, "",
         "how many times the inputs are repeated (tasks = items x repeat, at most 1000000)"},
        {"overhead", "items", pt::integer, "200000", 1, 10'000'000, {}, 0, "",
         "data items, generated from the seed (items x item_bytes at most 64 MiB)"},
        {"overhead", "item_bytes", pt::integer, "64", 8, 65'536, {}, 0, "",
         "bytes of one item: what a process is sent for it"},
        {"overhead", "work", pt::integer, "1", 1, 10'000, {}, 0, "",
         "rounds of the cheap hash over each item (the work per byte sent)"},
        {"overhead", "chunk", pt::integer, "1000", 1, 10'000'000, {}, 0, "",
         "items per task (at most items; tasks = items / chunk rounded up, at most 1000000)"},
        {"overhead", "seed", pt::integer, "1", 0, 4'294'967'295.0, {}, 0, "", "seed of the items' bytes"},
        {"cv", "phase", pt::choice, "gather", 0, 0, {"gather", "render"}, 0, "",
         "which phase of the CV factory job this run is: gather (one simulated photo download per CV) or render "
         "(rasterise and compress each CV's page: CPU work)"},
        {"cv", "count", pt::integer, "10", 1, 1000, {}, 0, "", "number of CVs (documents)"},
        {"cv", "latency_ms", pt::real, "400", 0, 10'000, {}, 0, "",
         "gather: simulated download latency of each photo, in ms (waited without using the CPU)"},
        {"cv", "seed", pt::integer, "1", 0, 4'294'967'295.0, {}, 0, "",
         "seed of the photos and texts (both phases derive CV i's photo from it)"},
        {"cv", "page_kpx", pt::integer, "20000", 10, 50'000, {}, 0, "",
         "render: page size in kilopixels (4x4 supersampled, then compressed); sets the CPU work per CV"},
        // Fault injection, for every workload: one task crashes on purpose, to show what each mode does with it.
        {"", "crash_task", pt::integer, "-1", -1, max_tasks_per_run - 1, {}, 0, "",
         "the task that crashes on purpose (-1: none; at most task count - 1)"},
        {"", "crash_how", pt::choice, "throw", 0, 0, {"throw", "abort", "exit"}, 0, "",
         "how crash_task crashes: throw an exception (the task fails), abort() (SIGABRT), or _Exit(3); "
         "abort and exit end the whole process that runs the task"},
    };
    return specs;
}

const std::vector<std::string_view>& get_workload_names() {
    static const std::vector<std::string_view> names = {"primes", "download", "factorials", "overhead", "cv"};
    return names;
}

namespace {

/// "a, b, c": names for messages.
std::string join_names(const std::vector<std::string_view>& names) {
    std::string list;
    for (const auto name : names) list += (list.empty() ? "" : ", ") + std::string(name);
    return list;
}

/// "primes, download, ...": the workloads' names for messages.
std::string get_workload_list() { return join_names(get_workload_names()); }

/// Upper bound on the overhead workload's data (items x item_bytes), so the page's wasm memory stays modest.
constexpr std::int64_t max_overhead_bytes = std::int64_t{64} << 20;

std::string format_bound(double v) {
    std::ostringstream out;
    out.precision(15);
    out << v;
    return out.str();
}

/// The text of a bad value as it goes into a message: at most 80 characters, so a huge argument stays one line.
std::string quote(std::string_view text) {
    std::string shown(text.substr(0, 80));
    for (auto& c : shown)
        if (c == '\n' || c == '\r') c = ' ';
    return "'" + shown + (text.size() > 80 ? "...'" : "'");
}

/// "parameter 'n'": how a message names a parameter of the table.
std::string subject_of(std::string_view name) { return "parameter '" + std::string(name) + "'"; }

[[noreturn]] void fail_bounds(const param_spec& spec, const std::string& text, const char* what) {
    const std::string range = format_bound(spec.min) + ".." + format_bound(spec.max);
    std::string reason = std::string("must be ") + what + " between " + format_bound(spec.min) + " and " +
                         format_bound(spec.max);
    std::string bounds = range;
    if (spec.type == param_type::integer_list) {
        reason = "must be a comma-separated list of 1 to " + std::to_string(spec.max_items) +
                 " integers, each between " + format_bound(spec.min) + " and " + format_bound(spec.max);
        bounds = "1.." + std::to_string(spec.max_items) + " items, each " + range;
    }
    throw invalid_argument_error(std::string(spec.name), bounds, subject_of(spec.name),
                                 reason + " (got " + quote(text) + ")");
}

std::int64_t parse_integer(const param_spec& spec, std::string_view item, const std::string& whole) {
    std::int64_t value = 0;
    const char* end = item.data() + item.size();
    const auto [ptr, ec] = std::from_chars(item.data(), end, value);
    if (item.empty() || ec != std::errc() || ptr != end || static_cast<double>(value) < spec.min ||
        static_cast<double>(value) > spec.max)
        fail_bounds(spec, whole, "an integer");
    return value;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

param_value parse_value(const param_spec& spec, const std::string& text) {
    const std::string_view t = trim(text);
    switch (spec.type) {
        case param_type::integer:
            return parse_integer(spec, t, text);
        case param_type::real: {
            // std::from_chars for double is missing from the wasm toolchain's libc++: parse with strtod.
            const std::string s(t);
            char* end = nullptr;
            const double value = s.empty() ? 0.0 : std::strtod(s.c_str(), &end);
            if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(value) || value < spec.min ||
                value > spec.max)
                fail_bounds(spec, text, "a number");
            return value;
        }
        case param_type::choice: {
            if (std::find(spec.choices.begin(), spec.choices.end(), t) == spec.choices.end()) {
                const std::string choices = "one of " + join_names(spec.choices);
                throw invalid_argument_error(std::string(spec.name), choices, subject_of(spec.name),
                                             "must be " + choices + " (got " + quote(text) + ")");
            }
            return std::string(t);
        }
        case param_type::integer_list: {
            std::vector<std::int64_t> items;
            std::string_view rest = t;
            while (true) {
                const auto comma = rest.find(',');
                items.push_back(parse_integer(spec, trim(rest.substr(0, comma)), text));
                if (items.size() > spec.max_items) fail_bounds(spec, text, "");
                if (comma == std::string_view::npos) break;
                rest.remove_prefix(comma + 1);
            }
            return items;
        }
    }
    throw invalid_argument_error(std::string(spec.name), "", subject_of(spec.name), "has an unknown type");
}

bool belongs_to(const param_spec& spec, std::string_view workload) {
    return spec.workload.empty() || spec.workload == workload;
}

const param_spec* find_spec(const std::string& workload, const std::string& name) {
    for (const auto& spec : get_param_specs())
        if (belongs_to(spec, workload) && spec.name == name) return &spec;
    return nullptr;
}

bool applies(const param_spec& spec, const workload_params& params) {
    if (spec.shape.empty()) return true;
    return params.get_choice("shape") == spec.shape;
}

/// Splits text at commas into at most max_list_items trimmed items; throws `too_many` for more.
std::vector<std::string_view> split_list(std::string_view text, const invalid_argument_error& too_many) {
    std::vector<std::string_view> items;
    while (true) {
        const auto comma = text.find(',');
        items.push_back(trim(text.substr(0, comma)));
        if (items.size() > max_list_items) throw too_many;
        if (comma == std::string_view::npos) return items;
        text.remove_prefix(comma + 1);
    }
}


}  // namespace

std::int64_t workload_params::get_int(const std::string& name) const { return std::get<std::int64_t>(values.at(name)); }
double workload_params::get_real(const std::string& name) const { return std::get<double>(values.at(name)); }
const std::string& workload_params::get_choice(const std::string& name) const {
    return std::get<std::string>(values.at(name));
}
const std::vector<std::int64_t>& workload_params::get_list(const std::string& name) const {
    return std::get<std::vector<std::int64_t>>(values.at(name));
}

workload_params parse_params(const std::string& workload, const std::map<std::string, std::string>& text_values) {
    const auto& names = get_workload_names();
    if (std::find(names.begin(), names.end(), workload) == names.end())
        throw invalid_argument_error("workload", "one of " + get_workload_list(), "workload",
                                     "must be one of " + get_workload_list() + " (got " + quote(workload) + ")");

    workload_params params{workload, {}};
    for (const auto& spec : get_param_specs())
        if (belongs_to(spec, workload))
            params.values[std::string(spec.name)] = parse_value(spec, std::string(spec.default_value));
    for (const auto& [name, text] : text_values) {
        const param_spec* spec = find_spec(workload, name);
        if (spec == nullptr) {
            std::vector<std::string_view> applicable;
            for (const auto& known : get_param_specs())
                if (belongs_to(known, workload)) applicable.push_back(known.name);
            throw invalid_argument_error(name, "one of " + join_names(applicable), "parameter " + quote(name),
                                         "does not apply to workload " + workload);
        }
        params.values[name] = parse_value(*spec, text);
    }
    for (const auto& [name, text] : text_values) {
        const param_spec* spec = find_spec(workload, name);
        if (!applies(*spec, params))
            throw invalid_argument_error(name, "shape " + std::string(spec->shape), subject_of(name),
                                         "applies only to shape " + std::string(spec->shape) + " (shape is " +
                                         params.get_choice("shape") + ")");
    }

    // Checks that tie two parameters together.
    if (workload == "primes" && params.get_choice("shape") == "chunked" &&
        params.get_int("chunks") > params.get_int("n") - 1)
        throw invalid_argument_error("chunks", "1.." + std::to_string(params.get_int("n") - 1), subject_of("chunks"),
                                     "must be between 1 and n - 1 = " + std::to_string(params.get_int("n") - 1) +
                                         " (got " + std::to_string(params.get_int("chunks")) + ")");
    if (workload == "download" && params.get_real("jitter_ms") > params.get_real("latency_ms"))
        throw invalid_argument_error("jitter_ms", "0.." + format_bound(params.get_real("latency_ms")),
                                     subject_of("jitter_ms"),
                                     "must be between 0 and latency_ms = " + format_bound(params.get_real("latency_ms")) +
                                         " (got " + format_bound(params.get_real("jitter_ms")) + ")");
    if (workload == "factorials") {
        const auto tasks = static_cast<std::int64_t>(params.get_list("inputs").size()) * params.get_int("repeat");
        if (tasks > max_tasks_per_run)
            throw invalid_argument_error("inputs x repeat", "at most " + std::to_string(max_tasks_per_run) + " tasks",
                                         "parameters 'inputs' x 'repeat' must make at most " +
                                         std::to_string(max_tasks_per_run) + " tasks (got " + std::to_string(tasks) +
                                         ")");
    }
    if (workload == "overhead") {
        const auto items = params.get_int("items");
        const auto bytes = items * params.get_int("item_bytes");
        if (bytes > max_overhead_bytes)
            throw invalid_argument_error("items x item_bytes", "at most " + std::to_string(max_overhead_bytes) + " bytes",
                                         "parameters 'items' x 'item_bytes' must make at most " +
                                         std::to_string(max_overhead_bytes) + " bytes (got " + std::to_string(bytes) +
                                         ")");
        if (params.get_int("chunk") > items)
            throw invalid_argument_error("chunk", "1.." + std::to_string(items), subject_of("chunk"),
                                         "must be between 1 and items = " + std::to_string(items) + " (got " +
                                             std::to_string(params.get_int("chunk")) + ")");
        if (const auto tasks = get_task_count(params); tasks > max_tasks_per_run)
            throw invalid_argument_error("items / chunk", "at most " + std::to_string(max_tasks_per_run) + " tasks",
                                         "parameters 'items' / 'chunk' must make at most " +
                                         std::to_string(max_tasks_per_run) + " tasks (got " + std::to_string(tasks) +
                                         ")");
    }
    if (const auto crash_task = params.get_int("crash_task"); crash_task >= 0) {
        const auto tasks = get_task_count(params);
        if (crash_task >= tasks)
            throw invalid_argument_error("crash_task", "-1.." + std::to_string(tasks - 1), subject_of("crash_task"),
                                         "must be between -1 and task count - 1 = " + std::to_string(tasks - 1) +
                                             " (got " + std::to_string(crash_task) + ")");
    }
    return params;
}

std::int64_t get_task_count(const workload_params& params) {
    if (params.workload == "primes")
        return params.get_choice("shape") == "chunked" ? params.get_int("chunks")
                                                       : static_cast<std::int64_t>(params.get_list("inputs").size());
    if (params.workload == "download") return params.get_int("count");
    if (params.workload == "factorials")
        return static_cast<std::int64_t>(params.get_list("inputs").size()) * params.get_int("repeat");
    if (params.workload == "overhead")
        return (params.get_int("items") + params.get_int("chunk") - 1) / params.get_int("chunk");
    if (params.workload == "cv") return params.get_int("count");
    throw invalid_argument_error("workload", "one of " + get_workload_list(), "workload",
                                 "must be one of " + get_workload_list() + " (got " + quote(params.workload) + ")");
}

std::vector<unsigned> parse_worker_list(std::string_view text, unsigned max_workers, std::string_view flag) {
    const invalid_argument_error bad(
        std::string(flag), "1.." + std::to_string(max_list_items) + " items, each 1.." + std::to_string(max_workers),
        std::string(flag),
        "must be a comma-separated list of 1 to " + std::to_string(max_list_items) + " integers, each between 1 and " +
            std::to_string(max_workers) + " (got " + quote(text) + ")");
    std::vector<unsigned> counts;
    for (const auto item : split_list(text, bad)) {
        unsigned value = 0;
        const char* end = item.data() + item.size();
        const auto [ptr, ec] = std::from_chars(item.data(), end, value);
        if (item.empty() || ec != std::errc() || ptr != end || value < 1 || value > max_workers) throw bad;
        counts.push_back(value);
    }
    return counts;
}

std::vector<std::string> parse_mode_list(std::string_view text, std::string_view flag) {
    const std::string names = join_names(get_mode_names());
    const invalid_argument_error bad(
        std::string(flag), "1.." + std::to_string(max_list_items) + " items, each one of " + names, std::string(flag),
        "must be a comma-separated list of 1 to " + std::to_string(max_list_items) + " of " + names + " (got " +
            quote(text) + ")");
    std::vector<std::string> modes;
    const auto& known = get_mode_names();
    for (const auto item : split_list(text, bad)) {
        if (std::find(known.begin(), known.end(), item) == known.end()) throw bad;
        modes.emplace_back(item);
    }
    return modes;
}

std::string params_to_json(const workload_params& params) {
    json_writer out;
    out.begin_object();
    const auto crash_task = params.values.find("crash_task");
    const bool crashing = crash_task != params.values.end() && std::get<std::int64_t>(crash_task->second) >= 0;
    for (const auto& spec : get_param_specs()) {
        if (!belongs_to(spec, params.workload) || !applies(spec, params)) continue;
        if (spec.workload.empty() && !crashing) continue;  // the crash parameters, unused
        out.key(spec.name);
        const param_value& value = params.values.at(std::string(spec.name));
        if (const auto* i = std::get_if<std::int64_t>(&value)) out.value(*i);
        else if (const auto* d = std::get_if<double>(&value)) out.value(*d);
        else if (const auto* s = std::get_if<std::string>(&value)) out.value(*s);
        else {
            out.begin_array();
            for (const auto item : std::get<std::vector<std::int64_t>>(value)) out.value(item);
            out.end_array();
        }
    }
    out.end_object();
    return out.take();
}

}  // namespace parlab
