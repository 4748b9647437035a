// The one file that includes <emscripten/bind.h>: maps the core to JavaScript (strings in, JSON strings out).
#include <emscripten/bind.h>  // EMSCRIPTEN_BINDINGS, emscripten::function, class_
#include <emscripten/emscripten.h>  // EM_ASM_INT
#include <emscripten/val.h>   // emscripten::val

#include <algorithm>  // std::find_if
#include <charconv>   // std::from_chars
#include <cstdint>    // std::uintptr_t
#include <cstdio>     // std::snprintf
#include <map>        // std::map
#include <memory>     // std::unique_ptr
#include <stdexcept>  // std::out_of_range
#include <string>     // std::string
#include <vector>     // std::vector

#include <nlohmann/json.hpp>  // nlohmann::json, nlohmann::ordered_json

#include "executor.hpp"
#include "lab_info.hpp"
#include "modes.hpp"
#include "params.hpp"
#include "platform.hpp"
#include "report.hpp"
#include "run.hpp"
#include "run_builder.hpp"
#include "trace.hpp"
#include "workload.hpp"

namespace {

using emscripten::val;
using nlohmann::ordered_json;

parlab::run_control control;  // the page reaches these two cells through the shared wasm memory
parlab::executor_options options;  // set_switch_interval_ms changes it for later runs

/// A core error as JavaScript gets it: an Error whose `kind` says the input was at fault ("invalid_argument") or
/// the work failed ("failed"), with the `parameter` at fault and its `bounds` where the core names them. Anything
/// else thrown out of wasm (a trap, abort(), exit()) ends the instance.
struct js_error {
    std::string message;
    std::string kind;
    std::string parameter;
    std::string bounds;
};

[[noreturn]] void throw_js_error(const js_error& error) {
    val thrown = val::global("Error").new_(error.message);
    thrown.set("kind", error.kind);
    if (!error.parameter.empty()) thrown.set("parameter", error.parameter);
    if (!error.bounds.empty()) thrown.set("bounds", error.bounds);
    thrown.throw_();
    __builtin_unreachable();
}

/// Runs `work`; a C++ exception becomes a JavaScript Error, thrown after the catch block has ended (a JavaScript
/// exception would skip the C++ unwinding that frees the exception).
template <typename Work>
auto call_core(Work&& work) -> decltype(work()) {
    js_error error;
    try {
        return work();
    } catch (const parlab::invalid_argument_error& e) {
        error = {e.what(), "invalid_argument", e.parameter(), e.bounds()};
    } catch (const std::exception& e) {
        error = {e.what(), "failed", "", ""};
    }
    throw_js_error(error);
}

/// "" when the parameters are valid, else the core's one-line message.
std::string validate_params(const std::string& params_json) {
    try {
        static_cast<void>(parlab::parse_params_json(params_json));
        return "";
    } catch (const std::exception& e) {
        return e.what();
    }
}

/// A results file or the page's export as Chrome Trace Event JSON (the core's one writer, trace.hpp); throws an
/// Error of kind "invalid_argument" with one line for any other text.
std::string results_to_trace(const std::string& document_json) {
    return call_core([&] { return parlab::results_to_chrome_trace(document_json); });
}

/// How many tasks a run of these (valid) parameters has; throws like run_json for invalid ones.
double get_task_count(const std::string& params_json) {
    return call_core([&] { return static_cast<double>(parlab::get_task_count(parlab::parse_params_json(params_json))); });
}

/// Refuses what this build cannot run in run_json (by the mode's facts, cpp/modes.hpp); throws
/// invalid_argument_error naming it. An unknown mode is left to make_portable_executor, which names the modes.
void check_runnable(const parlab::workload_params& params, const std::string& mode, unsigned workers) {
    const auto& modes = parlab::get_mode_specs();
    const auto spec = std::find_if(modes.begin(), modes.end(), [&](const auto& m) { return m.name == mode; });
    if (spec == modes.end()) return;
    if (spec->separate_memory)
        throw parlab::invalid_argument_error(mode + " mode runs in Web Workers driven by JavaScript, not here");
#if PARLAB_MAX_WORKERS == 1
    // Without pthreads a sleep spins the CPU (Emscripten has no blocking wait there): only CPU-bound one-worker
    // runs belong here; JavaScript drives the rest with timers.
    if (!spec->one_worker)
        throw parlab::invalid_argument_error(mode + " mode needs the pthreads build (a cross-origin isolated page)");
    if (params.workload == "download" && params.get_real("latency_ms") > 0)
        throw parlab::invalid_argument_error(
            "simulated latency needs the pthreads build here (it would spin the CPU); the page awaits it in "
            "JavaScript instead");
#else
    static_cast<void>(params);
#endif
    const unsigned most = spec->slots ? parlab::max_workers : PARLAB_MAX_WORKERS;
    if (workers < 1 || workers > most)
        throw parlab::invalid_argument_error("workers must be between 1 and " + std::to_string(most) + " here (got " +
                                             std::to_string(workers) + ")");
#if PARLAB_MAX_WORKERS > 1
    // A thread whose Web Worker is not loaded yet would only start once this thread returns to its event loop,
    // which the run blocks: refuse instead of hanging (the lab worker grows the pool first, pthread-pool.js).
    if (spec->pthreads) {
        const int loaded =
            EM_ASM_INT({ return PThread.unusedWorkers.filter(function(w) { return w.loaded; }).length; });
        if (static_cast<int>(workers) > loaded)
            throw parlab::invalid_argument_error(
                "workers must be at most " + std::to_string(loaded) + " until the thread pool grows (got " +
                std::to_string(workers) + "; call growPthreadPool(" + std::to_string(workers) + ") first, up to " +
                std::to_string(most) + ")");
    }
#endif
}

/// Refuses a workload with files (copy) in every mode but the one with separate memory: each task's files must be
/// opened before it runs, and an Origin Private File System file opens only asynchronously (web/site/opfs-files.js).
/// A process worker awaits that before each task; a thread of a wasm run, or the lab worker's own task loop, cannot.
void check_files_mode(const parlab::workload_params& params, const std::string& mode) {
    if (params.workload != "copy") return;
    const auto& modes = parlab::get_mode_specs();
    const auto spec = std::find_if(modes.begin(), modes.end(), [&](const auto& m) { return m.name == mode; });
    if (spec == modes.end() || spec->separate_memory) return;
    const auto processes = std::find_if(modes.begin(), modes.end(), [](const auto& m) { return m.separate_memory; });
    const std::string why = spec->pthreads
                                ? "a thread of the run cannot await that"
                                : "the lab worker runs " + mode + " tasks back to back without awaiting it";
    throw parlab::invalid_argument_error(
        "workload 'copy' runs only in " + std::string(processes->name) + " mode in the browser, not in " + mode +
        " mode: each task's files must be opened before it, and a file of the Origin Private File System opens only "
        "asynchronously; " + why);
}

std::string run_json(const std::string& params_json, const std::string& mode, unsigned workers) {
    return call_core([&] {
        const auto params = parlab::parse_params_json(params_json);
        check_files_mode(params, mode);
        check_runnable(params, mode, workers);
        auto exec = parlab::make_portable_executor(mode, workers, options);
        return parlab::run_to_json(parlab::run_workload(params, *exec, control));
    });
}

/// One column of a driver's task timings (a typed array, or any array of numbers), one item per task.
template <typename T>
std::vector<T> timings_column(const val& tasks, const char* name, std::size_t count) {
    const val column = tasks[name];
    if (column.isUndefined() || column["length"].as<std::size_t>() != count)
        throw parlab::invalid_argument_error(std::string("timings: tasks.") + name + " must hold one number per task");
    std::vector<T> items(count);
    val(emscripten::typed_memory_view(count, items.data())).call<void>("set", column);
    return items;
}

/// The timings a JavaScript driver measured (task-driver.js's TaskTimings), columns copied in one go each: a run
/// of a million tasks would take far longer as a million JSON objects.
parlab::run_timings read_timings(const val& timings) {
    parlab::run_timings out;
    const val tasks = timings["tasks"];
    const auto count = tasks["id"]["length"].as<std::size_t>();
    const auto ids = timings_column<std::uint32_t>(tasks, "id", count);
    const auto workers = timings_column<std::uint32_t>(tasks, "worker", count);
    const auto pids = timings_column<double>(tasks, "pid", count);
    const auto threads = timings_column<double>(tasks, "thread", count);
    const auto starts = timings_column<double>(tasks, "start_s", count);
    const auto ends = timings_column<double>(tasks, "end_s", count);
    const auto waits = timings_column<double>(tasks, "wait_s", count);
    const auto memory = timings_column<double>(tasks, "rss_kib", count);  // negative: not measured
    const auto values = tasks["value"].as<std::string>();                   // decimal uint64s, joined by commas
    const char* at = values.data();
    const char* const end = values.data() + values.size();
    for (std::size_t i = 0; i < count; ++i) {
        parlab::task_timing task;
        task.id = ids[i];
        task.worker = workers[i];
        task.pid = static_cast<std::int64_t>(pids[i]);
        task.thread = static_cast<std::uint64_t>(threads[i]);
        task.start_s = starts[i];
        task.end_s = ends[i];
        task.wait_s = waits[i];
        if (memory[i] >= 0) task.rss_kib = static_cast<std::int64_t>(memory[i]);
        const auto [next, error] = std::from_chars(at, end, task.value);
        if (error != std::errc() || (next != end && *next != ','))
            throw parlab::invalid_argument_error("timings: tasks.value must be " + std::to_string(count) +
                                                 " decimal uint64s joined by commas (task " + std::to_string(i) + ")");
        at = next == end ? end : next + 1;
        out.tasks.push_back(std::move(task));
    }
    if (at != end) throw parlab::invalid_argument_error("timings: tasks.value holds more values than tasks");
    const auto number = [&](const char* name) { return timings[name].as<double>(); };
    const auto given = [&](const char* name) { return !timings[name].isUndefined() && !timings[name].isNull(); };
    out.wall_s = number("wall_s");
    out.startup_s = number("startup_s");
    if (given("started_at")) out.started_at = timings["started_at"].as<std::string>();
    if (given("error")) out.error = timings["error"].as<std::string>();
    if (given("hardware_concurrency")) out.hardware_concurrency = timings["hardware_concurrency"].as<unsigned>();
    if (given("bytes_transferred"))
        out.bytes_transferred = static_cast<std::uint64_t>(number("bytes_transferred"));
    if (given("switch_interval_ms")) out.switch_interval_ms = number("switch_interval_ms");
    if (given("warm_workers")) {
        const double warm = number("warm_workers");
        if (!(warm >= 0 && warm <= parlab::max_workers && warm == static_cast<double>(static_cast<unsigned>(warm))))
            throw parlab::invalid_argument_error("timings: warm_workers must be a whole number of workers");
        out.warm_workers = static_cast<unsigned>(warm);
    }
    if (given("counter_value")) {  // a decimal string, as task values are
        const auto text = timings["counter_value"].as<std::string>();
        std::uint64_t value = 0;
        const auto [next, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || next != text.data() + text.size())
            throw parlab::invalid_argument_error("timings: counter_value must be a decimal uint64 (got '" + text + "')");
        out.counter_value = value;
    }
    return out;
}

/// The run a JavaScript driver timed, assembled by the core (run_builder.hpp).
std::string build_run_json(const std::string& params_json, const std::string& mode, unsigned workers,
                           const val& timings) {
    return call_core([&] {
        const auto params = parlab::parse_params_json(params_json);
        check_files_mode(params, mode);  // the lab worker's first call for every run: the refusal reaches every mode
        auto run = parlab::build_run(params, mode, workers, read_timings(timings));
        return parlab::run_to_json(run);
    });
}

std::string format_ms(double ms) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", ms);
    return text;
}

