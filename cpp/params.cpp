// The parameter table (the workloads' rows and the crash rows) and the strict parsing of values against it.
#include "params.hpp"

#include <algorithm>     // std::find, std::any_of
#include <charconv>      // std::from_chars
#include <cmath>         // std::isfinite
#include <sstream>       // std::ostringstream
#include <stdexcept>     // std::runtime_error

#include "json.hpp"
#include "workload_registry.hpp"

namespace parlab {

namespace {

/// "parameter 'n'": how a message names a parameter of the table.
std::string subject_of(std::string_view name) { return "parameter '" + std::string(name) + "'"; }

}  // namespace

const std::vector<param_spec>& get_param_specs() {
    using pt = param_type;
    static const std::vector<param_spec> specs = [] {
        std::vector<param_spec> all;
        for (const auto& description : get_workload_descriptions())
            all.insert(all.end(), description.params.begin(), description.params.end());
        // Fault injection, for every workload: one task crashes on purpose, to show what each mode does with it.
        all.push_back({"", "crash_task", pt::integer, "-1", -1, max_tasks_per_run - 1, {}, 0, "",
                       "the task that crashes on purpose (-1: none; at most task count - 1)"});
        all.push_back({"", "crash_how", pt::choice, "throw", 0, 0, {"throw", "abort", "exit"}, 0, "",
                       "how crash_task crashes: throw an exception (the task fails), abort() (SIGABRT), or _Exit(3); "
                       "abort and exit end the whole process that runs the task"});
        return all;
    }();
    return specs;
}

const std::vector<std::string_view>& get_workload_names() {
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> out;
        for (const auto& description : get_workload_descriptions()) out.push_back(description.name);
        return out;
    }();
    return names;
}

std::string join_names(const std::vector<std::string_view>& names) {
    std::string list;
    for (const auto name : names) list += (list.empty() ? "" : ", ") + std::string(name);
    return list;
}

std::string format_bound(double value) {
    std::ostringstream out;
    out.precision(15);
    out << value;
    return out.str();
}

std::string quote(std::string_view text) {
    std::string shown(text.substr(0, 80));
    for (auto& c : shown)
        if (c == '\n' || c == '\r') c = ' ';
    return "'" + shown + (text.size() > 80 ? "...'" : "'");
}

void throw_out_of_range(std::string_view name, std::string_view low, std::string_view high_name,
                        std::string_view high, std::string_view value) {
    throw invalid_argument_error(std::string(name), std::string(low) + ".." + std::string(high), subject_of(name),
                                 "must be between " + std::string(low) + " and " + std::string(high_name) + " = " +
                                     std::string(high) + " (got " + std::string(value) + ")");
}

void throw_too_large(std::string_view first, std::string_view op, std::string_view second, std::int64_t limit,
                     std::string_view unit, std::int64_t value) {
    const std::string names = std::string(first) + " " + std::string(op) + " " + std::string(second);
    const std::string at_most = "at most " + std::to_string(limit) + " " + std::string(unit);
    throw invalid_argument_error(names, at_most,
                                 "parameters '" + std::string(first) + "' " + std::string(op) + " '" +
                                     std::string(second) + "' must make " + at_most + " (got " +
                                     std::to_string(value) + ")");
}

namespace {

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
    const workload_description& description = get_workload_description(workload);

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

    if (description.check != nullptr) description.check(params);  // checks that tie parameters together
    if (const auto crash_task = params.get_int("crash_task"); crash_task >= 0) {
        const auto tasks = get_task_count(params);
        if (crash_task >= tasks)
            throw_out_of_range("crash_task", "-1", "task count - 1", std::to_string(tasks - 1),
                               std::to_string(crash_task));
    }
    return params;
}

std::int64_t get_task_count(const workload_params& params) {
    return get_workload_description(params.workload).count_tasks(params);
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

nlohmann::ordered_json params_to_json_value(const workload_params& params) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    const auto crash_task = params.values.find("crash_task");
    const bool crashing = crash_task != params.values.end() && std::get<std::int64_t>(crash_task->second) >= 0;
    for (const auto& spec : get_param_specs()) {
        if (!belongs_to(spec, params.workload) || !applies(spec, params)) continue;
        if (spec.workload.empty() && !crashing) continue;  // the crash parameters, unused
        const param_value& value = params.values.at(std::string(spec.name));
        auto& slot = out[std::string(spec.name)];
        if (const auto* real = std::get_if<double>(&value)) slot = to_json_number(*real);
        else std::visit([&slot](const auto& v) { slot = v; }, value);
    }
    return out;
}

std::string params_to_json(const workload_params& params) { return dump_json(params_to_json_value(params)); }

namespace {

/// A parameter value as the core parses text: strings as they are, lists as comma lists, numbers as JSON writes them.
std::string value_text(const nlohmann::json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (!value.is_array()) return value.dump();
    std::string text;
    for (const auto& item : value) text += (text.empty() ? "" : ",") + value_text(item);
    return text;
}

}  // namespace

/// {"workload": "primes", "n": 2000000, "inputs": [1, 2]} -> checked parameters.
workload_params parse_params_json(const std::string& json) {
    const auto object = nlohmann::json::parse(json, nullptr, false);
    if (!object.is_object())
        throw invalid_argument_error("parameters must be a JSON object, e.g. {\"workload\": \"primes\"}");
    const auto workload = object.find("workload");
    if (workload == object.end() || !workload->is_string()) {
        std::string names;
        for (const auto name : get_workload_names()) names += (names.empty() ? "" : ", ") + std::string(name);
        throw invalid_argument_error("parameter 'workload' must be one of " + names);
    }
    std::map<std::string, std::string> text;
    for (const auto& [key, value] : object.items())
        if (key != "workload") text[key] = value_text(value);
    return parse_params(workload->get<std::string>(), text);
}

}  // namespace parlab
