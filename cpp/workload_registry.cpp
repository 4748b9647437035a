// The list of workloads, in display order: adding one is its file under cpp/workloads/ and one line here.
#include "workload_registry.hpp"

#include "workloads/copy.hpp"
#include "workloads/counter.hpp"
#include "workloads/cv.hpp"
#include "workloads/deadlock.hpp"
#include "workloads/download.hpp"
#include "workloads/factorials.hpp"
#include "workloads/overhead.hpp"
#include "workloads/primes.hpp"
#include "workloads/timers.hpp"

namespace parlab {

const std::vector<workload_description>& get_workload_descriptions() {
    static const std::vector<workload_description> descriptions = {
        describe_primes(), describe_download(), describe_factorials(), describe_overhead(), describe_cv(),
        describe_counter(), describe_deadlock(), describe_copy(), describe_timers()};
    return descriptions;
}

const workload_description& get_workload_description(std::string_view name) {
    for (const auto& description : get_workload_descriptions())
        if (description.name == name) return description;
    const std::string names = join_names(get_workload_names());
    throw invalid_argument_error("workload", "one of " + names, "workload",
                                 "must be one of " + names + " (got " + quote(name) + ")");
}

}  // namespace parlab