/// A mode under the interpreter lock: the switch interval of later runs, within the core's bounds; "" when set,
/// else the message.
std::string set_switch_interval_ms(double ms) {
    if (!(ms >= parlab::min_switch_interval_ms && ms <= parlab::max_switch_interval_ms))
        return "switch_interval_ms must be between " + format_ms(parlab::min_switch_interval_ms) + " and " +
               format_ms(parlab::max_switch_interval_ms) + " (got " + format_ms(ms) + ")";
    options.switch_interval_ms = ms;
    return "";
}

std::string get_control_offsets() {
    const auto address = [](const auto& cell) {
        return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(&cell));
    };
    return ordered_json{{"cancel", address(control.cancel)}, {"done", address(control.done)}}.dump();
}

/// The lab info document (lab_info.hpp) for this build: what the page's forms, limits and validation read. Its
/// max_workers is the page's (process workers too), which the single-threaded build shares with the pthread build.
std::string get_lab_info() {
    return parlab::get_lab_info({"wasm", PARLAB_PAGE_MAX_WORKERS, PARLAB_MAX_WORKERS > 1}).dump();
}

std::string get_build_info() {
    return ordered_json{{"version", parlab::parlab_version},
                        {"compiler", parlab::platform::get_compiler()},
                        {"threads", PARLAB_MAX_WORKERS > 1},
                        {"max_workers", PARLAB_MAX_WORKERS}}
        .dump();
}

