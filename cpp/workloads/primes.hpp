// Sum of primes by 6k+-1 trial division, as the source texts compute it, one task per limit or per chunk.
#pragma once

#include <cstdint>  // std::uint32_t, std::uint64_t
#include <vector>   // std::vector

#include "workload.hpp"
#include "workload_registry.hpp"

namespace parlab {

/// True if x is prime, by trial division with the divisors 6k-1 and 6k+1.
[[nodiscard]] bool is_prime(std::uint32_t x);

/// Sum of the primes in [lo, hi]; throws cancelled_error if control.cancel is set meanwhile.
[[nodiscard]] std::uint64_t sum_primes(std::uint32_t lo, std::uint32_t hi, const run_control& control);

class primes_workload final : public workload {
public:
    /// One task per range [lo, hi].
    struct range {
        std::uint32_t lo;
        std::uint32_t hi;
    };

    /// One task per limit: task i sums the primes <= limits[i].
    [[nodiscard]] static primes_workload from_limits(const std::vector<std::int64_t>& limits);
    /// The range [2, n] split into `chunks` contiguous tasks of (nearly) equal width.
    [[nodiscard]] static primes_workload chunked(std::int64_t n, std::int64_t chunks);

    [[nodiscard]] std::size_t get_task_count() const override { return ranges_.size(); }
    [[nodiscard]] std::uint64_t compute(std::size_t task, const run_control& control) const override;
    [[nodiscard]] std::string describe(std::size_t task) const override;
    [[nodiscard]] const std::vector<range>& get_ranges() const { return ranges_; }

private:
    std::vector<range> ranges_;
};

/// The primes workload's entry in the registry: its parameters, cross-checks, task count and factory.
[[nodiscard]] workload_description describe_primes();

}  // namespace parlab
