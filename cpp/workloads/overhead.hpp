// A cheap function over lots of data: the workload that shows what handing data to processes costs.
#pragma once

#include <cstdint>  // std::uint8_t, std::uint64_t
#include <span>     // std::span
#include <utility>  // std::pair
#include <vector>   // std::vector

#include "workload.hpp"
#include "workload_registry.hpp"

namespace parlab {

/// The cheap function of one item: `work` rounds of FNV-1a over its bytes, each round ending in a shift-xor.
[[nodiscard]] std::uint64_t hash_item(std::span<const std::uint8_t> item, std::int64_t work);

/// `items` items of `item_bytes` bytes each, generated from `seed` when the workload is built (the parent holds
/// them, as a Python program holds its list). Task t covers items [t * chunk, min(items, (t + 1) * chunk)); its
/// value is the sum (mod 2^64) of hash_item over them, so the checksum is the same whatever the chunk.
/// In-memory modes compute straight on the held data; a process gets a task's items as input bytes and sends
/// back one 64-bit result per item (little-endian), as a Python process pool pickles arguments and results.
class overhead_workload final : public workload {
public:
    /// hold_data false builds a receiver: it computes only from input it is given (compute_from_input), as a
    /// process worker that gets its data over a pipe; compute() and write_input() then throw std::logic_error.
    overhead_workload(std::int64_t items, std::int64_t item_bytes, std::int64_t work, std::int64_t chunk,
                      std::uint64_t seed, bool hold_data = true);

    [[nodiscard]] std::size_t get_task_count() const override { return (items_ + chunk_ - 1) / chunk_; }
    [[nodiscard]] std::uint64_t compute(std::size_t task, const run_control& control) const override;
    [[nodiscard]] std::string describe(std::size_t task) const override;

    /// item_bytes for each item of the task.
    [[nodiscard]] std::size_t get_input_bytes(std::size_t task) const override;
    /// The task's items, copied out of the held data.
    void write_input(std::size_t task, std::span<std::uint8_t> out) const override;
    /// 8 bytes (one 64-bit result) for each item of the task.
    [[nodiscard]] std::size_t get_output_bytes(std::size_t task) const override;
    [[nodiscard]] std::uint64_t compute_from_input(std::size_t task, std::span<const std::uint8_t> input,
                                                   std::span<std::uint8_t> output,
                                                   const run_control& control) const override;
    /// The sum of the 64-bit results in output.
    [[nodiscard]] std::uint64_t read_output(std::size_t task, std::span<const std::uint8_t> output) const override;

private:
    /// First item and item count of a task; throws std::out_of_range for a task that does not exist.
    [[nodiscard]] std::pair<std::size_t, std::size_t> get_items_of(std::size_t task) const;
    /// Hashes the items in `data` (count of them), writing each result to output when it is not empty.
    [[nodiscard]] std::uint64_t hash_items(const std::uint8_t* data, std::size_t count, std::span<std::uint8_t> output,
                                           const run_control& control) const;

    std::size_t items_;
    std::size_t item_bytes_;
    std::int64_t work_;
    std::size_t chunk_;
    std::vector<std::uint8_t> data_;  ///< items_ * item_bytes_ bytes; empty in a receiver
};

/// The overhead workload's entry in the registry: its parameters, cross-checks, task count and factory.
[[nodiscard]] workload_description describe_overhead();

}  // namespace parlab