/// The memory this instance uses, in KiB (its linear memory's size): what a task of a workload that records
/// memory reports (rss_kib).
double get_memory_kib() { return static_cast<double>(parlab::platform::get_memory_kib()); }

/// A copy of a byte buffer as a fresh JavaScript Uint8Array (not a view of wasm memory, which may move or be shared).
val to_uint8_array(const std::vector<std::uint8_t>& bytes) {
    return val(emscripten::typed_memory_view(bytes.size(), bytes.data())).call<val>("slice");
}

/// A JavaScript Uint8Array (or anything with length and numeric indices) copied into wasm memory.
std::vector<std::uint8_t> from_uint8_array(const val& array) {
    std::vector<std::uint8_t> bytes(array["length"].as<std::size_t>());
    val(emscripten::typed_memory_view(bytes.size(), bytes.data())).call<void>("set", array);
    return bytes;
}

/// A workload for the JavaScript task driver: JS awaits wait_seconds(i) with a timer, then calls compute(i). For
/// processes mode, the lab worker's handle gives each task's input bytes (input_bytes) and reads the output a
/// process worker sends back (read_output); a process worker's handle, built with hold_data false, computes from
/// the bytes it is sent (compute_from_input).
class js_workload {
public:
    explicit js_workload(const std::string& params_json) : js_workload(params_json, true) {}
    js_workload(const std::string& params_json, bool hold_data)
        : work_(call_core([&] { return parlab::make_workload(parlab::parse_params_json(params_json), hold_data); })) {}

