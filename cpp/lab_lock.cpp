// The lab locks' waits and the search of their wait-for graph for a cycle.
#include "lab_lock.hpp"

#include <algorithm>  // std::find, std::min_element, std::rotate
#include <utility>    // std::move

namespace parlab {

lab_locks::lab_locks(std::vector<std::string> names)
    : names_(std::move(names)), holders_(names_.size()), hold_stretch_(names_.size()) {}

void lab_locks::acquire(std::size_t index, unsigned worker, const run_control& control) {
    {
        const std::scoped_lock lock(graph_mutex_);
        if (deadlock_reported_) throw cancelled_error();
        if (try_take(index, worker)) return;
    }
    const interpreter_lock_released unlocked(control.lock);
    std::unique_lock lock(graph_mutex_);
    const auto since = platform::clock::now();
    waits_[worker] = {index, since, stretches_.size()};
    stretches_.push_back({worker, index, false, since, std::nullopt});
    struct wait_end {  // whatever way the wait ends, the graph forgets it and the stretch ends
        lab_locks& locks;
        unsigned worker;
        ~wait_end() {
            locks.stretches_[locks.waits_.at(worker).stretch].to = platform::clock::now();
            locks.waits_.erase(worker);
            locks.clear_deadlock_if_idle();
        }
    } end{*this, worker};
    while (true) {
        if (deadlock_reported_ || control.is_cancelled()) throw cancelled_error();
        if (try_take(index, worker)) return;
        if (auto message = find_deadlock(worker, platform::clock::now())) {
            deadlock_reported_ = true;  // the other waiters leave as cancelled; this one reports
            lock_released_cv_.notify_all();
            throw deadlock_error(*message);
        }
        lock_released_cv_.wait_for(lock, lock_wait_slice);
    }
}

void lab_locks::release(std::size_t index, unsigned worker) {
    const std::scoped_lock lock(graph_mutex_);
    if (holders_.at(index) != worker)
        throw std::logic_error("worker " + std::to_string(worker) + " releases lock " + names_[index] +
                               ", which it does not hold");
    holders_[index].reset();
    stretches_[hold_stretch_[index]].to = platform::clock::now();
    clear_deadlock_if_idle();
    lock_released_cv_.notify_all();
}

std::optional<unsigned> lab_locks::get_holder(std::size_t index) const {
    const std::scoped_lock lock(graph_mutex_);
    return holders_.at(index);
}

std::vector<lock_stretch> lab_locks::get_stretches(platform::clock::time_point since) const {
    const std::scoped_lock lock(graph_mutex_);
    const auto now = platform::clock::now();
    const auto seconds = [since](platform::clock::time_point t) { return std::chrono::duration<double>(t - since).count(); };
    std::vector<lock_stretch> out;
    out.reserve(stretches_.size());
    for (const auto& s : stretches_)
        out.push_back({s.worker, names_[s.lock], s.held, seconds(s.from), seconds(s.to.value_or(now))});
    return out;
}

bool lab_locks::try_take(std::size_t index, unsigned worker) {
    if (holders_.at(index)) return false;
    holders_[index] = worker;
    hold_stretch_[index] = stretches_.size();
    stretches_.push_back({worker, index, true, platform::clock::now(), std::nullopt});
    return true;
}

std::optional<std::string> lab_locks::find_deadlock(unsigned worker, platform::clock::time_point now) const {
    // Follow the chain: worker waits for a lock, its holder waits for another, ... until a free lock or a
    // worker that does not wait (no deadlock), or a worker already seen (a cycle, maybe not through `worker`).
    std::vector<unsigned> chain;
    unsigned current = worker;
    while (std::find(chain.begin(), chain.end(), current) == chain.end()) {
        const auto waiting = waits_.find(current);
        if (waiting == waits_.end()) return std::nullopt;
        const auto holder = holders_[waiting->second.lock];
        if (!holder) return std::nullopt;
        chain.push_back(current);
        current = *holder;
    }
    std::vector<unsigned> cycle(std::find(chain.begin(), chain.end(), current), chain.end());
    for (const unsigned member : cycle)
        if (now - waits_.at(member).since < deadlock_bound) return std::nullopt;
    // Start from the lowest worker, so every member of the cycle words it the same way.
    std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
    std::string message = "deadlock: ";
    for (std::size_t k = 0; k < cycle.size(); ++k) {
        const unsigned previous = cycle[(k + cycle.size() - 1) % cycle.size()];
        if (k > 0) message += "; ";
        message += "worker " + std::to_string(cycle[k]) + " holds " + names_[waits_.at(previous).lock] +
                   ", waits for " + names_[waits_.at(cycle[k]).lock];
    }
    return message;
}

void lab_locks::clear_deadlock_if_idle() {
    if (!waits_.empty()) return;
    for (const auto& holder : holders_)
        if (holder) return;
    deadlock_reported_ = false;
}

}  // namespace parlab
