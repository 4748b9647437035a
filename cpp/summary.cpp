// The sweep summary: the one place where repeats become medians and medians become speed-ups and fits.
#include "summary.hpp"

#include <algorithm>  // std::sort, std::minmax_element, std::find, std::max
#include <cstdint>    // std::uint32_t
#include <map>        // std::map
#include <utility>    // std::pair

namespace parlab {

double median(std::vector<double> values) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

namespace {

/// From the timed sequential runs that recorded two or more tasks: each task's median time over the repeats.
std::optional<critical_path_bound> get_critical_path(const std::vector<run_result>& runs, unsigned most_workers) {
    std::map<std::uint32_t, std::vector<double>> times;  // by task id
    for (const auto& run : runs)
        if (run.mode == "sequential" && run.ok && run.complete && run.tasks.size() > 1)
            for (const auto& task : run.tasks) times[task.id].push_back(task.end_s - task.start_s);
    if (times.empty()) return std::nullopt;
    std::vector<double> durations;
    for (const auto& [id, samples] : times) durations.push_back(median(samples));
    double total = 0;
    double longest = 0;
    for (const double d : durations) {
        if (!(d > 0)) return std::nullopt;  // a task too short to time says nothing
        total += d;
        longest = std::max(longest, d);
    }
    critical_path_bound bound;
    bound.limit = total / longest;
    for (const double d : durations) bound.shares.push_back(d / total);
    bound.binds = bound.limit < 0.9 * static_cast<double>(durations.size()) && bound.limit < most_workers;
    return bound;
}

}  // namespace

sweep_summary summarize_sweep(const std::vector<run_result>& runs) {
    // The timed wall times of each (mode, workers), in the order the cells first appear.
    std::vector<std::pair<std::string, unsigned>> order;
    std::map<std::pair<std::string, unsigned>, std::vector<double>> walls;
    std::map<std::pair<std::string, unsigned>, std::vector<const run_result*>> counted;  // runs with lost_updates
    for (const auto& run : runs) {
        const auto key = std::make_pair(run.mode, run.workers);
        if (walls.find(key) == walls.end()) order.push_back(key);
        auto& samples = walls[key];
        if (run.ok && run.complete) samples.push_back(run.wall_s);
        if (run.lost_updates && run.ns_per_increment) counted[key].push_back(&run);
    }
    const auto median_of = [&walls](const std::string& mode, unsigned workers) -> std::optional<double> {
        const auto it = walls.find({mode, workers});
        if (it == walls.end() || it->second.empty()) return std::nullopt;
        return median(it->second);
    };

    sweep_summary summary;
    const auto sequential = median_of("sequential", 1);
    for (const auto& [mode, workers] : order) {
        const auto& samples = walls[{mode, workers}];
        sweep_point point;
        point.mode = mode;
        point.workers = workers;
        point.runs = samples.size();
        if (!samples.empty()) {
            const double wall = median(samples);
            const auto [fastest, slowest] = std::minmax_element(samples.begin(), samples.end());
            point.median_s = wall;
            point.min_s = *fastest;
            point.max_s = *slowest;
            if (const auto base = median_of(mode, 1); base && wall > 0) {
                point.speedup = *base / wall;
                point.efficiency = *point.speedup / workers;
            }
            if (sequential && wall > 0) point.vs_sequential = *sequential / wall;
        }
        if (const auto it = counted.find({mode, workers}); it != counted.end()) {
            std::vector<double> lost;
            std::vector<double> cost;
            for (const auto* run : it->second) {
                lost.push_back(static_cast<double>(*run->lost_updates));
                cost.push_back(*run->ns_per_increment);
            }
            point.median_lost_updates = median(lost);
            point.median_ns_per_increment = median(cost);
            point.increments = it->second.front()->checksum;
        }
        std::vector<double> latest;
        for (const auto& run : runs)
            if (run.mode == mode && run.workers == workers && run.ok && run.complete && run.late_max_s)
                latest.push_back(*run.late_max_s);
        if (!latest.empty()) point.median_late_max_s = median(latest);
        summary.points.push_back(point);
    }

    std::vector<std::string> modes;  // in order of appearance
    for (const auto& key : order)
        if (std::find(modes.begin(), modes.end(), key.first) == modes.end()) modes.push_back(key.first);
    for (const auto& mode : modes) {
        std::map<unsigned, double> medians;  // by worker count
        for (const auto& point : summary.points)
            if (point.mode == mode && point.median_s) medians[point.workers] = *point.median_s;
        if (medians.size() < 2) continue;
        std::vector<amdahl_point> points;
        if (const auto base = medians.find(1); base != medians.end())
            for (const auto& [workers, wall] : medians)
                if (wall > 0) points.push_back({static_cast<double>(workers), base->second / wall});
        summary.fits.push_back({mode, fit_amdahl(points)});
    }
    unsigned most_workers = 0;
    for (const auto& point : summary.points)
        if (point.median_s) most_workers = std::max(most_workers, point.workers);
    summary.critical_path = get_critical_path(runs, most_workers);
    return summary;
}

}  // namespace parlab
