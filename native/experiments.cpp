// The guided experiments' native presets (one per lesson card) and `parlab experiment list|run`.
#include "experiments.hpp"

#include <nlohmann/json.hpp>  // nlohmann::ordered_json: merging the steps' results files, keeping key order

#include <algorithm>   // std::clamp, std::sort, std::unique
#include <array>       // std::array
#include <cerrno>      // errno, EINTR
#include <cstdio>      // std::remove, std::rename
#include <cstring>     // strsignal
#include <filesystem>  // std::filesystem::temp_directory_path
#include <fstream>     // std::ifstream, std::ofstream
#include <iomanip>     // std::setw, std::setprecision
#include <iostream>    // std::cout, std::cerr
#include <map>         // std::map
#include <cmath>       // std::nan
#include <optional>    // std::optional
#include <set>         // std::set
#include <sstream>     // std::ostringstream
#include <stdexcept>   // std::logic_error

#include <sys/wait.h>  // waitpid, WIFSIGNALED
#include <unistd.h>    // fork, getpid, _exit

#include "executor.hpp"  // max_workers
#include "file_io.hpp"
#include "params.hpp"    // get_param_specs: the task and chunk count bounds
#include "platform.hpp"  // get_hardware_concurrency
#include "verdicts.hpp"  // the cards' verdict rules

namespace parlab {

namespace {

constexpr int exit_ok = 0;
constexpr int exit_usage = 2;

using args = std::vector<std::string>;

experiment_step sweep(args a, std::string note) {
    a.insert(a.begin(), "sweep");
    return {std::move(a), true, true, false, std::move(note)};
}

experiment_step run(args a, std::string note) {
    a.insert(a.begin(), "run");
    return {std::move(a), true, false, false, std::move(note)};
}

/// A `parlab cv` step (8 CVs, 200 ms simulated downloads, 4000-kilopixel pages) with each phase's mode and workers:
/// {gather mode, gather workers, render mode, render workers}.
experiment_step cv(const std::array<std::string, 4>& phases, std::string note) {
    return {{"cv", "--count", "8", "--latency-ms", "200", "--page-kpx", "4000", "--gather-mode", phases[0],
             "--gather-workers", phases[1], "--render-mode", phases[2], "--render-workers", phases[3]},
            true, true, false, std::move(note)};
}

/// A step whose command prints its own report and writes no results file (ipc).
experiment_step report_only(args a, std::string note) { return {std::move(a), false, false, false, std::move(note)}; }

/// The upper bound of a workload parameter, read from the core's one table (params.cpp).
unsigned get_param_max(std::string_view workload, std::string_view name) {
    for (const auto& spec : get_param_specs())
        if (spec.workload == workload && spec.name == name) return static_cast<unsigned>(spec.max);
    throw std::logic_error("no parameter " + std::string(name) + " for " + std::string(workload));
}

/// a / b rounded to the nearest integer, halves up (JavaScript's Math.round for these positive values).
unsigned round_div(unsigned a, unsigned b) { return (2 * a + b) / (2 * b); }

/// Sorted, duplicates removed, each at most `cap`.
std::vector<unsigned> uniq(std::vector<unsigned> counts, unsigned cap = max_workers) {
    for (auto& n : counts) n = std::min(n, cap);
    std::sort(counts.begin(), counts.end());
    counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
    return counts;
}

/// "1,2,4".
std::string list_text(const std::vector<unsigned>& counts) {
    std::string out;
    for (const unsigned n : counts) {
        if (!out.empty()) out += ',';
        out += std::to_string(n);
    }
    return out;
}

std::string joined(const args& a) {
    std::string out;
    for (const auto& s : a) out += (out.empty() ? "" : " ") + s;
    return out;
}

/// While alive, sends std::cout to nowhere (the steps' own printing, when the experiment prints JSON).
class silenced_stdout {
public:
    explicit silenced_stdout(bool active) {
        if (active) saved_ = std::cout.rdbuf(sink_.rdbuf());
    }
    ~silenced_stdout() {
        if (saved_ != nullptr) std::cout.rdbuf(saved_);
    }
    silenced_stdout(const silenced_stdout&) = delete;
    silenced_stdout& operator=(const silenced_stdout&) = delete;

private:
    std::ostringstream sink_;
    std::streambuf* saved_ = nullptr;
};

/// Runs one step in a forked child (the step is meant to take the whole program down); returns what happened.
std::string run_in_child(const experiment_step& step, const cli_runner& run_cli, bool quiet) {
    std::cout.flush();
    std::cerr.flush();
    const pid_t pid = ::fork();
    if (pid < 0) return "could not fork a child to run it";
    if (pid == 0) {
        if (quiet) std::cout.rdbuf(nullptr);  // the parent prints the JSON: nothing else on standard output
        const int code = run_cli(step.args);
        std::cout.flush();
        std::cerr.flush();
        ::_exit(code);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return "could not wait for the child";
    }
    if (WIFSIGNALED(status))
        return "the whole program (pid " + std::to_string(pid) + ") was killed by signal " +
               std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) +
               "): every thread and every finished task went with it, and no results were written";
    return "the program (pid " + std::to_string(pid) + ") exited with code " + std::to_string(WEXITSTATUS(status));
}

/// "0.123 s" with three decimals.
std::string secs(double s) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(3) << s << " s";
    return out.str();
}

