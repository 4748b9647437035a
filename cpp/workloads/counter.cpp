// The counter workload: a lost-update race and the three ways out of it, with the counter shared or per process.
#include "counter.hpp"

#include <algorithm>  // std::min
#include <new>        // placement new
#include <stdexcept>  // std::invalid_argument, std::out_of_range

namespace parlab {

counter_sync parse_counter_sync(std::string_view text) {
    if (text == "none") return counter_sync::none;
    if (text == "atomic") return counter_sync::atomic;
    if (text == "mutex") return counter_sync::mutex;
    if (text == "local") return counter_sync::local;
    throw std::invalid_argument("no counter sync " + std::string(text));
}

counter_workload::counter_workload(std::int64_t count, std::int64_t increments, counter_sync sync, bool shared)
    : count_(static_cast<std::size_t>(count)),
      increments_(static_cast<std::uint64_t>(increments)),
      sync_(sync),
      shared_(shared),
      cell_(shared ? new (platform::allocate_process_shared(sizeof(cell))) cell : new cell) {}

counter_workload::~counter_workload() {
    if (!shared_) {
        delete cell_;
        return;
    }
    cell_->~cell();
    platform::free_process_shared(cell_, sizeof(cell));
}

namespace {

/// Calls add() n times in slices of a few microseconds, with a checkpoint (Stop) before each slice: the sync is chosen
/// once per task, not tested on every increment, so an increment costs what its sync costs.
template <class Add>
void repeat_in_slices(std::uint64_t n, const run_control& control, Add add) {
    constexpr std::uint64_t slice = 4096;
    for (std::uint64_t done = 0; done < n;) {
        control.checkpoint();
        const std::uint64_t count = std::min(slice, n - done);
        for (std::uint64_t i = 0; i < count; ++i) add();
        done += count;
    }
}

}  // namespace

std::uint64_t counter_workload::compute(std::size_t task, const run_control& control) const {
    if (task >= count_) throw std::out_of_range("counter: no task " + std::to_string(task));
    auto& value = cell_->value;
    switch (sync_) {
        case counter_sync::none:
            // Under the simulated interpreter lock a checkpoint sits between the load and the store, where CPython
            // may switch threads inside `x += 1`.
            if (control.lock != nullptr) {
                repeat_in_slices(increments_, control, [&] {
                    const std::uint64_t seen = value.load(std::memory_order_relaxed);
                    control.checkpoint();
                    value.store(seen + 1, std::memory_order_relaxed);
                });
            } else {
                repeat_in_slices(increments_, control, [&] {
                    value.store(value.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
                });
            }
            break;
        case counter_sync::atomic:
            repeat_in_slices(increments_, control, [&] { value.fetch_add(1, std::memory_order_relaxed); });
            break;
        case counter_sync::mutex:
            repeat_in_slices(increments_, control, [&] {
                cell_->lock.lock();
                value.store(value.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
                cell_->lock.unlock();
            });
            break;
        case counter_sync::local: {
            std::uint64_t local = 0;  // a stop drops it: the run is incomplete then
            repeat_in_slices(increments_, control, [&] { ++local; });
            value.fetch_add(local, std::memory_order_relaxed);
            break;
        }
    }
    return increments_;
}

std::string counter_workload::describe(std::size_t task) const {
    static constexpr const char* names[] = {"none", "atomic", "mutex", "local"};
    return "add 1 to the counter " + std::to_string(increments_) + " times (sync " +
           names[static_cast<int>(sync_)] + ", task " + std::to_string(task + 1) + ")";
}

std::optional<std::uint64_t> counter_workload::get_counter_value() const {
    return cell_->value.load(std::memory_order_relaxed);
}

namespace {

using pt = param_type;

void check_counter(const workload_params& params) {
    if (params.get_int("shared") != 0 && !platform::can_share_with_processes())
        throw invalid_argument_error("shared", "0", "parameter 'shared'",
                                     "must be 0 here: memory shared with processes needs the native program (a "
                                     "browser \"process\" is a Web Worker with its own memory)");
}

std::int64_t count_counter_tasks(const workload_params& params) { return params.get_int("count"); }

std::unique_ptr<workload> make_counter(const workload_params& params, bool /*hold_data*/) {
    return std::make_unique<counter_workload>(params.get_int("count"), params.get_int("increments"),
                                              parse_counter_sync(params.get_choice("sync")),
                                              params.get_int("shared") != 0);
}

}  // namespace

workload_description describe_counter() {
    return {"counter",
            {
                {"counter", "count", pt::integer, "4", 1, 1024, {}, 0, "", "number of tasks, each adding to the counter"},
                {"counter", "increments", pt::integer, "2000000", 1, 100'000'000, {}, 0, "",
                 "how many times each task adds 1 to the counter"},
                {"counter", "sync", pt::choice, "none", 0, 0, {"none", "atomic", "mutex", "local"}, 0, "",
                 "none: load then store, unsynchronised (updates get lost); atomic: fetch_add; mutex: a lock around "
                 "each add; local: count privately, add the total once"},
                {"counter", "shared", pt::integer, "0", 0, 1, {}, 0, "",
                 "1: the counter lives in memory shared with worker processes (native only); 0: each process "
                 "adds to its own copy"},
            },
            check_counter,
            count_counter_tasks,
            make_counter};
}

}  // namespace parlab
