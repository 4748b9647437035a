// Results file -> Chrome Trace Event JSON. Reads only the documented fields; writes M (metadata) and X (complete)
// events, times in µs.
//
// Layout, and why: each run gets its own pids (one per process it used: the parent, each worker process or process
// Web Worker, each MPI rank), named "run N · ...", and the runs are laid one after another on the time axis with a
// small gap. Perfetto lists processes as collapsible groups sorted by pid, so a sweep reads top to bottom in the
// order it ran, each run's processes together; and laid end to end, "zoom to fit" shows the runs left to right with
// their lengths comparable at a glance. Real pids would not do: every run of a threads sweep shares one pid, and a
// page's wasm instances are numbered 0, 1, 2 in every run. The real pid and thread id stay in each task's args.
//
// Perfetto requires the slices of one track to nest (a slice that starts inside another ends inside it too), so
// tasks that overlap on one thread (async: one event loop, many waits in flight) go on extra lanes of that thread,
// and every child slice (a wait, a lock-holding stretch, start-up) is clamped into its parent, in whole ns.
#include "trace.hpp"

#include <algorithm>  // std::sort, std::min, std::max, std::clamp
#include <cmath>      // std::isfinite, std::llround
#include <cstdint>    // std::int64_t
#include <map>        // std::map
#include <string>     // std::string, std::to_string
#include <utility>    // std::pair
#include <vector>     // std::vector

#include <nlohmann/json.hpp>  // nlohmann::ordered_json

#include "json.hpp"
#include "params.hpp"  // invalid_argument_error

namespace parlab {

namespace {

// Read as ordered_json too, so that copied fields (params) keep the order the file has.
using json = nlohmann::ordered_json;
using nlohmann::ordered_json;

constexpr int max_nesting = 64;          // a results file nests 5 deep; refuse before the recursive parser runs
constexpr std::int64_t gap_ns = 1000000;  // 1 ms between runs, at least

[[noreturn]] void refuse(const std::string& reason) {
    throw invalid_argument_error("not a parlab results file or export: " + reason);
}

/// Refuses text whose arrays and objects nest deeper than max_nesting (outside strings), so that a hostile file
/// cannot exhaust the stack of the recursive parser.
void check_nesting(const std::string& text) {
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_nesting) refuse("it nests more than " + std::to_string(max_nesting) + " deep");
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
}

const json& get_field(const json& object, const char* key, const std::string& where) {
    const auto found = object.find(key);
    if (found == object.end()) refuse(where + " has no " + key);
    return *found;
}

/// Seconds >= 0 (finite), as ns.
std::int64_t get_ns(const json& object, const char* key, const std::string& where, bool required = true) {
    const auto found = object.find(key);
    if (found == object.end() || (!required && found->is_null())) {
        if (required) refuse(where + " has no " + key);
        return 0;
    }
    if (!found->is_number()) refuse(where + "." + key + " must be a number of seconds");
    const double seconds = found->get<double>();
    if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e6)
        refuse(where + "." + key + " must be a number of seconds between 0 and 1000000");
    return std::llround(seconds * 1e9);
}

std::int64_t get_integer(const json& object, const char* key, const std::string& where) {
    const json& value = get_field(object, key, where);
    if (!value.is_number_integer() || value.get<std::int64_t>() < 0)
        refuse(where + "." + key + " must be an integer >= 0");
    return value.get<std::int64_t>();
}

std::string get_text(const json& object, const char* key, const std::string& where, const std::string& fallback) {
    const auto found = object.find(key);
    if (found == object.end() || found->is_null()) return fallback;
    if (!found->is_string()) refuse(where + "." + key + " must be a string");
    return found->get<std::string>();
}

/// A copy of an optional field for args (absent -> null).
ordered_json get_copy(const json& object, const char* key) {
    const auto found = object.find(key);
    return found == object.end() ? ordered_json(nullptr) : *found;
}

ordered_json to_us(std::int64_t ns) { return to_json_number(static_cast<double>(ns) / 1000.0); }

/// Where a set of runs came from: a results file, or one group or set of the page's export.
struct run_source {
    const json* runs = nullptr;
    std::string target;  // environment.target: native, wasm, cpython
    std::string label;   // "" for a plain results file
    std::string where;   // "runs", "browser[0].runs"
};