    [[nodiscard]] unsigned task_count() const { return static_cast<unsigned>(work_->get_task_count()); }
    [[nodiscard]] double wait_seconds(unsigned task) const { return work_->get_wait_seconds(task); }
    [[nodiscard]] std::string compute(unsigned task) const {
        return call_core([&] {
            check_task(task);
            return std::to_string(work_->compute(task, never_cancelled_));
        });
    }
    [[nodiscard]] std::string describe(unsigned task) const {
        return call_core([&] {
            check_task(task);
            return work_->describe(task);
        });
    }

    /// Task i's input bytes as a new Uint8Array (empty for a workload without a payload).
    [[nodiscard]] val input_bytes(unsigned task) const {
        return call_core([&] {
            check_task(task);
            std::vector<std::uint8_t> bytes(work_->get_input_bytes(task));
            work_->write_input(task, bytes);
            return to_uint8_array(bytes);
        });
    }
    /// Computes task i from the given input bytes: {value: decimal string, output: Uint8Array of the results}.
    [[nodiscard]] val compute_from_input(unsigned task, const val& input) const {
        return call_core([&] {
            check_task(task);
            const std::vector<std::uint8_t> bytes = from_uint8_array(input);
            std::vector<std::uint8_t> output(work_->get_output_bytes(task));
            const std::uint64_t value = work_->compute_from_input(task, bytes, output, never_cancelled_);
            val answer = val::object();
            answer.set("value", std::to_string(value));
            answer.set("output", to_uint8_array(output));
            return answer;
        });
    }
    /// The task's value (decimal string) from the output bytes a process worker sent back.
    [[nodiscard]] std::string read_output(unsigned task, const val& output) const {
        return call_core([&] {
            check_task(task);
            return std::to_string(work_->read_output(task, from_uint8_array(output)));
        });
    }

    /// The files task i opens, [{path, create}] (empty for workloads without files): what the page opens, with the
    /// file bridge, before the task runs.
    [[nodiscard]] val task_files(unsigned task) const {
        return call_core([&] {
            check_task(task);
            val files = val::array();
            for (const auto& f : work_->get_task_files(task)) {
                val item = val::object();
                item.set("path", f.path);
                item.set("create", f.create);
                files.call<void>("push", item);
            }
            return files;
        });
    }
    /// Writes the files task i reads (untimed, before the run), once the page has opened them.
    void prepare_task(unsigned task) const {
        call_core([&] {
            check_task(task);
            work_->prepare_task(task);
        });
    }

    /// The counter workload's counter in this instance, as a decimal string; "" for workloads without one.
    [[nodiscard]] std::string counter_value() const {
        const auto value = work_->get_counter_value();
        return value ? std::to_string(*value) : std::string();
    }

private:
    void check_task(unsigned task) const {
        if (task >= work_->get_task_count()) throw std::out_of_range("no task " + std::to_string(task));
    }

    std::unique_ptr<parlab::workload> work_;
    parlab::run_control never_cancelled_;  // a Web Worker running it is stopped by terminating it
};

}  // namespace

EMSCRIPTEN_BINDINGS(parlab) {
    emscripten::function("validate_params", &validate_params);
    emscripten::function("get_task_count", &get_task_count);
    emscripten::function("run_json", &run_json);
    emscripten::function("build_run_json", &build_run_json);
    emscripten::function("get_memory_kib", &get_memory_kib);
    emscripten::function("get_control_offsets", &get_control_offsets);
    emscripten::function("set_switch_interval_ms", &set_switch_interval_ms);
    emscripten::function("get_build_info", &get_build_info);
    emscripten::function("get_lab_info", &get_lab_info);
    emscripten::function("results_to_trace", &results_to_trace);
    emscripten::class_<js_workload>("Workload")
        .constructor<const std::string&>()
        .constructor<const std::string&, bool>()
        .function("task_count", &js_workload::task_count)
        .function("wait_seconds", &js_workload::wait_seconds)
        .function("compute", &js_workload::compute)
        .function("describe", &js_workload::describe)
        .function("input_bytes", &js_workload::input_bytes)
        .function("compute_from_input", &js_workload::compute_from_input)
        .function("read_output", &js_workload::read_output)
        .function("task_files", &js_workload::task_files)
        .function("prepare_task", &js_workload::prepare_task)
        .function("counter_value", &js_workload::counter_value);
}
