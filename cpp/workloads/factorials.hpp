// Exact big-integer factorials: many tiny tasks that expose each executor's per-task overhead.
#pragma once

#include <cstdint>  // std::uint32_t, std::uint64_t
#include <string>   // std::string
#include <vector>   // std::vector

#include "workload.hpp"
#include "workload_registry.hpp"

namespace parlab {

/// m! in base 10^9, least significant limb first (base 10^9 makes decimal printing and checking trivial).
[[nodiscard]] std::vector<std::uint32_t> factorial_limbs(std::uint32_t m, const run_control& control);

/// m! in decimal.
[[nodiscard]] std::string factorial_decimal(std::uint32_t m);

/// FNV-1a (64-bit) over the limbs' values: a platform-independent checksum of the exact result.
[[nodiscard]] std::uint64_t checksum_limbs(const std::vector<std::uint32_t>& limbs);

class factorials_workload final : public workload {
public:
    /// Task i computes inputs[i % inputs.size()]!, for inputs.size() * repeat tasks.
    factorials_workload(std::vector<std::int64_t> inputs, std::int64_t repeat);

    [[nodiscard]] std::size_t get_task_count() const override { return inputs_.size() * repeat_; }
    [[nodiscard]] std::uint64_t compute(std::size_t task, const run_control& control) const override;
    [[nodiscard]] std::string describe(std::size_t task) const override;

private:
    std::vector<std::int64_t> inputs_;
    std::size_t repeat_;
};

/// The factorials workload's entry in the registry: its parameters, cross-checks, task count and factory.
[[nodiscard]] workload_description describe_factorials();

}  // namespace parlab
