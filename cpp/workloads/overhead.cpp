// The overhead workload: seeded items, the cheap per-item hash, and the input/output payload of a task.
#include "overhead.hpp"

#include <algorithm>  // std::copy_n, std::min
#include <stdexcept>  // std::invalid_argument, std::logic_error, std::out_of_range
#include <string>     // std::to_string

#include "download.hpp"  // splitmix64

namespace parlab {

namespace {
constexpr std::uint64_t fnv_offset = 14695981039346656037ULL;
constexpr std::uint64_t fnv_prime = 1099511628211ULL;
constexpr std::size_t result_bytes = 8;               // one 64-bit result per item
constexpr std::size_t bytes_between_checkpoints = 1 << 16;  // ~50 us of hashing

void store_le64(std::uint8_t* out, std::uint64_t value) {
    for (std::size_t i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(value >> (8 * i));
}

std::uint64_t load_le64(const std::uint8_t* in) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < 8; ++i) value |= static_cast<std::uint64_t>(in[i]) << (8 * i);
    return value;
}
}  // namespace

std::uint64_t hash_item(std::span<const std::uint8_t> item, std::int64_t work) {
    std::uint64_t hash = fnv_offset;
    for (std::int64_t round = 0; round < work; ++round) {
        for (const std::uint8_t byte : item) {
            hash ^= byte;
            hash *= fnv_prime;
        }
        hash ^= hash >> 29;
    }
    return hash;
}

overhead_workload::overhead_workload(std::int64_t items, std::int64_t item_bytes, std::int64_t work,
                                     std::int64_t chunk, std::uint64_t seed, bool hold_data)
    : items_(static_cast<std::size_t>(items)),
      item_bytes_(static_cast<std::size_t>(item_bytes)),
      work_(work),
      chunk_(static_cast<std::size_t>(chunk)) {
    if (items < 1 || item_bytes < 1 || work < 1 || chunk < 1)
        throw std::invalid_argument("overhead: items, item_bytes, work and chunk must be at least 1");
    if (!hold_data) return;
    data_.resize(items_ * item_bytes_);
    std::uint64_t state = seed;
    std::size_t i = 0;
    for (; i + 8 <= data_.size(); i += 8) store_le64(&data_[i], splitmix64(state));
    for (std::uint64_t last = splitmix64(state); i < data_.size(); ++i, last >>= 8)
        data_[i] = static_cast<std::uint8_t>(last);
}

std::pair<std::size_t, std::size_t> overhead_workload::get_items_of(std::size_t task) const {
    if (task >= get_task_count()) throw std::out_of_range("overhead: no task " + std::to_string(task));
    const std::size_t first = task * chunk_;
    return {first, std::min(items_, first + chunk_) - first};
}

std::uint64_t overhead_workload::hash_items(const std::uint8_t* data, std::size_t count,
                                            std::span<std::uint8_t> output, const run_control& control) const {
    std::uint64_t sum = 0;
    std::size_t since_checkpoint = 0;
    const std::size_t bytes_per_item = item_bytes_ * static_cast<std::size_t>(work_);
    for (std::size_t k = 0; k < count; ++k) {
        since_checkpoint += bytes_per_item;
        if (since_checkpoint >= bytes_between_checkpoints) {
            control.checkpoint();
            since_checkpoint = 0;
        }
        const std::uint64_t result = hash_item({data + k * item_bytes_, item_bytes_}, work_);
        if (!output.empty()) store_le64(&output[k * result_bytes], result);
        sum += result;  // wraps modulo 2^64
    }
    return sum;
}

std::uint64_t overhead_workload::compute(std::size_t task, const run_control& control) const {
    const auto [first, count] = get_items_of(task);
    if (data_.empty()) throw std::logic_error("overhead: this receiver holds no data; use compute_from_input");
    return hash_items(&data_[first * item_bytes_], count, {}, control);
}

std::string overhead_workload::describe(std::size_t task) const {
    const auto [first, count] = get_items_of(task);
    return "items " + std::to_string(first) + ".." + std::to_string(first + count - 1);
}

std::size_t overhead_workload::get_input_bytes(std::size_t task) const { return get_items_of(task).second * item_bytes_; }

