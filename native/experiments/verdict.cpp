// The cards' verdict rules fed from a preset's runs: medians, and both ends of the repeats' spread.
#include "experiments/verdict.hpp"

#include <algorithm>  // std::any_of, std::max_element, std::min_element, std::min
#include <cmath>      // std::nan
#include <iomanip>    // std::setprecision
#include <map>        // std::map
#include <set>        // std::set
#include <sstream>    // std::ostringstream
#include <vector>     // std::vector

#include "executor.hpp"  // max_workers
#include "summary.hpp"   // median

namespace parlab {

namespace {

/// A preset's run times by (step, mode, workers), as the page's cards read theirs: the medians a card judges, or an
/// end of the repeats' spread ("low" makes every speed-up as small as the repeats allow, "high" as large).
class run_times {
public:
    enum class pick { median, low, high };

    explicit run_times(const steps_runs& runs) {
        for (std::size_t step = 0; step < runs.size(); ++step)
            for (const auto& r : runs[step]) {
                const double wall = r.wall_s;
                if (!r.ok || !r.complete || !(wall > 0)) continue;
                const auto k = key(step, r.mode, r.workers);
                wall_[k].push_back(wall);
                if (wall - r.startup_s > 0) busy_[k].push_back(wall - r.startup_s);
                workers_[{step, r.mode}].insert(r.workers);
            }
    }

    static std::string key(std::size_t step, const std::string& mode, unsigned workers) {
        return std::to_string(step) + ":" + mode + ":" + std::to_string(workers);
    }

    /// The worker counts that ran in one step and mode, ascending.
    [[nodiscard]] std::set<unsigned> get_workers(std::size_t step, const std::string& mode) const {
        const auto found = workers_.find({step, mode});
        return found == workers_.end() ? std::set<unsigned>{} : found->second;
    }

    /// Median time (or, at an end of the spread, the fastest), NaN when the job has no finished run.
    [[nodiscard]] double get_time(const std::string& k, pick p) const { return stat(wall_, k, p, false); }

    /// Speed-up of job k over job base: base's time / k's time; busy: k's time less its pool's start-up.
    [[nodiscard]] double get_ratio(const std::string& base, const std::string& k, pick p, bool busy = false) const {
        const double b = stat(wall_, base, p, p != pick::low);
        const double t = stat(busy ? busy_ : wall_, k, p, p == pick::low);
        return b > 0 && t > 0 ? b / t : std::nan("");
    }

    /// The largest relative spread (max - min) / median among the jobs; 0 with one run each.
    [[nodiscard]] double get_spread() const {
        double worst = 0;
        for (const auto& [k, xs] : wall_)
            if (xs.size() > 1)
                worst = std::max(worst, (*std::max_element(xs.begin(), xs.end()) - *std::min_element(xs.begin(), xs.end())) /
                                            median(xs));
        return worst;
    }

    [[nodiscard]] bool has_repeats() const {
        return std::any_of(wall_.begin(), wall_.end(), [](const auto& entry) { return entry.second.size() > 1; });
    }

private:
    using samples = std::map<std::string, std::vector<double>>;
    static double stat(const samples& from, const std::string& k, pick p, bool largest) {
        const auto found = from.find(k);
        if (found == from.end() || found->second.empty()) return std::nan("");
        const auto& xs = found->second;
        if (p == pick::median) return median(xs);
        return largest ? *std::max_element(xs.begin(), xs.end()) : *std::min_element(xs.begin(), xs.end());
    }

