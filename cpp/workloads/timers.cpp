// The timers workload: one CPU-bound job and the timers that fall due while it runs.
#include "timers.hpp"

#include <stdexcept>  // std::out_of_range

#include "workloads/primes.hpp"  // sum_primes

namespace parlab {

timers_workload::timers_workload(std::int64_t timers, std::int64_t period_ms, std::int64_t job_limit)
    : timers_(static_cast<std::size_t>(timers)),
      period_s_(static_cast<double>(period_ms) / 1000.0),
      job_limit_(static_cast<std::uint32_t>(job_limit)) {}

double timers_workload::get_wait_seconds(std::size_t task) const {
    return static_cast<double>(task) * period_s_;  // task 0, the job: no wait
}

std::uint64_t timers_workload::compute(std::size_t task, const run_control& control) const {
    if (task > timers_) throw std::out_of_range("timers: no task " + std::to_string(task));
    if (task == 0) return sum_primes(2, job_limit_, control);
    return 0;  // a timer's work is to run on time
}

std::string timers_workload::describe(std::size_t task) const {
    if (task == 0) return "job: primes <= " + std::to_string(job_limit_);
    return "timer " + std::to_string(task) + " due after " +
           std::to_string(static_cast<long long>(static_cast<double>(task) * period_s_ * 1000.0 + 0.5)) + " ms";
}

namespace {

using pt = param_type;

std::int64_t count_timers_tasks(const workload_params& params) { return params.get_int("timers") + 1; }

std::unique_ptr<workload> make_timers(const workload_params& params, bool /*hold_data*/) {
    return std::make_unique<timers_workload>(params.get_int("timers"), params.get_int("period_ms"),
                                             params.get_int("job_limit"));
}

}  // namespace

workload_description describe_timers() {
    return {"timers",
            {
                {"timers", "timers", pt::integer, "10", 1, 100, {}, 0, "",
                 "number of timers, one task each besides the job"},
                {"timers", "period_ms", pt::integer, "20", 1, 1000, {}, 0, "",
                 "timer k is due k x period_ms after it starts"},
                {"timers", "job_limit", pt::integer, "2000000", 2, 50'000'000, {}, 0, "",
                 "the CPU-bound job (task 0) sums the primes up to job_limit"},
            },
            nullptr,
            count_timers_tasks,
            make_timers};
}

}  // namespace parlab
