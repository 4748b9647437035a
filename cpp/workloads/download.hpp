// The I/O-bound stand-in: each task waits a simulated network latency (no CPU), then checksums a payload.
#pragma once

#include <cstdint>  // std::uint64_t

#include "workload.hpp"
#include "workload_registry.hpp"

namespace parlab {

/// splitmix64: a tiny, well-mixed generator; the same sequence on every platform.
[[nodiscard]] std::uint64_t splitmix64(std::uint64_t& state);

class download_workload final : public workload {
public:
    download_workload(std::int64_t count, double latency_ms, double jitter_ms, std::uint64_t seed,
                      std::int64_t work_kib);

    [[nodiscard]] std::size_t get_task_count() const override { return count_; }
    /// latency_ms +/- a jitter drawn from (seed, task): the same for a task whatever runs it, and when.
    [[nodiscard]] double get_wait_seconds(std::size_t task) const override;
    /// FNV-1a over work_kib KiB of bytes generated from (seed, task): the "received payload".
    [[nodiscard]] std::uint64_t compute(std::size_t task, const run_control& control) const override;
    [[nodiscard]] std::string describe(std::size_t task) const override;
    [[nodiscard]] std::string get_phase() const override { return "download"; }

private:
    std::size_t count_;
    double latency_ms_;
    double jitter_ms_;
    std::uint64_t seed_;
    std::size_t work_bytes_;
};

/// The download workload's entry in the registry: its parameters, cross-checks, task count and factory.
[[nodiscard]] workload_description describe_download();

}  // namespace parlab