/// A run's wall time, or 0 when it has none.
double wall_of(const nlohmann::ordered_json& run) {
    return run.contains("wall_s") && run["wall_s"].is_number() ? run["wall_s"].get<double>() : 0.0;
}

/// The middle value (the mean of the two middle ones for an even count); 0 for none.
double median(std::vector<double> values) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/// The closing summary: each run's time and its speed-up over the step's first run when that is sequential or 1
/// worker, otherwise over an earlier step's sequential run of the same workload (cpu-gil's "largest task first").
void print_summary(const std::vector<nlohmann::ordered_json>& steps_runs, std::ostream& out) {
    out << "\nMeasured (speed-up relative to the first run of the same command";
    const bool phased = !steps_runs.empty() && !steps_runs.front().empty() && steps_runs.front()[0].contains("job");
    out << (phased ? "; a two-phase job's total relative to the first job" : "") << "):\n";
    double first_total = 0;
    std::map<std::string, double> sequential_by_workload;  // the first ok sequential run of each workload
    for (const auto& runs : steps_runs) {
        if (runs.empty()) continue;
        if (phased) {  // one job per step, repeated: each job's two phases, then its total (one line per repeat)
            for (std::size_t j = 0; j < runs.size(); j += 2) {
                double total = 0;
                for (std::size_t k = j; k < std::min(j + 2, runs.size()); ++k) {
                    const double wall = wall_of(runs[k]);
                    total += wall;
                    out << (k == j ? "  " : " + ") << runs[k].value("mode", "?") << " x" << runs[k].value("workers", 1U)
                        << " " << secs(wall);
                }
                if (first_total == 0) first_total = total;
                out << " = " << secs(total) << "  " << std::fixed << std::setprecision(2) << first_total / total << "x\n";
            }
            continue;
        }
        const auto& first = runs[0];
        const std::string workload = first.value("workload", "?");
        double base = 0;
        if (first.value("mode", "") != "sequential" && first.value("workers", 1U) != 1) {
            if (const auto found = sequential_by_workload.find(workload); found != sequential_by_workload.end()) {
                base = found->second;
                out << "  (speed-ups below relative to the sequential run above: the same work)\n";
            }
        }
        for (const auto& r : runs) {
            const std::string mode = r.value("mode", "?");
            const unsigned workers = r.value("workers", 1U);
            const bool ok = r.value("ok", false);
            const double wall = wall_of(r);
            if (base == 0 && ok && wall > 0) base = wall;
            if (ok && wall > 0 && mode == "sequential") sequential_by_workload.emplace(workload, wall);
            out << "  " << std::left << std::setw(11) << workload << std::setw(12) << mode << " x" << std::setw(4)
                << workers << std::right << std::setw(10) << secs(wall);
            if (!ok) out << "  failed: " << r.value("error", std::string("?"));
            else if (base > 0 && wall > 0) out << "  " << std::fixed << std::setprecision(2) << base / wall << "x";
            out << "\n";
        }
    }
}

