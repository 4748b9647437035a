// The registry of workloads: each workload's one description (parameters, cross-checks, task count, factory).
#pragma once

#include <cstdint>      // std::int64_t
#include <memory>       // std::unique_ptr
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "params.hpp"
#include "workload.hpp"

namespace parlab {

/// Everything the core knows about one workload, written once in its file under cpp/workloads/.
struct workload_description {
    std::string_view name;
    /// Its rows of the parameter table, in display order (each row's workload is `name`).
    std::vector<param_spec> params;
    /// Checks that tie its parameters together, after each has been checked against its row; throws
    /// invalid_argument_error naming the parameter at fault.
    void (*check)(const workload_params& params);
    /// How many tasks the (checked) parameters make, without building the workload.
    std::int64_t (*count_tasks)(const workload_params& params);
    /// Builds the workload from checked parameters; hold_data as make_workload says.
    std::unique_ptr<workload> (*make)(const workload_params& params, bool hold_data);
};

/// Every workload's description, in display order: primes, download, factorials, overhead, cv, counter, deadlock, copy,
/// timers.
[[nodiscard]] const std::vector<workload_description>& get_workload_descriptions();

/// The description of the workload with this name; throws invalid_argument_error naming "workload" and the
/// workloads' names when there is none.
[[nodiscard]] const workload_description& get_workload_description(std::string_view name);

}  // namespace parlab
