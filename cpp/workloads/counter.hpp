// Races and locks: tasks that add 1 to one shared counter, unsynchronised, atomically, under a lock, or locally.
#pragma once

#include <atomic>       // std::atomic
#include <cstdint>      // std::int64_t, std::uint64_t
#include <string_view>  // std::string_view

#include "platform.hpp"
#include "workload.hpp"
#include "workload_registry.hpp"

namespace parlab {

/// How the counter workload's tasks add to the counter.
enum class counter_sync {
    none,    ///< a relaxed atomic load, then a relaxed store of the value plus one: a real (defined) lost-update race
    atomic,  ///< fetch_add
    mutex,   ///< load and store under a lock
    local,   ///< count in a local variable, add the task's total once at the end (one fetch_add)
};

/// counter_sync from its parameter text ("none", "atomic", "mutex", "local"); throws std::invalid_argument otherwise.
[[nodiscard]] counter_sync parse_counter_sync(std::string_view text);

/// `count` tasks, each adding 1 to one 64-bit counter `increments` times as `sync` says. A task's value is its
/// increments (the same in every mode); the counter's final value (get_counter_value) is what the updates left.
/// The counter lives in the workload: threads share it; a process pool's children each add to their own copy,
/// unless `shared`, where it lives in memory shared across fork (and races there like threads).
/// Under a simulated interpreter lock, a task may hand the lock over between its load and its store (a checkpoint
/// there), as CPython may switch threads inside `x += 1`.
class counter_workload final : public workload {
public:
    /// Throws std::runtime_error if `shared` and the platform cannot share memory with processes.
    counter_workload(std::int64_t count, std::int64_t increments, counter_sync sync, bool shared);
    ~counter_workload() override;
    counter_workload(const counter_workload&) = delete;
    counter_workload& operator=(const counter_workload&) = delete;

    [[nodiscard]] std::size_t get_task_count() const override { return count_; }
    [[nodiscard]] std::uint64_t compute(std::size_t task, const run_control& control) const override;
    [[nodiscard]] std::string describe(std::size_t task) const override;
    [[nodiscard]] std::optional<std::uint64_t> get_counter_value() const override;

private:
    /// The shared state: in the workload's own memory, or in process-shared memory.
    struct cell {
        std::atomic<std::uint64_t> value{0};
        platform::process_mutex lock;
    };

    std::size_t count_;
    std::uint64_t increments_;
    counter_sync sync_;
    bool shared_;
    cell* cell_;
};

/// The counter workload's entry in the registry: its parameters, cross-checks, task count and factory.
[[nodiscard]] workload_description describe_counter();

}  // namespace parlab