void overhead_workload::write_input(std::size_t task, std::span<std::uint8_t> out) const {
    const auto [first, count] = get_items_of(task);
    if (data_.empty()) throw std::logic_error("overhead: this receiver holds no data to send");
    if (out.size() != count * item_bytes_)
        throw std::invalid_argument("overhead: task " + std::to_string(task) + " input needs " +
                                    std::to_string(count * item_bytes_) + " bytes (got " + std::to_string(out.size()) +
                                    ")");
    std::copy_n(&data_[first * item_bytes_], out.size(), out.begin());
}

std::size_t overhead_workload::get_output_bytes(std::size_t task) const {
    return get_items_of(task).second * result_bytes;
}

std::uint64_t overhead_workload::compute_from_input(std::size_t task, std::span<const std::uint8_t> input,
                                                    std::span<std::uint8_t> output,
                                                    const run_control& control) const {
    const auto count = get_items_of(task).second;
    if (input.size() != count * item_bytes_ || output.size() != count * result_bytes)
        throw std::invalid_argument("overhead: task " + std::to_string(task) + " takes " +
                                    std::to_string(count * item_bytes_) + " input and " +
                                    std::to_string(count * result_bytes) + " output bytes (got " +
                                    std::to_string(input.size()) + " and " + std::to_string(output.size()) + ")");
    return hash_items(input.data(), count, output, control);
}

std::uint64_t overhead_workload::read_output(std::size_t task, std::span<const std::uint8_t> output) const {
    const auto count = get_items_of(task).second;
    if (output.size() != count * result_bytes)
        throw std::invalid_argument("overhead: task " + std::to_string(task) + " answers " +
                                    std::to_string(count * result_bytes) + " output bytes (got " +
                                    std::to_string(output.size()) + ")");
    std::uint64_t sum = 0;
    for (std::size_t k = 0; k < count; ++k) sum += load_le64(&output[k * result_bytes]);
    return sum;
}

namespace {

using pt = param_type;

/// Upper bound on the data (items x item_bytes), so the page's wasm memory stays modest.
constexpr std::int64_t max_overhead_bytes = std::int64_t{64} << 20;

std::int64_t count_overhead_tasks(const workload_params& params) {
    return (params.get_int("items") + params.get_int("chunk") - 1) / params.get_int("chunk");
}

void check_overhead(const workload_params& params) {
    const auto items = params.get_int("items");
    if (const auto bytes = items * params.get_int("item_bytes"); bytes > max_overhead_bytes)
        throw_too_large("items", "x", "item_bytes", max_overhead_bytes, "bytes", bytes);
    if (params.get_int("chunk") > items)
        throw_out_of_range("chunk", "1", "items", std::to_string(items), std::to_string(params.get_int("chunk")));
    if (const auto tasks = count_overhead_tasks(params); tasks > max_tasks_per_run)
        throw_too_large("items", "/", "chunk", max_tasks_per_run, "tasks", tasks);
}

std::unique_ptr<workload> make_overhead(const workload_params& params, bool hold_data) {
    return std::make_unique<overhead_workload>(params.get_int("items"), params.get_int("item_bytes"),
                                               params.get_int("work"), params.get_int("chunk"),
                                               static_cast<std::uint64_t>(params.get_int("seed")), hold_data);
}

}  // namespace

workload_description describe_overhead() {
    return {"overhead",
            {
                {"overhead", "items", pt::integer, "200000", 1, 10'000'000, {}, 0, "",
                 "data items, generated from the seed (items x item_bytes at most 64 MiB)"},
                {"overhead", "item_bytes", pt::integer, "64", 8, 65'536, {}, 0, "",
                 "bytes of one item: what a process is sent for it"},
                {"overhead", "work", pt::integer, "1", 1, 10'000, {}, 0, "",
                 "rounds of the cheap hash over each item (the work per byte sent)"},
                {"overhead", "chunk", pt::integer, "1000", 1, 10'000'000, {}, 0, "",
                 "items per task (at most items; tasks = items / chunk rounded up, at most 1000000)"},
                {"overhead", "seed", pt::integer, "1", 0, 4'294'967'295.0, {}, 0, "", "seed of the items' bytes"},
            },
            check_overhead,
            count_overhead_tasks,
            make_overhead};
}

}  // namespace parlab