/// One task, read and checked.
struct trace_task {
    const json* raw = nullptr;
    std::string where;
    std::int64_t id = 0;
    std::int64_t worker = 0;
    std::int64_t pid = 0;
    std::int64_t thread = 0;
    std::string process_key;  // "rank 2" (mpi) or "pid 4242"
    std::string host;
    std::int64_t rank = -1;
    std::int64_t start_ns = 0;
    std::int64_t end_ns = 0;
    std::int64_t wait_ns = 0;
    std::vector<std::pair<std::int64_t, std::int64_t>> held;
};

trace_task read_task(const json& raw, const std::string& where, bool is_mpi) {
    if (!raw.is_object()) refuse(where + " must be an object");
    trace_task task;
    task.raw = &raw;
    task.where = where;
    task.id = get_integer(raw, "id", where);
    task.worker = get_integer(raw, "worker", where);
    task.pid = get_integer(raw, "pid", where);
    task.thread = get_integer(raw, "thread", where);
    task.start_ns = get_ns(raw, "start_s", where);
    task.end_ns = std::max(task.start_ns, get_ns(raw, "end_s", where));
    task.wait_ns = get_ns(raw, "wait_s", where, false);
    if (raw.contains("rank")) {
        task.rank = get_integer(raw, "rank", where);
        task.host = get_text(raw, "host", where, "?");
    }
    if (is_mpi && task.rank < 0) refuse(where + " has no rank (every task of an mpi run names its rank and host)");
    task.process_key = task.rank >= 0 ? "rank " + std::to_string(task.rank) : "pid " + std::to_string(task.pid);
    if (const auto held = raw.find("held"); held != raw.end()) {
        if (!held->is_array()) refuse(where + ".held must be a list of [start_s, end_s]");
        for (std::size_t k = 0; k < held->size(); ++k) {
            const json& pair = (*held)[k];
            const std::string at = where + ".held[" + std::to_string(k) + "]";
            if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number() || !pair[1].is_number())
                refuse(at + " must be [start_s, end_s]");
            const json both = {{"a", pair[0]}, {"b", pair[1]}};
            task.held.emplace_back(get_ns(both, "a", at), get_ns(both, "b", at));
        }
    }
    return task;
}

/// The trace being written: events, and the pid/tid numbers handed out (one counter, so no tid equals a pid).
class trace_writer {
public:
    std::int64_t new_id() { return next_id_++; }

    void name_process(std::int64_t pid, const std::string& name) {
        add_metadata("process_name", pid, 0, {{"name", name}});
        add_metadata("process_sort_index", pid, 0, {{"sort_index", pid}});
    }

    /// Names a track; Perfetto and chrome://tracing list a process's tracks by sort index (0: the pool's track).
    void name_thread(std::int64_t pid, std::int64_t tid, const std::string& name, std::int64_t sort_index) {
        add_metadata("thread_name", pid, tid, {{"name", name}});
        add_metadata("thread_sort_index", pid, tid, {{"sort_index", sort_index}});
    }

    void add_slice(std::int64_t pid, std::int64_t tid, const std::string& name, const std::string& category,
                   std::int64_t start_ns, std::int64_t end_ns, ordered_json args) {
        ordered_json event = {{"name", name},    {"cat", category},           {"ph", "X"},
                              {"ts", to_us(start_ns)}, {"dur", to_us(end_ns - start_ns)}, {"pid", pid},
                              {"tid", tid}};
        if (!args.is_null()) event["args"] = std::move(args);
        events_.push_back(std::move(event));
    }

    [[nodiscard]] ordered_json take_events() { return std::move(events_); }

private:
    void add_metadata(const char* name, std::int64_t pid, std::int64_t tid, ordered_json args) {
        ordered_json event = {{"name", name}, {"ph", "M"}, {"pid", pid}};
        if (tid != 0) event["tid"] = tid;
        event["args"] = std::move(args);
        events_.push_back(std::move(event));
    }

    ordered_json events_ = ordered_json::array();
    std::int64_t next_id_ = 1;
};

/// One process of a run: its pid in the trace, and its threads' lanes (tid, end of the lane's last task).
struct trace_process {
    std::int64_t pid = 0;
    std::map<std::int64_t, std::vector<std::pair<std::int64_t, std::int64_t>>> lanes;  // thread -> lanes
    std::map<std::int64_t, std::int64_t> thread_worker;                               // thread -> worker
};