    samples wall_;
    samples busy_;
    std::map<std::pair<std::size_t, std::string>, std::set<unsigned>> workers_;
};

/// The card's verdict from one reading of the times, for the presets that have one (the others: nothing).
std::optional<card_verdict> judge_preset(std::string_view name, const run_times& times, run_times::pick p,
                                         unsigned cpus) {
    const auto seq = run_times::key(0, "sequential", 1);
    if (name == "io-threads") {
        io_threads_figures f;
        for (const unsigned w : times.get_workers(0, "threads"))
            f.threads[w] = times.get_ratio(seq, run_times::key(0, "threads", w), p);
        for (const unsigned w : times.get_workers(0, "async"))
            f.async[w] = times.get_ratio(seq, run_times::key(0, "async", w), p);
        for (const unsigned w : times.get_workers(1, "threads-gil"))
            f.gil[w] = times.get_ratio(seq, run_times::key(1, "threads-gil", w), p);
        return judge_io_threads(f, cpus);
    }
    if (name == "cpu-gil") {
        cpu_gil_figures f;
        for (const unsigned w : times.get_workers(0, "threads"))
            f.threads[w] = times.get_ratio(seq, run_times::key(0, "threads", w), p);
        for (const unsigned w : times.get_workers(0, "threads-gil"))
            f.gil[w] = times.get_ratio(seq, run_times::key(0, "threads-gil", w), p);
        for (const unsigned w : times.get_workers(0, "processes"))  // without their start-up, as the page judges them
            f.processes_busy[w] = times.get_ratio(seq, run_times::key(0, "processes", w), p, true);
        return judge_cpu_gil(f);
    }
    if (name == "oversubscription") {
        oversubscription_figures f;
        f.max_workers = max_workers;
        for (const unsigned w : times.get_workers(0, "threads"))
            if (w > 1) f.cpu[w] = times.get_ratio(run_times::key(0, "threads", 1), run_times::key(0, "threads", w), p);
        for (const unsigned w : times.get_workers(1, "threads"))
            if (w > 1) f.io[w] = times.get_ratio(run_times::key(1, "threads", 1), run_times::key(1, "threads", w), p);
        return judge_oversubscription(f, cpus);
    }
    if (name == "amdahl") {  // the page's figures: totals of the serial part and the parallel part's time
        const double serial = times.get_time(seq, p);
        const double one = times.get_time(run_times::key(1, "threads", 1), p);
        amdahl_card_figures f;
        f.serial_fraction = serial / (serial + one);
        for (const unsigned w : times.get_workers(1, "threads")) {
            if (w <= 1) continue;
            const double n = std::min(w, cpus);
            const double s = f.serial_fraction;
            f.points.push_back({w, (serial + one) / (serial + times.get_time(run_times::key(1, "threads", w), p)),
                                1 / (s + (1 - s) / n), n});
        }
        return judge_amdahl(f);
    }
    return std::nullopt;
}

/// The verdict of the medians, unless the verdict at either end of the repeats' spread differs (then inconclusive:
/// the machine was busy), as the page's cards decide.
std::optional<card_verdict> judge_with_spread(std::string_view name, const run_times& times, unsigned cpus) {
    auto verdict = judge_preset(name, times, run_times::pick::median, cpus);
    if (!verdict || verdict->verdict.empty() || verdict->verdict == inconclusive_verdict || !times.has_repeats())
        return verdict;
    for (const auto end : {run_times::pick::low, run_times::pick::high}) {
        if (judge_preset(name, times, end, cpus)->verdict != verdict->verdict) {
            std::ostringstream reason;
            reason << "the machine was busy: the repeats differ by up to " << std::fixed << std::setprecision(0)
                   << times.get_spread() * 100 << "%, enough to change the answer";
            return card_verdict{std::string(inconclusive_verdict), reason.str()};
        }
    }
    return verdict;
}

/// The prediction a verdict supports, in the page's words (web/site/experiments.js).
std::string_view claim_text(std::string_view preset, std::string_view verdict) {
    static const std::map<std::pair<std::string_view, std::string_view>, std::string_view> texts = {
        {{"io-threads", "none"}, "Nothing much: the computer can only do so much at once."},
        {{"io-threads", "cores"}, "It gets faster up to as many threads as cores, then stops improving."},
        {{"io-threads", "more"}, "It keeps getting faster with more threads, far past the number of cores."},
        {{"io-threads", "slower"}, "It gets slower: threads cost more than they bring."},
        {{"cpu-gil", "all"}, "All three speed it up about the same."},
        {{"cpu-gil", "not-gil"}, "Threads and processes speed it up; threads under the interpreter lock do not."},
        {{"cpu-gil", "processes-only"}, "Only processes speed it up; threads never help CPU-bound work."},
        {{"cpu-gil", "none"}, "None of them: the work is the same amount whatever runs it."},
        {{"oversubscription", "both-grow"}, "Both keep getting faster past the number of cores."},
        {{"oversubscription", "cpu-stops"}, "Primes stops improving at the number of cores; downloads keep improving."},
        {{"oversubscription", "both-stop"}, "Both stop improving at the number of cores."},
        {{"oversubscription", "slower"}, "Past the cores both get much slower."},
        {{"amdahl", "linear"}, "It grows with the workers: about n x with n workers (given enough cores)."},
        {{"amdahl", "capped"}, "It grows, but levels off: never past 1 / (the serial part's share of the time)."},
        {{"amdahl", "none"}, "No speed-up at all."},
    };
    const auto found = texts.find({preset, verdict});
    return found == texts.end() ? std::string_view() : found->second;
}

}  // namespace

std::optional<experiment_verdict> judge_experiment(std::string_view name, const steps_runs& runs, unsigned cpus) {
    const run_times times(runs);
    const auto verdict = judge_with_spread(name, times, cpus);
    if (!verdict) return std::nullopt;
    return experiment_verdict{*verdict, times.get_spread()};
}

std::string verdict_line(std::string_view preset, const card_verdict& verdict, unsigned cpus, bool overridden) {
    std::string line = "Verdict for " + std::to_string(cpus) + " CPU" + (cpus == 1 ? "" : "s") + ": ";
    if (verdict.verdict.empty()) line += "none: a run it needs did not finish";
    else if (verdict.verdict == inconclusive_verdict)
        line += "inconclusive: " + (verdict.reason.empty() ? std::string("the figures sit between the predictions")
                                                           : verdict.reason);
    else
        line += verdict.verdict + " (" + std::string(claim_text(preset, verdict.verdict)) + ")";
    if (overridden)
        line += " [judged as if this machine had " + std::to_string(cpus) +
                " CPUs: --cpus is a teaching override, and the runs measured this machine]";
    return line;
}


}  // namespace parlab
