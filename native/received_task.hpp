// A received task: the workload as a worker process (a pool's child, an MPI rank) computes it, from the bytes sent.
#pragma once

#include <cstdint>  // std::uint8_t
#include <span>     // std::span

#include "workload.hpp"

namespace parlab {

/// The workload as a worker process sees it while running one received task: compute() works on the bytes that
/// came with the task (compute_from_input), not on any copy of the parent's data that fork left in this process.
class received_task final : public workload {
public:
    received_task(const workload& inner, std::span<const std::uint8_t> input, std::span<std::uint8_t> output)
        : inner_(inner), input_(input), output_(output) {}
    [[nodiscard]] std::size_t get_task_count() const override { return inner_.get_task_count(); }
    [[nodiscard]] double get_wait_seconds(std::size_t task) const override { return inner_.get_wait_seconds(task); }
    [[nodiscard]] std::string describe(std::size_t task) const override { return inner_.describe(task); }
    [[nodiscard]] std::string get_phase() const override { return inner_.get_phase(); }
    [[nodiscard]] bool records_memory() const override { return inner_.records_memory(); }
    [[nodiscard]] std::vector<task_file> get_task_files(std::size_t task) const override {
        return inner_.get_task_files(task);
    }
    void prepare_task(std::size_t task) const override { inner_.prepare_task(task); }
    [[nodiscard]] std::uint64_t compute(std::size_t task, const run_control& control) const override {
        return inner_.compute_from_input(task, input_, output_, control);
    }

private:
    const workload& inner_;
    std::span<const std::uint8_t> input_;
    std::span<std::uint8_t> output_;
};

}  // namespace parlab