bool has_separate_processes(const std::string& mode) { return mode == "processes" || mode == "mpi"; }

std::string worker_process_name(const std::string& prefix, const std::string& target, const trace_task& task) {
    if (task.rank >= 0) return prefix + " · rank " + std::to_string(task.rank) + " on " + task.host;
    if (target == "wasm") return prefix + " · process Web Worker " + std::to_string(task.pid);
    return prefix + " · worker process " + std::to_string(task.pid);
}

/// Writes one run starting at offset_ns; returns where it ends (its wall time or its last slice, the later).
std::int64_t write_run(trace_writer& out, const json& run, const std::string& where, const run_source& source,
                       int number, std::int64_t offset_ns) {
    if (!run.is_object()) refuse(where + " must be an object");
    const std::string mode = get_text(run, "mode", where, "");
    const std::string workload = get_text(run, "workload", where, "");
    if (mode.empty() || workload.empty()) refuse(where + " must name its workload and mode");
    const std::int64_t workers = get_integer(run, "workers", where);
    static_cast<void>(get_field(run, "wall_s", where));  // null in a failed run the page kept: then its last task
    const std::int64_t wall_ns = get_ns(run, "wall_s", where, false);
    const std::int64_t startup_ns = get_ns(run, "startup_s", where, false);
    const json& tasks_raw = get_field(run, "tasks", where);
    if (!tasks_raw.is_array()) refuse(where + ".tasks must be a list");
    const bool is_mpi = mode == "mpi";

    std::vector<trace_task> tasks;
    tasks.reserve(tasks_raw.size());
    for (std::size_t i = 0; i < tasks_raw.size(); ++i)
        tasks.push_back(read_task(tasks_raw[i], where + ".tasks[" + std::to_string(i) + "]", is_mpi));
    std::sort(tasks.begin(), tasks.end(), [](const trace_task& a, const trace_task& b) {
        return a.start_ns != b.start_ns ? a.start_ns < b.start_ns : a.id < b.id;
    });

    std::int64_t end_ns = wall_ns;
    for (const auto& task : tasks) end_ns = std::max(end_ns, task.end_ns);

    const std::string prefix = "run " + std::to_string(number) + " · " + mode + " x" + std::to_string(workers);
    const bool wasm = source.target == "wasm";

    // The parent: a process of its own when the run's tasks ran in other processes, else the tasks' process.
    std::map<std::string, trace_process> processes;
    trace_process parent{out.new_id(), {}, {}};
    std::string parent_key;
    if (has_separate_processes(mode) || tasks.empty()) {
        std::string who = is_mpi ? "rank 0 (hands out tasks)" : wasm ? "lab worker (parent)" : "parent process";
        if (!has_separate_processes(mode)) who = wasm ? "lab worker" : "process";
        out.name_process(parent.pid, prefix + " · " + workload + " · " + who);
    } else {
        parent_key = tasks.front().process_key;
        const std::string who = wasm ? "lab worker" : "process " + std::to_string(tasks.front().pid);
        out.name_process(parent.pid, prefix + " · " + workload + " · " + who);
    }
    const std::int64_t pool_tid = out.new_id();
    out.name_thread(parent.pid, pool_tid, "pool (run, start-up)", 0);
    if (!parent_key.empty()) processes.emplace(parent_key, parent);

    ordered_json run_args = {{"workload", workload},
                             {"params", get_copy(run, "params")},
                             {"mode", mode},
                             {"workers", workers},
                             {"ok", get_copy(run, "ok")},
                             {"complete", get_copy(run, "complete")},
                             {"error", get_copy(run, "error")},
                             {"wall_s", get_copy(run, "wall_s")},
                             {"startup_s", get_copy(run, "startup_s")},
                             {"cpu_s", get_copy(run, "cpu_s")},
                             {"task_count", get_copy(run, "task_count")},
                             {"tasks_done", get_copy(run, "tasks_done")},
                             {"checksum", get_copy(run, "checksum")}};
    if (run.contains("failed_tasks")) run_args["failed_tasks"] = get_copy(run, "failed_tasks");
    if (!source.label.empty()) run_args["source"] = source.label;
    const std::string run_name = "run " + std::to_string(number) + ": " + workload + " " + mode + " x" +
                                 std::to_string(workers) + (source.label.empty() ? "" : " (" + source.label + ")");
    out.add_slice(parent.pid, pool_tid, run_name, "run", offset_ns, offset_ns + end_ns, std::move(run_args));
    if (startup_ns > 0)
        out.add_slice(parent.pid, pool_tid, "pool start-up", "startup", offset_ns,
                      offset_ns + std::min(startup_ns, end_ns), nullptr);

    // Worker processes numbered in the order of their worker index, so that Perfetto lists them that way.
    std::vector<const trace_task*> by_worker;
    for (const auto& task : tasks) by_worker.push_back(&task);
    std::stable_sort(by_worker.begin(), by_worker.end(),
                     [](const trace_task* a, const trace_task* b) { return a->worker < b->worker; });
    for (const trace_task* task : by_worker) {
        if (processes.count(task->process_key) != 0) continue;
        const auto pid = processes.emplace(task->process_key, trace_process{out.new_id(), {}, {}}).first->second.pid;
        out.name_process(pid, worker_process_name(prefix, source.target, *task));
    }

    for (const auto& task : tasks) {
        trace_process& process = processes.at(task.process_key);
        auto& lanes = process.lanes[task.thread];
        const auto worker = process.thread_worker.emplace(task.thread, task.worker).first->second;
        std::size_t lane = 0;
        while (lane < lanes.size() && lanes[lane].second > task.start_ns) ++lane;
        if (lane == lanes.size()) {
            lanes.emplace_back(out.new_id(), 0);
            out.name_thread(process.pid, lanes.back().first,
                            "worker " + std::to_string(worker) +
                                (lane == 0 ? "" : " · overlapping tasks, lane " + std::to_string(lane + 1)),
                            1 + worker * 10000 + static_cast<std::int64_t>(lane));
        }
        lanes[lane].second = task.end_ns;
        const std::int64_t tid = lanes[lane].first;

        const json& raw = *task.raw;
        ordered_json args = {{"task", task.id},           {"value", get_copy(raw, "value")},
                             {"phase", get_copy(raw, "phase")}, {"cpu_s", get_copy(raw, "cpu_s")},
                             {"worker", task.worker},     {"pid", task.pid},
                             {"thread", task.thread}};
        if (task.rank >= 0) {
            args["rank"] = task.rank;
            args["host"] = task.host;
        }
        for (const char* key : {"wait_s", "late_s", "rss_kib"})
            if (raw.contains(key)) args[key] = get_copy(raw, key);
        const std::string phase = get_text(raw, "phase", task.where, "task");
        const std::int64_t start = offset_ns + task.start_ns;
        const std::int64_t end = offset_ns + task.end_ns;
        out.add_slice(process.pid, tid, "task " + std::to_string(task.id), phase, start, end, std::move(args));

        const std::int64_t wait_end = std::min(end, start + task.wait_ns);
        if (task.wait_ns > 0) out.add_slice(process.pid, tid, "wait (simulated)", "wait", start, wait_end, nullptr);
        // Lock-holding stretches nest in the task after its wait, one after another (sorted, overlaps cut).
        auto held = task.held;
        std::sort(held.begin(), held.end());
        std::int64_t from = task.wait_ns > 0 ? wait_end : start;
        for (const auto& [held_start, held_end] : held) {
            const std::int64_t a = std::clamp(offset_ns + held_start, from, end);
            const std::int64_t b = std::clamp(offset_ns + held_end, a, end);
            if (b <= a) continue;
            out.add_slice(process.pid, tid, "holds the interpreter lock", "held", a, b, nullptr);
            from = b;
        }
    }

    // The lab's named locks (deadlock workload): one track per worker and lock, in the parent, since a worker's
    // holds of two locks can overlap without nesting.
    if (const auto locks = run.find("locks"); locks != run.end()) {
        if (!locks->is_array()) refuse(where + ".locks must be a list");
        std::map<std::pair<std::int64_t, std::string>, std::pair<std::int64_t, std::int64_t>> tracks;  // -> tid, end
        for (std::size_t k = 0; k < locks->size(); ++k) {
            const json& stretch = (*locks)[k];
            const std::string at = where + ".locks[" + std::to_string(k) + "]";
            if (!stretch.is_object()) refuse(at + " must be an object");
            const std::int64_t worker = get_integer(stretch, "worker", at);
            const std::string lock = get_text(stretch, "lock", at, "?");
            const std::string state = get_text(stretch, "state", at, "held");
            const std::int64_t a = get_ns(stretch, "from_s", at);
            const std::int64_t b = std::max(a, get_ns(stretch, "to_s", at));
            auto track = tracks.find({worker, lock});
            if (track == tracks.end()) {
                track = tracks.emplace(std::pair{worker, lock}, std::pair{out.new_id(), std::int64_t{0}}).first;
                out.name_thread(parent.pid, track->second.first, "worker " + std::to_string(worker) + " · lock " + lock,
                                1000000 + static_cast<std::int64_t>(tracks.size()));
            }
            const std::int64_t start = std::max(offset_ns + a, track->second.second);
            const std::int64_t stop = std::max(start, offset_ns + b);
            out.add_slice(parent.pid, track->second.first, (state == "waiting" ? "waits for " : "holds ") + lock,
                          "lock", start, stop, ordered_json{{"worker", worker}, {"lock", lock}, {"state", state}});
            track->second.second = stop;
            end_ns = std::max(end_ns, b);
        }
    }
    return offset_ns + end_ns;
}

