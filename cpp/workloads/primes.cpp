// Trial division by 6k+-1, in 32-bit arithmetic (every bound fits) since 64-bit division costs more.
#include "primes.hpp"

namespace parlab {

bool is_prime(std::uint32_t x) {
    if (x < 2) return false;
    if (x < 4) return true;
    if (x % 2 == 0 || x % 3 == 0) return false;
    for (std::uint32_t d = 5; static_cast<std::uint64_t>(d) * d <= x; d += 6)
        if (x % d == 0 || x % (d + 2) == 0) return false;
    return true;
}

std::uint64_t sum_primes(std::uint32_t lo, std::uint32_t hi, const run_control& control) {
    std::uint64_t sum = 0;
    for (std::uint64_t x = lo; x <= hi; ++x) {
        if ((x & 0x3fff) == 0) control.checkpoint();
        if (is_prime(static_cast<std::uint32_t>(x))) sum += x;
    }
    return sum;
}

primes_workload primes_workload::from_limits(const std::vector<std::int64_t>& limits) {
    primes_workload w;
    for (const auto limit : limits) w.ranges_.push_back({2, static_cast<std::uint32_t>(limit)});
    return w;
}

primes_workload primes_workload::chunked(std::int64_t n, std::int64_t chunks) {
    primes_workload w;
    const std::int64_t width = n - 1;  // numbers in [2, n]
    for (std::int64_t i = 0; i < chunks; ++i) {
        const std::int64_t lo = 2 + width * i / chunks;
        const std::int64_t hi = 2 + width * (i + 1) / chunks - 1;
        w.ranges_.push_back({static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(hi)});
    }
    return w;
}

std::uint64_t primes_workload::compute(std::size_t task, const run_control& control) const {
    const range& r = ranges_.at(task);
    return sum_primes(r.lo, r.hi, control);
}

std::string primes_workload::describe(std::size_t task) const {
    const range& r = ranges_.at(task);
    if (r.lo == 2) return "primes <= " + std::to_string(r.hi);
    return "primes in [" + std::to_string(r.lo) + ", " + std::to_string(r.hi) + "]";
}

namespace {

using pt = param_type;

void check_primes(const workload_params& params) {
    if (params.get_choice("shape") == "chunked" && params.get_int("chunks") > params.get_int("n") - 1)
        throw_out_of_range("chunks", "1", "n - 1", std::to_string(params.get_int("n") - 1),
                           std::to_string(params.get_int("chunks")));
}

std::int64_t count_primes_tasks(const workload_params& params) {
    return params.get_choice("shape") == "chunked" ? params.get_int("chunks")
                                                   : static_cast<std::int64_t>(params.get_list("inputs").size());
}

std::unique_ptr<workload> make_primes(const workload_params& params, bool /*hold_data*/) {
    if (params.get_choice("shape") == "chunked")
        return std::make_unique<primes_workload>(primes_workload::chunked(params.get_int("n"), params.get_int("chunks")));
    return std::make_unique<primes_workload>(primes_workload::from_limits(params.get_list("inputs")));
}

}  // namespace

workload_description describe_primes() {
    return {"primes",
            {
                {"primes", "shape", pt::choice, "inputs", 0, 0, {"inputs", "chunked"}, 0, "",
                 "inputs: one task per limit in 'inputs'; chunked: the range [2, n] split into 'chunks' tasks"},
                {"primes", "inputs", pt::integer_list, "1000000,2000000,3000000", 2, 100'000'000, {}, 64, "inputs",
                 "limits: each task sums the primes <= its limit"},
                {"primes", "n", pt::integer, "2000000", 2, 100'000'000, {}, 0, "chunked", "sum the primes <= n"},
                {"primes", "chunks", pt::integer, "64", 1, 4096, {}, 0, "chunked",
                 "number of tasks the range is split into (at most n - 1)"},
            },
            check_primes,
            count_primes_tasks,
            make_primes};
}

}  // namespace parlab
