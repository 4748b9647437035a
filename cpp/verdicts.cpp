// The cards' verdict rules (web/site/experiments.js's judge functions, rule for rule).
#include "verdicts.hpp"

#include <algorithm>  // std::max
#include <cmath>      // std::isfinite, std::nan
#include <initializer_list>  // std::initializer_list
#include <limits>     // std::numeric_limits

namespace parlab {

namespace {

constexpr double fast_speedup = 1.25;  // a speed-up that is clearly one
constexpr double flat_speedup = 1.1;   // a speed-up that is clearly none

const double missing = std::nan("");

/// The largest finite value, NaN if none.
double max_finite(std::initializer_list<double> values) {
    double best = missing;
    for (const double v : values)
        if (std::isfinite(v) && !(v <= best)) best = v;
    return best;
}

double max_finite(const speedups_by_workers& by_workers) {
    double best = missing;
    for (const auto& [workers, s] : by_workers) best = max_finite({best, s});
    return best;
}

/// The best speed-up at worker counts above `above`, NaN if none.
double best_above(const speedups_by_workers& by_workers, unsigned above) {
    double best = missing;
    for (const auto& [workers, s] : by_workers)
        if (workers > above) best = max_finite({best, s});
    return best;
}

/// The speed-up at the largest worker count not above `limit` that has one, NaN if none.
double at_or_below(const speedups_by_workers& by_workers, unsigned limit) {
    double found = missing;
    for (const auto& [workers, s] : by_workers)  // ascending
        if (workers <= limit && std::isfinite(s)) found = s;
    return found;
}

card_verdict claim(std::string_view id) { return {std::string(id), {}}; }
card_verdict inconclusive(std::string reason = {}) { return {std::string(inconclusive_verdict), std::move(reason)}; }

}  // namespace

card_verdict judge_io_threads(const io_threads_figures& figures, unsigned cpus) {
    auto all = figures.threads;
    for (const auto& [workers, s] : figures.async) {
        const auto found = all.find(workers);
        all[workers] = found == all.end() ? s : max_finite({found->second, s});
    }
    const double past = best_above(all, cpus);
    const double at_cores = at_or_below(all, cpus);
    if (!std::isfinite(past)) {
        if (!std::isfinite(at_cores)) return {};
        return inconclusive("no run had more workers than the " + std::to_string(cpus) + " logical CPUs");
    }
    if (past < 0.9) return claim("slower");
    if (past < flat_speedup) return claim("none");
    // Faster than any number of cores could make it: only overlapping waits explain that.
    if (past >= 1.25 * cpus && past >= fast_speedup) return claim("more");
    if (past <= 1.15 * max_finite({at_cores, 1.0}) && at_cores >= fast_speedup) return claim("cores");
    return inconclusive();
}

card_verdict judge_cpu_gil(const cpu_gil_figures& figures) {
    const double t = max_finite(figures.threads);
    const double g = max_finite(figures.gil);
    const double p = max_finite(figures.processes_busy);
    const auto fast = [](double x) { return x >= fast_speedup; };
    const auto flat = [](double x) { return x <= flat_speedup; };
    if (!std::isfinite(p)) return {};
    if (!std::isfinite(t) || !std::isfinite(g)) {
        if (flat(p)) return claim("none");
        return fast(p) ? inconclusive("the threads runs did not finish") : inconclusive();
    }
    if (fast(t) && fast(p) && flat(g)) return claim("not-gil");
    if (fast(t) && fast(g) && fast(p)) return claim("all");
    if (flat(t) && flat(g) && fast(p)) return claim("processes-only");
    if (flat(t) && flat(g) && flat(p)) return claim("none");
    return inconclusive();
}

card_verdict judge_oversubscription(const oversubscription_figures& figures, unsigned cpus) {
    const double cpu_past = best_above(figures.cpu, cpus);
    const double io_past = best_above(figures.io, cpus);
    auto cpu_with_one = figures.cpu;
    auto io_with_one = figures.io;
    cpu_with_one.emplace(1, 1.0);  // 1 worker is the base of every speed-up
    io_with_one.emplace(1, 1.0);
    const double cpu_at = at_or_below(cpu_with_one, cpus);
    const double io_at = at_or_below(io_with_one, cpus);
    if (!std::isfinite(cpu_past) || !std::isfinite(io_past)) {
        if (!std::isfinite(max_finite(figures.cpu))) return {};
        return inconclusive("at most " + std::to_string(figures.max_workers) + " workers ran, no more than the " +
                            std::to_string(cpus) + " logical CPUs, so nothing here goes past the cores");
    }
    if (std::max(cpu_past, io_past) < 0.8) return claim("slower");
    // "Stops at the cores" needs primes to have gained below them first (on 2+ CPUs): flat from the start is a busy
    // machine, not the lesson.
    double best_below = std::numeric_limits<double>::quiet_NaN();
    for (const auto& [workers, s] : figures.cpu)
        if (workers <= cpus) best_below = max_finite({best_below, s});
    if (cpus >= 2 && !(best_below >= fast_speedup))
        return inconclusive("the machine was busy: primes never got faster, not even with " + std::to_string(cpus) +
                            " workers or fewer (other programs had the cores)");
    const double cpu_gain = cpu_past / cpu_at;
    const double io_gain = io_past / io_at;
    const auto grows = [](double r) { return r >= 1.6; };
    const auto flat = [](double r) { return r < 1.25; };
    if (flat(cpu_gain) && grows(io_gain)) return claim("cpu-stops");
    if (flat(cpu_gain) && flat(io_gain)) return claim("both-stop");
    if (grows(cpu_gain) && grows(io_gain)) return claim("both-grow");
    return inconclusive();
}

card_verdict judge_amdahl(const amdahl_card_figures& figures) {
    const amdahl_card_point* best = nullptr;
    for (const auto& point : figures.points)
        if (std::isfinite(point.speedup) && (best == nullptr || point.speedup > best->speedup)) best = &point;
    if (best == nullptr || !std::isfinite(figures.serial_fraction)) return {};
    if (best->speedup < flat_speedup) return best->amdahl < flat_speedup ? claim("none") : inconclusive();
    if (best->speedup < 0.75 * best->amdahl)
        return inconclusive(
            "the machine was busy: the speed-up stayed well below even Amdahl's prediction (other programs had the cores)");
    if (best->speedup <= 1.12 * best->amdahl) return claim("capped");
    if (best->speedup >= 0.9 * best->linear && best->speedup > 1.25 * best->amdahl) return claim("linear");
    return inconclusive();
}

}  // namespace parlab
