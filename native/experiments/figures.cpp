// The closing table of a preset's runs and the Amdahl preset's figures, from the runs kept in memory.
#include "experiments/figures.hpp"

#include <algorithm>  // std::min, std::max, std::sort
#include <iomanip>    // std::setw, std::setprecision
#include <map>        // std::map
#include <sstream>    // std::ostringstream

#include "summary.hpp"  // median

namespace parlab {

namespace {

/// "0.123 s" with three decimals.
std::string secs(double s) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(3) << s << " s";
    return out.str();
}

}  // namespace

void print_summary(const steps_runs& all, std::ostream& out) {
    out << "\nMeasured (speed-up relative to the first run of the same command";
    const bool phased = !all.empty() && !all.front().empty() && all.front()[0].job.has_value();
    out << (phased ? "; a two-phase job's total relative to the first job" : "") << "):\n";
    double first_total = 0;
    std::map<std::string, double> sequential_by_workload;  // the first ok sequential run of each workload
    for (const auto& runs : all) {
        if (runs.empty()) continue;
        if (phased) {  // one job per step, repeated: each job's two phases, then its total (one line per repeat)
            for (std::size_t j = 0; j < runs.size(); j += 2) {
                double total = 0;
                for (std::size_t k = j; k < std::min(j + 2, runs.size()); ++k) {
                    const double wall = runs[k].wall_s;
                    total += wall;
                    out << (k == j ? "  " : " + ") << runs[k].mode << " x" << runs[k].workers
                        << " " << secs(wall);
                }
                if (first_total == 0) first_total = total;
                out << " = " << secs(total) << "  " << std::fixed << std::setprecision(2) << first_total / total << "x\n";
            }
            continue;
        }
        const auto& first = runs[0];
        const std::string& workload = first.params.workload;
        double base = 0;
        if (first.mode != "sequential" && first.workers != 1) {
            if (const auto found = sequential_by_workload.find(workload); found != sequential_by_workload.end()) {
                base = found->second;
                out << "  (speed-ups below relative to the sequential run above: the same work)\n";
            }
        }
        for (const auto& r : runs) {
            const std::string& mode = r.mode;
            const unsigned workers = r.workers;
            const bool ok = r.ok;
            const double wall = r.wall_s;
            if (base == 0 && ok && wall > 0) base = wall;
            if (ok && wall > 0 && mode == "sequential") sequential_by_workload.emplace(workload, wall);
            out << "  " << std::left << std::setw(11) << workload << std::setw(12) << mode << " x" << std::setw(4)
                << workers << std::right << std::setw(10) << secs(wall);
            if (!ok) out << "  failed: " << r.error;
            else if (base > 0 && wall > 0) out << "  " << std::fixed << std::setprecision(2) << base / wall << "x";
            out << "\n";
        }
    }
}

amdahl_summary summarize_amdahl_runs(const steps_runs& steps, unsigned cpus) {
    if (steps.size() < 2) return {false, "the serial or the parallel step left no runs", 0, 0, 0, {}};
    std::vector<double> serial;
    for (const auto& r : steps[0])
        if (r.ok) serial.push_back(r.wall_s);
    std::map<unsigned, std::vector<double>> parallel;
    for (const auto& r : steps[1])
        if (r.ok) parallel[r.workers].push_back(r.wall_s);
    std::vector<std::pair<unsigned, double>> medians;
    for (const auto& [workers, walls] : parallel) medians.emplace_back(workers, median(walls));
    return summarize_amdahl(median(serial), medians, cpus);
}

void print_amdahl(const amdahl_summary& summary, unsigned cpus, std::ostream& out) {
    out << "\nAmdahl: the job is the serial part, then the parallel part";
    if (!summary.ok) {
        out << ": no summary (" << summary.message << ")\n";
        return;
    }
    out << " (medians; Amdahl predicts with at most " << cpus << " worker" << (cpus == 1 ? "" : "s")
        << " busy at once, the CPUs of the plan):\n"
        << "  workers    serial  parallel     total  speed-up  Amdahl predicts\n";
    for (const auto& row : summary.rows)
        out << "  " << std::left << std::setw(7) << row.workers << std::right << std::fixed << std::setprecision(3)
            << std::setw(9) << summary.serial_s << std::setw(10) << row.parallel_s << std::setw(10) << row.total_s
            << std::setprecision(2) << std::setw(9) << row.speedup << "x" << std::setw(15) << row.predicted << "x\n";
    out << std::fixed << std::setprecision(3) << "  serial fraction s = " << summary.serial_s << " s / ("
        << summary.serial_s << " s + " << summary.rows.front().parallel_s << " s) = " << summary.serial_fraction
        << "; limit 1/s = " << std::setprecision(2) << summary.limit
        << "x (every total includes the serial part, so no worker count passes it)\n";
}

nlohmann::ordered_json amdahl_to_json(const amdahl_summary& summary) {
    nlohmann::ordered_json j;
    j["ok"] = summary.ok;
    if (!summary.ok) {
        j["message"] = summary.message;
        return j;
    }
    j["serial_s"] = summary.serial_s;
    j["serial_fraction"] = summary.serial_fraction;
    j["limit"] = summary.limit;
    j["rows"] = nlohmann::ordered_json::array();
    for (const auto& row : summary.rows)
        j["rows"].push_back({{"workers", row.workers},
                             {"parallel_s", row.parallel_s},
                             {"total_s", row.total_s},
                             {"speedup", row.speedup},
                             {"predicted", row.predicted}});
    return j;
}

amdahl_summary summarize_amdahl(double serial_s, const std::vector<std::pair<unsigned, double>>& parallel_s,
                                unsigned cpus) {
    amdahl_summary summary;
    if (!(serial_s > 0)) {
        summary.message = "the serial part has no time (it failed or did not run)";
        return summary;
    }
    auto points = parallel_s;
    std::sort(points.begin(), points.end());
    if (points.empty() || points.front().first != 1 || !(points.front().second > 0)) {
        summary.message = "the parallel part has no 1-worker time, the base of every speed-up";
        return summary;
    }
    const double base_total = serial_s + points.front().second;
    summary.serial_s = serial_s;
    summary.serial_fraction = serial_s / base_total;
    summary.limit = 1 / summary.serial_fraction;
    for (const auto& [workers, parallel] : points) {
        if (!(parallel > 0)) continue;
        const double busy = std::min(workers, std::max(cpus, 1U));
        const double total = serial_s + parallel;
        summary.rows.push_back({workers, parallel, total, base_total / total,
                                1 / (summary.serial_fraction + (1 - summary.serial_fraction) / busy)});
    }
    summary.ok = true;
    return summary;
}

}  // namespace parlab
