// The CV factory (two-phase job): gather each CV's photo (simulated download), then render each CV's page.
#pragma once

#include <cstdint>  // std::int64_t, std::uint64_t
#include <string>   // std::string

#include "workload.hpp"
#include "workload_registry.hpp"

namespace parlab {

/// One phase of the CV factory: `gather` (task i waits the simulated latency, then makes photo i and checksums
/// it) or `render` (task i makes photo i again, rasterises page i with it and compresses the page; the value is
/// the compressed bytes' FNV-1a). Both phases derive photo i from (seed, i): no photo passes between them.
class cv_workload final : public workload {
public:
    enum class phase { gather, render };

    /// Arguments as checked by parse_params (count 1..1000, latency 0..10000 ms, page_kpx in render's bounds).
    cv_workload(phase which, std::int64_t count, double latency_ms, std::uint64_t seed, std::int64_t page_kpx);

    [[nodiscard]] std::size_t get_task_count() const override { return count_; }
    /// gather: latency_ms (simulated, no CPU used); render: 0.
    [[nodiscard]] double get_wait_seconds(std::size_t task) const override;
    [[nodiscard]] std::uint64_t compute(std::size_t task, const run_control& control) const override;
    [[nodiscard]] std::string describe(std::size_t task) const override;
    /// "gather" or "render".
    [[nodiscard]] std::string get_phase() const override;
    /// Always true: the cv job's per-task log shows memory.
    [[nodiscard]] bool records_memory() const override { return true; }

private:
    phase phase_;
    std::size_t count_;
    double latency_ms_;
    std::uint64_t seed_;
    std::int64_t page_kpx_;
};

/// The cv workload's entry in the registry: its parameters, cross-checks, task count and factory.
[[nodiscard]] workload_description describe_cv();

}  // namespace parlab
