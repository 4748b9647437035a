// The guided experiments' native presets (one per lesson card) and `parlab experiment list|run`.
#include "experiments.hpp"

#include <nlohmann/json.hpp>  // nlohmann::ordered_json: merging the steps' results files, keeping key order

#include <array>       // std::array
#include <cerrno>      // errno, EINTR
#include <cstdio>      // std::remove, std::rename
#include <cstring>     // strsignal
#include <filesystem>  // std::filesystem::temp_directory_path
#include <fstream>     // std::ifstream, std::ofstream
#include <iomanip>     // std::setw, std::setprecision
#include <iostream>    // std::cout, std::cerr
#include <map>         // std::map
#include <sstream>     // std::ostringstream

#include <sys/wait.h>  // waitpid, WIFSIGNALED
#include <unistd.h>    // fork, getpid, _exit

#include "file_io.hpp"

namespace parlab {

namespace {

constexpr int exit_ok = 0;
constexpr int exit_usage = 2;

using args = std::vector<std::string>;

experiment_step sweep(args a, std::string_view note = {}) {
    a.insert(a.begin(), "sweep");
    return {std::move(a), true, true, false, note};
}

experiment_step run(args a, std::string_view note = {}) {
    a.insert(a.begin(), "run");
    return {std::move(a), true, false, false, note};
}

/// A `parlab cv` step (8 CVs, 200 ms simulated downloads, 4000-kilopixel pages) with each phase's mode and workers:
/// {gather mode, gather workers, render mode, render workers}.
experiment_step cv(const std::array<std::string, 4>& phases, std::string_view note) {
    return {{"cv", "--count", "8", "--latency-ms", "200", "--page-kpx", "4000", "--gather-mode", phases[0],
             "--gather-workers", phases[1], "--render-mode", phases[2], "--render-workers", phases[3]},
            true, true, false, note};
}

/// A step whose command prints its own report and writes no results file (ipc).
experiment_step report_only(args a, std::string_view note = {}) { return {std::move(a), false, false, false, note}; }

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

/// The closing summary: each run's time and its speed-up over the step's first run (sequential or 1 worker).
void print_summary(const std::vector<nlohmann::ordered_json>& steps_runs, std::ostream& out) {
    out << "\nMeasured (speed-up relative to the first run of the same command";
    const bool phased = !steps_runs.empty() && !steps_runs.front().empty() && steps_runs.front()[0].contains("job");
    out << (phased ? "; a two-phase job's total relative to the first job" : "") << "):\n";
    double first_total = 0;
    for (const auto& runs : steps_runs) {
        if (runs.empty()) continue;
        if (phased) {  // one job per step: its phases, then the total
            double total = 0;
            for (const auto& r : runs) {
                const double wall = r.contains("wall_s") && r["wall_s"].is_number() ? r["wall_s"].get<double>() : 0.0;
                total += wall;
                out << (&r == &runs[0] ? "  " : " + ") << r.value("mode", "?") << " x" << r.value("workers", 1U) << " "
                    << secs(wall);
            }
            if (first_total == 0) first_total = total;
            out << " = " << secs(total) << "  " << std::fixed << std::setprecision(2) << first_total / total << "x\n";
            continue;
        }
        double base = 0;
        for (const auto& r : runs) {
            const std::string mode = r.value("mode", "?");
            const unsigned workers = r.value("workers", 1U);
            const bool ok = r.value("ok", false);
            const double wall = r.contains("wall_s") && r["wall_s"].is_number() ? r["wall_s"].get<double>() : 0.0;
            if (base == 0 && ok && wall > 0) base = wall;
            out << "  " << std::left << std::setw(11) << r.value("workload", "?") << std::setw(12) << mode << " x"
                << std::setw(4) << workers << std::right << std::setw(10) << secs(wall);
            if (!ok) out << "  failed: " << r.value("error", std::string("?"));
            else if (base > 0 && wall > 0) out << "  " << std::fixed << std::setprecision(2) << base / wall << "x";
            out << "\n";
        }
    }
}

int list_presets() {
    for (const auto& preset : get_experiment_presets()) {
        std::cout << preset.name << ": " << preset.title << " (docs/lessons/" << preset.lesson << ")\n";
        for (const auto& step : preset.steps) std::cout << "    parlab " << joined(step.args) << "\n";
    }
    return exit_ok;
}

std::string preset_names() {
    std::string names;
    for (const auto& preset : get_experiment_presets()) names += (names.empty() ? "" : ", ") + std::string(preset.name);
    return names;
}

const char* const usage =
    "usage: parlab experiment list\n"
    "       parlab experiment run NAME [--repeats R] [--out FILE] [--format text|json]\n";

}  // namespace

const std::vector<experiment_preset>& get_experiment_presets() {
    static const std::vector<experiment_preset> presets = {
        {"io-threads", "I/O-bound work and threads", "01-io-bound-threads.md",
         {sweep({"--workload", "download", "--count", "12", "--latency-ms", "200", "--work-kib", "16", "--modes",
                 "sequential,threads,async", "--workers", "2,5,12"},
                "12 downloads of 200 ms simulated latency: sequential, threads and async (one thread)")}},
        {"cpu-gil", "CPU-bound work: threads, the interpreter lock, processes", "02-cpu-bound-gil.md",
         {sweep({"--workload", "primes", "--inputs", "1000000,2000000,3000000", "--modes",
                 "sequential,threads,threads-gil,processes", "--workers", "2,3"},
                "sum of primes up to 1, 2 and 3 million (the texts' experiment 3)")}},
        {"tiny-tasks", "Tiny tasks, process overhead and chunking", "03-tiny-tasks-chunking.md",
         {sweep({"--workload", "overhead", "--items", "20000", "--item-bytes", "256", "--chunk", "1", "--modes",
                 "sequential,threads,processes", "--workers", "2"},
                "a cheap function over 20,000 items of 256 bytes, one item per task (per message to a process)"),
          sweep({"--workload", "overhead", "--items", "20000", "--item-bytes", "256", "--chunk", "1000", "--modes",
                 "sequential,processes", "--workers", "2"},
                "the same items in chunks of 1000: one message per 1000 items")}},
        {"two-phase", "A two-phase job: download, then render", "04-two-phase-job.md",
         {cv({"sequential", "1", "sequential", "1"}, "both phases sequential (the texts' \"common\" way)"),
          cv({"threads", "8", "threads", "2"}, "threads for both phases (C++ threads: no interpreter lock)"),
          cv({"threads", "8", "threads-gil", "2"}, "threads for both, under a simulated interpreter lock (CPython)"),
          cv({"threads", "8", "processes", "2"}, "threads for the downloads, processes for the rendering")}},
        {"pipes-queues", "Pipes and queues between processes", "05-pipes-queues.md",
         {report_only({"ipc", "hello"}, "a forked child says hello to its parent through a pipe"),
          report_only({"ipc", "throughput", "--size", "64", "--count", "20000"},
                      "small messages over a pipe and a queue, between processes and between threads")}},
        {"oversubscription", "More workers than cores", "06-more-workers-than-cores.md",
         {sweep({"--workload", "primes", "--shape", "chunked", "--n", "5000000", "--chunks", "64", "--modes",
                 "threads,processes", "--workers", "1,2,4,8,16"},
                "CPU-bound: speed-up stops at the number of cores"),
          sweep({"--workload", "download", "--count", "32", "--latency-ms", "100", "--work-kib", "16", "--modes",
                 "threads", "--workers", "1,2,4,8,16,32"},
                "I/O-bound: speed-up goes on far past the number of cores")}},
        {"amdahl", "The serial part: Amdahl's law", "07-serial-part-amdahl.md",
         {sweep({"--workload", "primes", "--inputs",
                 "6400000,1000000,1000000,1000000,1000000,1000000,1000000,1000000,1000000", "--modes", "threads",
                 "--workers", "1,2,3,4,8"},
                "one big task beside eight small ones: the speed-up flattens below 2x")}},
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
    return presets;
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
    if (command[0] == "list") {
        if (command.size() > 1) {
            std::cerr << "parlab: error: experiment list takes no arguments (got " << command[1] << ")\n";
            return exit_usage;
        }
        return list_presets();
    }
    if (command[0] != "run") {
        std::cerr << "parlab: error: experiment takes list or run (got " << command[0] << ")\n" << usage;
        return exit_usage;
    }
    if (command.size() < 2 || command[1].rfind("--", 0) == 0) {
        std::cerr << "parlab: error: experiment run needs a NAME, one of: " << preset_names() << "\n";
        return exit_usage;
    }
    const auto& presets = get_experiment_presets();
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
    unsigned repeats = 1;
    std::string out_path;
    std::string format = "text";
    for (std::size_t i = 2; i < command.size(); i += 2) {
        const auto& flag = command[i];
        if (flag != "--repeats" && flag != "--out" && flag != "--format") {
            std::cerr << "parlab: error: experiment run takes --repeats, --out and --format (got " << flag << ")\n";
            return exit_usage;
        }
        if (i + 1 >= command.size()) {
            std::cerr << "parlab: error: " << flag << " needs a value\n";
            return exit_usage;
        }
        const auto& value = command[i + 1];
        if (flag == "--repeats") {
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

    const bool text = format == "text";
    if (text) std::cout << "Experiment " << preset->name << ": " << preset->title << " (docs/lessons/" << preset->lesson
                        << ")\n";
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
            const silenced_stdout quiet(!text);
            code = run_cli(line);
        }
        if (code == exit_usage) {
            std::cerr << "parlab: error: the preset's step 'parlab " << joined(line) << "' was refused\n";
            std::remove(temp.c_str());
            return exit_usage;
        }
        if (code >= 128) stopped = code;
        if (!step.writes_results) continue;
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
        steps_runs.push_back(file["runs"]);
        if (merged.is_null()) merged = std::move(file);
        else
            for (auto& r : steps_runs.back()) merged["runs"].push_back(r);
    }
    if (merged.is_null()) {
        merged = nlohmann::ordered_json::object();
    }

    if (text) {
        if (!steps_runs.empty()) print_summary(steps_runs, std::cout);
        for (const auto& note : notes) std::cout << "  " << note << "\n";
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
