// The one file that includes <emscripten/bind.h>: maps the core to JavaScript (strings in, JSON strings out).
#include <emscripten/bind.h>  // EMSCRIPTEN_BINDINGS, emscripten::function, class_
#include <emscripten/emscripten.h>  // EM_JS, EM_ASM_INT
#include <emscripten/val.h>   // emscripten::val

#include <cstdint>  // std::uintptr_t
#include <map>      // std::map
#include <memory>   // std::unique_ptr
#include <stdexcept>  // std::out_of_range
#include <string>   // std::string
#include <vector>   // std::vector

#include "executor.hpp"
#include "json_writer.hpp"
#include "lab_info.hpp"
#include "params.hpp"
#include "report.hpp"
#include "run.hpp"
#include "workload.hpp"

// JSON.parse that answers null instead of throwing: a JS exception would skip C++ catch blocks.
EM_JS(emscripten::EM_VAL, parse_json_or_null, (const char* text), {
    try {
        return Emval.toHandle(JSON.parse(UTF8ToString(text)));
    } catch (e) {
        return Emval.toHandle(null);
    }
});

namespace {

using emscripten::val;

parlab::run_control control;  // the page reaches these two cells through the shared wasm memory
parlab::executor_options options;  // set_switch_interval_ms changes it for later runs

[[noreturn]] void throw_js_error(const std::string& message) {
    val::global("Error").new_(message).throw_();
    __builtin_unreachable();
}

/// {"workload": "primes", "n": 2000000, "inputs": [1, 2]} -> checked parameters (arrays become comma lists).
parlab::workload_params parse_params_json(const std::string& json) {
    const val object = val::take_ownership(parse_json_or_null(json.c_str()));
    if (object.typeOf().as<std::string>() != "object" || object.isNull() ||
        val::global("Array").call<bool>("isArray", object))
        throw parlab::invalid_argument_error("parameters must be a JSON object, e.g. {\"workload\": \"primes\"}");
    const val workload = object["workload"];
    if (workload.typeOf().as<std::string>() != "string") {
        std::string names;
        for (const auto name : parlab::get_workload_names()) names += (names.empty() ? "" : ", ") + std::string(name);
        throw parlab::invalid_argument_error("parameter 'workload' must be one of " + names);
    }
    std::map<std::string, std::string> text;
    const val keys = val::global("Object").call<val>("keys", object);
    const auto count = keys["length"].as<unsigned>();
    for (unsigned i = 0; i < count; ++i) {
        const auto key = keys[i].as<std::string>();
        if (key == "workload") continue;
        const val value = object[key];
        if (val::global("Array").call<bool>("isArray", value)) text[key] = value.call<std::string>("join", std::string(","));
        else text[key] = val::global("String")(value).as<std::string>();
    }
    return parlab::parse_params(workload.as<std::string>(), text);
}

std::string get_param_specs() {
    parlab::json_writer out;
    out.begin_array();
    for (const auto& spec : parlab::get_param_specs()) {
        out.begin_object();
        out.key("workload");
        out.value(spec.workload);
        out.key("name");
        out.value(spec.name);
        out.key("type");
        switch (spec.type) {
            case parlab::param_type::integer: out.value("int"); break;
            case parlab::param_type::real: out.value("float"); break;
            case parlab::param_type::choice: out.value("enum"); break;
            case parlab::param_type::integer_list: out.value("int_list"); break;
        }
        out.key("default");
        out.value(spec.default_value);
        out.key("min");
        out.value(spec.min);
        out.key("max");
        out.value(spec.max);
        if (!spec.choices.empty()) {
            out.key("choices");
            out.begin_array();
            for (const auto c : spec.choices) out.value(c);
            out.end_array();
        }
        if (spec.max_items > 0) {
            out.key("max_items");
            out.value(static_cast<std::uint64_t>(spec.max_items));
        }
        if (!spec.shape.empty()) {
            out.key("shape");
            out.value(spec.shape);
        }
        out.key("help");
        out.value(spec.help);
        out.end_object();
    }
    out.end_array();
    return out.take();
}

std::string validate_params(const std::string& params_json) {
    try {
        static_cast<void>(parse_params_json(params_json));
        return "";
    } catch (const std::exception& e) {
        return e.what();
    }
}

std::string run_json(const std::string& params_json, const std::string& mode, unsigned workers) {
    std::string error;
    try {
        const auto params = parse_params_json(params_json);
        if (mode == "processes")
            throw parlab::invalid_argument_error("processes mode runs in Web Workers driven by JavaScript, not here");
#if PARLAB_MAX_WORKERS == 1
        // Without pthreads a sleep spins the CPU (Emscripten has no blocking wait there): only CPU-bound
        // sequential runs belong here; JavaScript drives the rest with timers.
        if (mode != "sequential")
            throw parlab::invalid_argument_error(mode + " mode needs the pthreads build (a cross-origin isolated page)");
        if (params.workload == "download" && params.get_real("latency_ms") > 0)
            throw parlab::invalid_argument_error(
                "simulated latency needs the pthreads build here (it would spin the CPU); the page awaits it in "
                "JavaScript instead");
#endif
        const unsigned max_workers = mode == "async" ? parlab::max_workers : PARLAB_MAX_WORKERS;
        if (workers < 1 || workers > max_workers)
            throw parlab::invalid_argument_error("workers must be between 1 and " +
                                                 std::to_string(max_workers) + " here (got " +
                                                 std::to_string(workers) + ")");
#if PARLAB_MAX_WORKERS > 1
        // A thread whose Web Worker is not loaded yet would only start once this thread returns to its event loop,
        // which the run blocks: refuse instead of hanging (the lab worker grows the pool first, pthread-pool.js).
        if (mode == "threads" || mode == "threads-gil") {
            const int loaded = EM_ASM_INT({ return PThread.unusedWorkers.filter(function(w) { return w.loaded; }).length; });
            if (static_cast<int>(workers) > loaded)
                throw parlab::invalid_argument_error(
                    "workers must be at most " + std::to_string(loaded) + " until the thread pool grows (got " +
                    std::to_string(workers) + "; call growPthreadPool(" + std::to_string(workers) + ") first, up to " +
                    std::to_string(max_workers) + ")");
        }
#endif
        auto exec = parlab::make_portable_executor(mode, workers, options);
        return parlab::run_to_json(parlab::run_workload(params, *exec, control));
    } catch (const std::exception& e) {
        error = e.what();
    }
    throw_js_error(error);
}

/// threads-gil: the switch interval of later runs, 0.1..1000 ms; "" when set, else the message.
std::string set_switch_interval_ms(double ms) {
    if (!(ms >= 0.1 && ms <= 1000))
        return "switch_interval_ms must be between 0.1 and 1000 (got " + std::to_string(ms) + ")";
    options.switch_interval_ms = ms;
    return "";
}

std::string get_control_offsets() {
    parlab::json_writer out;
    out.begin_object();
    out.key("cancel");
    out.value(static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(&control.cancel)));
    out.key("done");
    out.value(static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(&control.done)));
    out.end_object();
    return out.take();
}

