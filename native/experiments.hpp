// The guided experiments natively: one preset per lesson card (docs/lessons/), each a list of parlab command lines
// run in this process through the same parser and code as `parlab sweep` / `run` / `cv` / `ipc`.
#pragma once

#include <functional>   // std::function
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

namespace parlab {

/// One step of a preset: the arguments of one parlab command, e.g. {"sweep", "--workload", "download", ...}.
struct experiment_step {
    std::vector<std::string> args;  ///< a parlab command line without the program name
    bool writes_results = true;     ///< takes --out FILE (run, sweep): its runs join the experiment's results file
    bool takes_repeats = false;     ///< takes --repeats R (sweep)
    bool own_process = false;       ///< run in a forked child: the step is meant to crash the whole program
    std::string_view note;          ///< one line printed before the step (what it shows)
};

/// A named experiment: the card it belongs to and the commands that make it.
struct experiment_preset {
    std::string_view name;    ///< the card's id, e.g. "io-threads"
    std::string_view title;   ///< the card's title
    std::string_view lesson;  ///< its lesson file under docs/lessons/, e.g. "01-io-bound-threads.md"
    std::vector<experiment_step> steps;
};

/// Every preset, in lesson order.
[[nodiscard]] const std::vector<experiment_preset>& get_experiment_presets();

/// Runs one parlab command line as `main` would (arguments without the program name); returns its exit code.
using cli_runner = std::function<int(const std::vector<std::string>&)>;

/// `parlab experiment list` and `parlab experiment run NAME [--repeats R] [--out FILE] [--format text|json]`
/// (args: what follows "experiment"). Runs each step through run_cli; an unknown name or flag prints one line
/// naming the choices and returns 2. Returns 0 when every step ran (a run that fails on purpose, as in the
/// isolation preset, is part of the lesson), 2 on bad input, 128 + signal when stopped.
[[nodiscard]] int run_experiment_command(const std::vector<std::string>& args, const cli_runner& run_cli);

}  // namespace parlab