/// The Amdahl preset's figures from its two steps' runs: the serial part's median, the parallel part's median per
/// worker count (ok runs only).
amdahl_summary summarize_amdahl_runs(const std::vector<nlohmann::ordered_json>& steps_runs, unsigned cpus) {
    if (steps_runs.size() < 2) return {false, "the serial or the parallel step left no runs", 0, 0, 0, {}};
    std::vector<double> serial;
    for (const auto& r : steps_runs[0])
        if (r.value("ok", false)) serial.push_back(wall_of(r));
    std::map<unsigned, std::vector<double>> parallel;
    for (const auto& r : steps_runs[1])
        if (r.value("ok", false)) parallel[r.value("workers", 1U)].push_back(wall_of(r));
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

/// A preset's run times by (step, mode, workers), as the page's cards read theirs: the medians a card judges, or an
/// end of the repeats' spread ("low" makes every speed-up as small as the repeats allow, "high" as large).
class run_times {
public:
    enum class pick { median, low, high };

    explicit run_times(const std::vector<nlohmann::ordered_json>& steps_runs) {
        for (std::size_t step = 0; step < steps_runs.size(); ++step)
            for (const auto& r : steps_runs[step]) {
                const double wall = wall_of(r);
                if (!r.value("ok", false) || !r.value("complete", false) || !(wall > 0)) continue;
                const auto k = key(step, r.value("mode", "?"), r.value("workers", 1U));
                wall_[k].push_back(wall);
                const double startup = r.contains("startup_s") && r["startup_s"].is_number() ? r["startup_s"].get<double>() : 0.0;
                if (wall - startup > 0) busy_[k].push_back(wall - startup);
                workers_[{step, r.value("mode", "?")}].insert(r.value("workers", 1U));
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

/// "Verdict for 2 CPUs: more (It keeps ...)" or "Verdict for 2 CPUs: inconclusive: why".
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

/// "Plan for 16 CPUs (...)": whose CPUs the plan was made for.
std::string plan_line(unsigned cpus, bool overridden) {
    const unsigned machine = platform::get_hardware_concurrency();
    std::string line = "Plan for " + std::to_string(cpus) + " CPU" + (cpus == 1 ? "" : "s");
    if (overridden)
        return line + " (--cpus " + std::to_string(cpus) + ": a teaching override of the plan; this machine has " +
               std::to_string(machine) + " logical CPU" + (machine == 1 ? "" : "s") +
               ", and every run measures this machine)";
    return line + " (this machine's logical CPUs)";
}

int list_presets(unsigned cpus, bool overridden) {
    std::cout << plan_line(cpus, overridden) << "\n";
    for (const auto& preset : get_experiment_presets(cpus)) {
        std::cout << preset.name << ": " << preset.title << " (docs/lessons/" << preset.lesson << ")\n";
        for (const auto& step : preset.steps) std::cout << "    parlab " << joined(step.args) << "\n";
    }
    return exit_ok;
}

std::string preset_names() {
    std::string names;
    for (const auto& preset : get_experiment_presets(1))
        names += (names.empty() ? "" : ", ") + std::string(preset.name);
    return names;
}

/// --cpus N: 1..max_plan_cpus, digits only; nothing (after one line on stderr) otherwise.
std::optional<unsigned> parse_cpus(const std::string& value) {
    const bool digits = !value.empty() && value.size() <= 3 && value.find_first_not_of("0123456789") == std::string::npos;
    const unsigned cpus = digits ? static_cast<unsigned>(std::stoul(value)) : 0;
    if (cpus < 1 || cpus > max_plan_cpus) {
        std::cerr << "parlab: error: --cpus must be an integer between 1 and " << max_plan_cpus << " (got " << value
                  << ")\n";
        return std::nullopt;
    }
    return cpus;
}

const char* const usage =
    "usage: parlab experiment list [--cpus N]\n"
    "       parlab experiment run NAME [--cpus N] [--repeats R] [--out FILE] [--format text|json]\n"
    "--cpus N (1..256) plans the presets' worker and task counts for a machine with N logical CPUs instead of this\n"
    "one's: a teaching override of the plan, not a measurement (the runs still measure this machine).\n";

}  // namespace

std::vector<experiment_preset> get_experiment_presets(unsigned cpus) {
    const unsigned c = std::clamp(cpus, 1U, max_plan_cpus);
    const unsigned half = std::max(1U, c / 2);
    const unsigned max_downloads = get_param_max("download", "count");
    const unsigned max_chunks = get_param_max("primes", "chunks");

    // io-threads: well past C downloads, each wait short enough that the sequential run stays near 2.4 s.
    const unsigned io_count = std::min(std::max(12U, 4 * c), max_downloads);
    // At least 20 ms: a wait must outlast starting hundreds of threads, or 4C threads measure thread start-up.
    const unsigned io_latency = std::clamp(round_div(2400, io_count), 20U, 200U);
    const unsigned io_cap = std::min(io_count, max_workers);
    const auto io_workers = uniq({std::clamp(2U, 2U, io_cap), std::clamp(c, 2U, io_cap), std::clamp(2 * c, 2U, io_cap),
                                  std::clamp(4 * c, 2U, io_cap)});

    // oversubscription: 1, C/2, C, 2C, 4C workers, enough chunks (CPU) and a download for each of the most workers
    // (I/O); the downloads' latency keeps the 1-worker run near 3.2 s, and at least 20 ms (as for io-threads).
    const auto over_workers = uniq({1U, half, c, 2 * c, 4 * c}, max_workers);
    const unsigned over_chunks = std::min(std::max(64U, 4 * over_workers.back()), max_chunks);
    const unsigned over_count = std::min(std::max(32U, over_workers.back()), max_downloads);
    const unsigned over_latency = std::clamp(3200 / over_count, 20U, 100U);

    // amdahl: 1, 2, C/2, C, 2C workers on the parallel part, at least 4 equal chunks per worker.
    const auto amdahl_workers = uniq({1U, 2U, half, c, 2 * c}, max_workers);
    const unsigned amdahl_chunks = std::min(std::max(64U, 4 * amdahl_workers.back()), max_chunks);

    const std::string tiny_workers = std::to_string(std::max(2U, std::min(c, 8U)));
    const std::string gather_workers = std::to_string(std::min(std::max(8U, 2 * c), max_workers));
    const std::string render_workers = std::to_string(std::min(std::max(2U, c), max_workers));
    const std::string cpus_text = std::to_string(c) + " CPU" + (c == 1 ? "" : "s");

    return {
        {"io-threads", "I/O-bound work and threads", "01-io-bound-threads.md",
         {sweep({"--workload", "download", "--count", std::to_string(io_count), "--latency-ms",
                 std::to_string(io_latency), "--work-kib", "16", "--modes", "sequential,threads,async", "--workers",
                 list_text(io_workers)},
                std::to_string(io_count) + " downloads of " + std::to_string(io_latency) +
                    " ms simulated latency: sequential, threads and async (one thread), up to " +
                    std::to_string(io_workers.back()) + " workers on " + cpus_text),
          sweep({"--workload", "download", "--count", std::to_string(io_count), "--latency-ms",
                 std::to_string(io_latency), "--work-kib", "16", "--modes", "threads-gil", "--workers",
                 std::to_string(io_workers.back())},
                "the same downloads on threads under a simulated interpreter lock (CPython): a waiting thread lets go "
                "of it")}},
        {"cpu-gil", "CPU-bound work: threads, the interpreter lock, processes", "02-cpu-bound-gil.md",
         {sweep({"--workload", "primes", "--inputs", "1000000,2000000,3000000", "--modes",
                 "sequential,threads,threads-gil,processes", "--workers", "2,3"},
                "sum of primes up to 1, 2 and 3 million (the texts' experiment 3); the pool hands tasks out in order"),
          sweep({"--workload", "primes", "--inputs", "3000000,2000000,1000000", "--modes", "threads", "--workers",
                 "2,3"},
                "largest task first: the same three tasks, the longest handed out first")}},
        {"tiny-tasks", "Tiny tasks, process overhead and chunking", "03-tiny-tasks-chunking.md",
         {sweep({"--workload", "overhead", "--items", "20000", "--item-bytes", "256", "--chunk", "1", "--modes",
                 "sequential,threads", "--workers", "2"},
                "a cheap function over 20,000 items of 256 bytes, one item per task: sequential and 2 threads"),
          sweep({"--workload", "overhead", "--items", "20000", "--item-bytes", "256", "--chunk", "1", "--modes",
                 "processes", "--workers", tiny_workers},
                "the same on processes: one message to a process per item"),
          sweep({"--workload", "overhead", "--items", "20000", "--item-bytes", "256", "--chunk", "1000", "--modes",
                 "sequential,processes", "--workers", tiny_workers},
                "the same items in chunks of 1000: one message per 1000 items")}},
        {"two-phase", "A two-phase job: download, then render", "04-two-phase-job.md",
         {cv({"sequential", "1", "sequential", "1"}, "both phases sequential (the texts' \"common\" way)"),
          cv({"threads", gather_workers, "threads", render_workers},
             "threads for both phases (C++ threads: no interpreter lock)"),
          cv({"threads", gather_workers, "threads-gil", render_workers},
             "threads for both, under a simulated interpreter lock (CPython)"),
          cv({"threads", gather_workers, "processes", render_workers},
             "threads for the downloads, processes for the rendering")}},
        {"pipes-queues", "Pipes and queues between processes", "05-pipes-queues.md",
         {report_only({"ipc", "hello"}, "a forked child says hello to its parent through a pipe"),
          report_only({"ipc", "throughput", "--size", "64", "--count", "20000"},
                      "small messages over a pipe and a queue, between processes and between threads")}},
        {"oversubscription", "More workers than cores", "06-more-workers-than-cores.md",
         {sweep({"--workload", "primes", "--shape", "chunked", "--n", "5000000", "--chunks",
                 std::to_string(over_chunks), "--modes", "threads,processes", "--workers", list_text(over_workers)},
                "CPU-bound: speed-up stops at the number of cores (" + cpus_text + " in this plan)"),
          sweep({"--workload", "download", "--count", std::to_string(over_count), "--latency-ms",
                 std::to_string(over_latency), "--work-kib", "16", "--modes", "threads", "--workers",
                 list_text(over_workers)},
                "I/O-bound: speed-up goes on far past the number of cores")}},
        {"amdahl", "The serial part: Amdahl's law", "07-serial-part-amdahl.md",
         {sweep({"--workload", "primes", "--inputs", "2000000", "--modes", "sequential", "--workers", "1"},
                "the serial part: primes up to 2 million, run alone (nothing else runs beside it)"),
          sweep({"--workload", "primes", "--shape", "chunked", "--n", "5000000", "--chunks",
                 std::to_string(amdahl_chunks), "--modes", "threads", "--workers", list_text(amdahl_workers)},
                "the parallel part: primes up to 5 million in " + std::to_string(amdahl_chunks) +
                    " equal chunks, on 1 to " + std::to_string(amdahl_workers.back()) + " threads")}},
        {"async", "Concurrency without parallelism: async", "08-async-concurrency.md",
         {sweep({"--workload", "download", "--count", "12", "--latency-ms", "200", "--work-kib", "16", "--modes",
                 "sequential,async", "--workers", "12"},
                "I/O-bound: an event loop overlaps the waits"),
          sweep({"--workload", "primes", "--inputs", "1000000,2000000,3000000", "--modes", "sequential,async",
                 "--workers", "3"},
                "CPU-bound: one thread computes one task at a time")}},
        {"isolation", "Isolation: a crashing worker", "09-isolation-crash.md",
         {run({"--workload", "primes", "--shape", "chunked", "--n", "2000000", "--chunks", "16", "--crash-task", "3",
               "--crash-how", "abort", "--mode", "processes", "--workers", "2", "--on-worker-death", "respawn"},
              "processes: task 3 aborts its worker process; the worker is replaced and only task 3 is lost"),
          {{"run", "--workload", "primes", "--shape", "chunked", "--n", "2000000", "--chunks", "16", "--crash-task",
            "3", "--crash-how", "abort", "--mode", "threads", "--workers", "2"},
           false, false, true,
           "threads: task 3 aborts, and with it the whole program (run in a child process here, so this one "
           "survives to tell)"}}},
    };
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

int run_experiment_command(const std::vector<std::string>& command, const cli_runner& run_cli) {
    if (command.empty()) {
        std::cerr << "parlab: error: experiment needs list or run\n" << usage;
        return exit_usage;
    }
    if (command[0] == "--help" || command[0] == "-h") {
        std::cout << usage << "presets: " << preset_names() << "\n";
        return exit_ok;
    }
    if (command[0] != "run" && command[0] != "list") {
        std::cerr << "parlab: error: experiment takes list or run (got " << command[0] << ")\n" << usage;
        return exit_usage;
    }
    const bool listing = command[0] == "list";
    if (!listing && (command.size() < 2 || command[1].rfind("--", 0) == 0)) {
        std::cerr << "parlab: error: experiment run needs a NAME, one of: " << preset_names() << "\n";
        return exit_usage;
    }
    unsigned cpus = platform::get_hardware_concurrency();
    bool cpus_overridden = false;
    unsigned repeats = 3;  // as the page's cards: medians of 3, and a spread to judge
    std::string out_path;
    std::string format = "text";
    for (std::size_t i = listing ? 1 : 2; i < command.size(); i += 2) {
        const auto& flag = command[i];
        if (listing && flag != "--cpus") {
            std::cerr << "parlab: error: experiment list takes only --cpus N (got " << flag << ")\n";
            return exit_usage;
        }
        if (flag != "--cpus" && flag != "--repeats" && flag != "--out" && flag != "--format") {
            std::cerr << "parlab: error: experiment run takes --cpus, --repeats, --out and --format (got " << flag
                      << ")\n";
            return exit_usage;
        }
        if (i + 1 >= command.size()) {
            std::cerr << "parlab: error: " << flag << " needs a value\n";
            return exit_usage;
        }
        const auto& value = command[i + 1];
        if (flag == "--cpus") {
            const auto parsed = parse_cpus(value);
            if (!parsed) return exit_usage;
            cpus = *parsed;
            cpus_overridden = true;
        } else if (flag == "--repeats") {
            const bool digits = !value.empty() && value.size() <= 3 && value.find_first_not_of("0123456789") == std::string::npos;
            repeats = digits ? static_cast<unsigned>(std::stoul(value)) : 0;
            if (repeats < 1 || repeats > 100) {
                std::cerr << "parlab: error: --repeats must be between 1 and 100 (got " << value << ")\n";
                return exit_usage;
            }
        } else if (flag == "--out") {
            out_path = value;
        } else if (value == "text" || value == "json") {
            format = value;
        } else {
            std::cerr << "parlab: error: --format must be text or json (got " << value << ")\n";
            return exit_usage;
        }
    }
    cpus = std::clamp(cpus, 1U, max_plan_cpus);  // a machine with more CPUs than any plan is planned for the most
    if (listing) return list_presets(cpus, cpus_overridden);

    const auto presets = get_experiment_presets(cpus);
    const auto* preset = [&]() -> const experiment_preset* {
        for (const auto& p : presets)
            if (p.name == command[1]) return &p;
        return nullptr;
    }();
    if (preset == nullptr) {
        std::cerr << "parlab: error: unknown experiment '" << command[1] << "': choose one of " << preset_names()
                  << "\n";
        return exit_usage;
    }

    const bool text = format == "text";
    if (text)
        std::cout << "Experiment " << preset->name << ": " << preset->title << " (docs/lessons/" << preset->lesson
                  << ")\n"
                  << plan_line(cpus, cpus_overridden) << "\n";
    nlohmann::ordered_json merged;
    std::vector<nlohmann::ordered_json> steps_runs;
    std::vector<std::string> notes;
    const auto temp_dir = std::filesystem::temp_directory_path();
    int stopped = 0;
    for (std::size_t i = 0; i < preset->steps.size() && stopped == 0; ++i) {
        const auto& step = preset->steps[i];
        args line = step.args;
        if (step.takes_repeats && repeats > 1) line.insert(line.end(), {"--repeats", std::to_string(repeats)});
        const std::string temp = (temp_dir / ("parlab-experiment-" + std::to_string(::getpid()) + "-" +
                                              std::to_string(i) + ".json"))
                                     .string();
        if (step.writes_results) line.insert(line.end(), {"--out", temp});
        std::cerr << "\n== " << step.note << "\n   parlab " << joined(step.args) << "\n";
        if (step.own_process) {
            const std::string outcome = run_in_child(step, run_cli, !text);
            std::cerr << "   -> " << outcome << "\n";
            notes.push_back(std::string(step.note.substr(0, step.note.find(':'))) + ": " + outcome);
            continue;
        }
        int code = 0;
        {
            // amdahl: its own table below sums up every run; the sweep's fit of the parallel part alone would not
            const silenced_stdout quiet(!text || preset->name == "amdahl");
            code = run_cli(line);
        }
        if (code == exit_usage) {
            std::cerr << "parlab: error: the preset's step 'parlab " << joined(line) << "' was refused\n";
            std::remove(temp.c_str());
            return exit_usage;
        }
        if (code >= 128) stopped = code;
        if (!step.writes_results) continue;
        steps_runs.emplace_back(nlohmann::ordered_json::array());  // one entry per results step, even an empty one
        std::ifstream in(temp, std::ios::binary);
        if (!in) continue;  // stopped before writing, or a failure already reported by the step
        nlohmann::ordered_json file;
        try {
            file = nlohmann::ordered_json::parse(in);
        } catch (const nlohmann::ordered_json::exception& e) {
            std::cerr << "parlab: error: cannot read the step's results: " << e.what() << "\n";
            std::remove(temp.c_str());
            return 1;
        }
        in.close();
        std::remove(temp.c_str());
        steps_runs.back() = file["runs"];
        if (merged.is_null()) merged = std::move(file);
        else
            for (auto& r : steps_runs.back()) merged["runs"].push_back(r);
    }
    if (merged.is_null()) {
        merged = nlohmann::ordered_json::object();
    }
    const bool amdahl = preset->name == "amdahl";
    const auto amdahl_figures = amdahl ? summarize_amdahl_runs(steps_runs, cpus) : amdahl_summary{};
    const run_times times(steps_runs);
    const auto verdict = stopped == 0 ? judge_with_spread(preset->name, times, cpus) : std::nullopt;
    if (!merged.empty()) {
        auto& experiment = merged["experiment"];
        experiment["name"] = preset->name;
        experiment["plan_cpus"] = cpus;
        experiment["cpus_overridden"] = cpus_overridden;
        experiment["machine_cpus"] = platform::get_hardware_concurrency();
        if (amdahl) experiment["amdahl"] = amdahl_to_json(amdahl_figures);
        if (verdict) {
            auto& v = experiment["verdict"];
            v["cpus"] = cpus;
            v["verdict"] = verdict->verdict.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(verdict->verdict);
            v["reason"] = verdict->reason.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(verdict->reason);
            v["spread"] = times.get_spread();
            v["line"] = verdict_line(preset->name, *verdict, cpus, cpus_overridden);
        }
    }

    if (text) {
        if (amdahl) print_amdahl(amdahl_figures, cpus, std::cout);
        else if (!steps_runs.empty()) print_summary(steps_runs, std::cout);
        for (const auto& note : notes) std::cout << "  " << note << "\n";
        if (verdict) std::cout << verdict_line(preset->name, *verdict, cpus, cpus_overridden) << "\n";
        std::cout << "Read why: docs/lessons/" << preset->lesson << "\n";
    }
    const std::string json = merged.empty() ? std::string() : merged.dump(2) + "\n";
    if (!text && !json.empty()) std::cout << json;
    if (!out_path.empty()) {
        if (json.empty()) {
            std::cerr << "parlab: no runs to write to " << out_path << "\n";
        } else {
            try {
                write_file(out_path, json);
                std::cerr << "parlab: wrote " << merged["runs"].size() << " run" << (merged["runs"].size() == 1 ? "" : "s") << " to " << out_path
                          << " (upload it on the lab page to compare)\n";
            } catch (const std::exception& e) {
                std::cerr << "parlab: error: " << e.what() << "\n";
                return 1;
            }
        }
    }
    return stopped != 0 ? stopped : exit_ok;
}

}  // namespace parlab
