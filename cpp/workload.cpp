// make_workload: from checked parameters to the workload they name.
#include "workload.hpp"

#include "download.hpp"
#include "factorials.hpp"
#include "primes.hpp"

namespace parlab {

std::unique_ptr<workload> make_workload(const workload_params& params) {
    if (params.workload == "primes") {
        if (params.get_choice("shape") == "chunked")
            return std::make_unique<primes_workload>(
                primes_workload::chunked(params.get_int("n"), params.get_int("chunks")));
        return std::make_unique<primes_workload>(primes_workload::from_limits(params.get_list("inputs")));
    }
    if (params.workload == "download")
        return std::make_unique<download_workload>(params.get_int("count"), params.get_real("latency_ms"),
                                                   params.get_real("jitter_ms"),
                                                   static_cast<std::uint64_t>(params.get_int("seed")),
                                                   params.get_int("work_kib"));
    if (params.workload == "factorials")
        return std::make_unique<factorials_workload>(params.get_list("inputs"), params.get_int("repeat"));
    throw invalid_argument_error("workload must be one of primes, download, factorials (got '" + params.workload +
                                 "')");
}

}  // namespace parlab
