// Workload parameters: the one table of names, types, defaults and bounds, and parsing checked against it.
#pragma once

#include <cstdint>      // std::int64_t
#include <map>          // std::map
#include <stdexcept>    // std::runtime_error
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <utility>      // std::move
#include <variant>      // std::variant
#include <vector>       // std::vector

#include <nlohmann/json_fwd.hpp>  // nlohmann::ordered_json

#include "modes.hpp"

namespace parlab {

enum class param_type { integer, real, choice, integer_list };

/// One parameter of one workload, with everything needed to parse, check, document and show it.
struct param_spec {
    std::string_view workload;       ///< "primes", "download" or "factorials"; empty: every workload
    std::string_view name;           ///< snake_case; the CLI flag is --name with '_' as '-'
    param_type type;
    std::string_view default_value;  ///< as text, parsed like user input
    double min = 0;                  ///< bound of the value (of each item for lists)
    double max = 0;
    std::vector<std::string_view> choices;  ///< for param_type::choice
    std::size_t max_items = 0;              ///< for param_type::integer_list
    std::string_view shape;                 ///< primes only: the shape this parameter belongs to, or empty
    std::string_view help;
};

using param_value = std::variant<std::int64_t, double, std::string, std::vector<std::int64_t>>;

/// A workload and the full set of its parameters (defaults filled in), checked against the table.
struct workload_params {
    std::string workload;
    std::map<std::string, param_value> values;

    [[nodiscard]] std::int64_t get_int(const std::string& name) const;
    [[nodiscard]] double get_real(const std::string& name) const;
    [[nodiscard]] const std::string& get_choice(const std::string& name) const;
    [[nodiscard]] const std::vector<std::int64_t>& get_list(const std::string& name) const;
};

/// Thrown for any parameter, mode or worker count out of bounds. what() is one line that names it and its bounds;
/// parameter() and bounds() carry both as data, so a shell can name the parameter its own way (a flag, a field).
class invalid_argument_error : public std::runtime_error {
public:
    /// A message about no single parameter: parameter() and bounds() are empty, naming() returns what().
    explicit invalid_argument_error(const std::string& message) : std::runtime_error(message) {}

    /// A message about parameters together ("parameters 'items' x 'item_bytes' must ..."): naming() returns what().
    invalid_argument_error(std::string parameter, std::string bounds, const std::string& message)
        : std::runtime_error(message), parameter_(std::move(parameter)), bounds_(std::move(bounds)) {}

    /// what() is subject + " " + reason; the subject names the parameter ("parameter 'n'", "--workers").
    invalid_argument_error(std::string parameter, std::string bounds, const std::string& subject,
                           const std::string& reason)
        : std::runtime_error(subject + " " + reason),
          parameter_(std::move(parameter)),
          bounds_(std::move(bounds)),
          subject_size_(subject.size()) {}

    /// The parameter, flag or argument at fault as the core names it, e.g. "chunks", "--workers"; may be empty.
    [[nodiscard]] const std::string& parameter() const noexcept { return parameter_; }

    /// Its allowed values as text, e.g. "1..4096", "one of gather, render"; may be empty.
    [[nodiscard]] const std::string& bounds() const noexcept { return bounds_; }

    /// what() with its subject replaced by `name` ("--chunks must be an integer between 1 and 4096 (got '0')");
    /// what() itself when the message has no one-parameter subject (a limit on two parameters together).
    [[nodiscard]] std::string naming(std::string_view name) const {
        if (subject_size_ == 0) return what();
        return std::string(name) + (what() + subject_size_);
    }

private:
    std::string parameter_;
    std::string bounds_;
    std::size_t subject_size_ = 0;
};

/// The table of every workload's parameters, in display order.
[[nodiscard]] const std::vector<param_spec>& get_param_specs();

/// The workloads' names, in display order.
[[nodiscard]] const std::vector<std::string_view>& get_workload_names();

/// Parses text values (CLI flags, page fields) over the workload's defaults; throws invalid_argument_error
/// naming the first bad parameter, an unknown name, or one that does not apply to the workload or shape.
[[nodiscard]] workload_params parse_params(const std::string& workload,
                                           const std::map<std::string, std::string>& text_values);

/// {"workload": "primes", "n": 2000000, "inputs": [1, 2]} (what params_to_json writes, plus "workload") -> checked
/// parameters; throws invalid_argument_error as parse_params does, or when it is not such an object.
[[nodiscard]] workload_params parse_params_json(const std::string& json);

/// The parameters that apply (to the shape, for primes), as a JSON object with typed values. The crash
/// parameters appear only while crash_task is set (>= 0), so ordinary runs read as they always did.
[[nodiscard]] std::string params_to_json(const workload_params& params);

/// params_to_json as a JSON value, for documents that hold it (a run's "params").
[[nodiscard]] nlohmann::ordered_json params_to_json_value(const workload_params& params);

/// How many tasks a workload with these (checked) parameters has, without building it.
[[nodiscard]] std::int64_t get_task_count(const workload_params& params);

/// "1,2,4" -> worker counts, each 1..max_workers, 1..max_list_items of them; throws invalid_argument_error
/// naming `flag` and the bounds for anything else (empty items, signs, overflow; spaces around items are fine).
[[nodiscard]] std::vector<unsigned> parse_worker_list(std::string_view text, unsigned max_workers,
                                                      std::string_view flag = "--workers");

/// "sequential,threads" -> modes, each one of get_mode_names(), 1..max_list_items of them; throws
/// invalid_argument_error naming `flag` otherwise.
[[nodiscard]] std::vector<std::string> parse_mode_list(std::string_view text, std::string_view flag = "--modes");

// The wording every message shares, for the checks written beside each workload (cpp/workloads/).

/// "a, b, c": names joined for a message.
[[nodiscard]] std::string join_names(const std::vector<std::string_view>& names);

/// A bound or value as messages print it: up to 15 significant digits ("0.1", "4294967295").
[[nodiscard]] std::string format_bound(double value);

/// A bad value as messages quote it: in single quotes, at most 80 characters, on one line.
[[nodiscard]] std::string quote(std::string_view text);

/// Throws "parameter 'name' must be between low and high_name = high (got value)": a bound set by another
/// parameter; parameter() is name, bounds() "low..high".
[[noreturn]] void throw_out_of_range(std::string_view name, std::string_view low, std::string_view high_name,
                                     std::string_view high, std::string_view value);

/// Throws "parameters 'first' op 'second' must make at most limit unit (got value)": a limit on two parameters
/// together; parameter() is "first op second", bounds() "at most limit unit".
[[noreturn]] void throw_too_large(std::string_view first, std::string_view op, std::string_view second,
                                  std::int64_t limit, std::string_view unit, std::int64_t value);

/// Upper bound on the items of a worker or mode list (a sweep's grid stays small).
inline constexpr std::size_t max_list_items = 64;

/// Upper bound on the number of tasks of one run, so memory for per-task records stays bounded.
inline constexpr std::int64_t max_tasks_per_run = 1'000'000;

}  // namespace parlab