/// The lab info document (lab_info.hpp) for this build: what the page's forms, limits and validation read.
std::string get_lab_info() {
    return parlab::get_lab_info({"wasm", PARLAB_MAX_WORKERS, PARLAB_MAX_WORKERS > 1}).dump();
}

std::string get_build_info() {
    parlab::json_writer out;
    out.begin_object();
    out.key("version");
    out.value(parlab::parlab_version);
    out.key("compiler");
    out.value(parlab::platform::get_compiler());
    out.key("threads");
    out.value(PARLAB_MAX_WORKERS > 1);
    out.key("max_workers");
    out.value(PARLAB_MAX_WORKERS);
    out.end_object();
    return out.take();
}

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
    js_workload(const std::string& params_json, bool hold_data) {
        std::string error;
        try {
            work_ = parlab::make_workload(parse_params_json(params_json), hold_data);
            return;
        } catch (const std::exception& e) {
            error = e.what();
        }
        throw_js_error(error);
    }
    [[nodiscard]] unsigned task_count() const { return static_cast<unsigned>(work_->get_task_count()); }
    [[nodiscard]] double wait_seconds(unsigned task) const { return work_->get_wait_seconds(task); }
    [[nodiscard]] std::string compute(unsigned task) const {
        if (task >= work_->get_task_count()) throw_js_error("no task " + std::to_string(task));
        std::string error;
        try {
            return std::to_string(work_->compute(task, never_cancelled_));
        } catch (const std::exception& e) {
            error = e.what();
        }
        throw_js_error(error);
    }
    [[nodiscard]] std::string describe(unsigned task) const {
        if (task >= work_->get_task_count()) throw_js_error("no task " + std::to_string(task));
        return work_->describe(task);
    }
    [[nodiscard]] std::string phase() const { return work_->get_phase(); }

    /// Task i's input bytes as a new Uint8Array (empty for a workload without a payload).
    [[nodiscard]] val input_bytes(unsigned task) const {
        std::string error;
        try {
            check_task(task);
            std::vector<std::uint8_t> bytes(work_->get_input_bytes(task));
            work_->write_input(task, bytes);
            return to_uint8_array(bytes);
        } catch (const std::exception& e) {
            error = e.what();
        }
        throw_js_error(error);
    }
    /// Computes task i from the given input bytes: {value: decimal string, output: Uint8Array of the results}.
    [[nodiscard]] val compute_from_input(unsigned task, const val& input) const {
        std::string error;
        try {
            check_task(task);
            const std::vector<std::uint8_t> bytes = from_uint8_array(input);
            std::vector<std::uint8_t> output(work_->get_output_bytes(task));
            const std::uint64_t value = work_->compute_from_input(task, bytes, output, never_cancelled_);
            val answer = val::object();
            answer.set("value", std::to_string(value));
            answer.set("output", to_uint8_array(output));
            return answer;
        } catch (const std::exception& e) {
            error = e.what();
        }
        throw_js_error(error);
    }
    /// The task's value (decimal string) from the output bytes a process worker sent back.
    [[nodiscard]] std::string read_output(unsigned task, const val& output) const {
        std::string error;
        try {
            check_task(task);
            return std::to_string(work_->read_output(task, from_uint8_array(output)));
        } catch (const std::exception& e) {
            error = e.what();
        }
        throw_js_error(error);
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
    emscripten::function("get_param_specs", &get_param_specs);
    emscripten::function("validate_params", &validate_params);
    emscripten::function("run_json", &run_json);
    emscripten::function("get_control_offsets", &get_control_offsets);
    emscripten::function("set_switch_interval_ms", &set_switch_interval_ms);
    emscripten::function("get_build_info", &get_build_info);
    emscripten::function("get_lab_info", &get_lab_info);
    emscripten::class_<js_workload>("Workload")
        .constructor<const std::string&>()
        .constructor<const std::string&, bool>()
        .function("task_count", &js_workload::task_count)
        .function("wait_seconds", &js_workload::wait_seconds)
        .function("compute", &js_workload::compute)
        .function("describe", &js_workload::describe)
        .function("phase", &js_workload::phase)
        .function("input_bytes", &js_workload::input_bytes)
        .function("compute_from_input", &js_workload::compute_from_input)
        .function("read_output", &js_workload::read_output);
}