/// The sources of runs in a results file or a page export.
std::vector<run_source> find_sources(const json& document) {
    if (!document.is_object()) refuse("the document must be a JSON object");
    std::vector<run_source> sources;
    if (document.contains("parlab_export")) {
        if (document["parlab_export"] != 1) refuse("parlab_export must be 1");
        for (const char* list : {"browser", "uploaded"}) {
            const auto found = document.find(list);
            if (found == document.end()) continue;
            if (!found->is_array()) refuse(std::string(list) + " must be a list");
            for (std::size_t i = 0; i < found->size(); ++i) {
                const json& item = (*found)[i];
                const std::string where = std::string(list) + "[" + std::to_string(i) + "]";
                if (!item.is_object()) refuse(where + " must be an object");
                const json& runs = get_field(item, "runs", where);
                if (!runs.is_array()) refuse(where + ".runs must be a list");
                std::string target = "wasm";
                if (const auto env = item.find("environment"); env != item.end() && env->is_object())
                    target = get_text(*env, "target", where + ".environment", "native");
                const std::string name = get_text(item, "name", where, where);
                sources.push_back({&runs, target, name, where + ".runs"});
            }
        }
        return sources;
    }
    if (!document.contains("schema_version")) refuse("it has neither schema_version nor parlab_export");
    if (document["schema_version"] != 1) refuse("schema_version must be 1");
    const json& runs = get_field(document, "runs", "the document");
    if (!runs.is_array()) refuse("runs must be a list");
    std::string target = "native";
    if (const auto env = document.find("environment"); env != document.end() && env->is_object())
        target = get_text(*env, "target", "environment", "native");
    sources.push_back({&runs, target, "", "runs"});
    return sources;
}

}  // namespace

std::string results_to_chrome_trace(const std::string& results_json) {
    check_nesting(results_json);
    const json document = json::parse(results_json, nullptr, false);
    if (document.is_discarded()) refuse("it is not valid JSON");
    const auto sources = find_sources(document);

    trace_writer out;
    std::int64_t offset_ns = 0;
    int number = 0;
    std::string generator = "parlab";
    if (const auto found = document.find("generator"); found != document.end() && found->is_string())
        generator = found->get<std::string>();
    for (const auto& source : sources) {
        for (std::size_t i = 0; i < source.runs->size(); ++i) {
            const std::int64_t run_end =
                write_run(out, (*source.runs)[i], source.where + "[" + std::to_string(i) + "]", source, ++number,
                          offset_ns);
            offset_ns = run_end + std::max(gap_ns, (run_end - offset_ns) / 20);
        }
    }
    ordered_json trace = {{"traceEvents", out.take_events()},
                          {"displayTimeUnit", "ms"},
                          {"otherData", {{"converted_by", "parlab results_to_chrome_trace"},
                                         {"from", generator},
                                         {"runs", number}}}};
    return dump_json(trace);
}

}  // namespace parlab
