// `parlab experiment list|run`: the presets' flags, the list of plans, and a preset run by name.
#include "commands/experiment_command.hpp"

#include <algorithm>  // std::clamp
#include <iostream>   // std::cout, std::cerr
#include <optional>   // std::optional

#include "commands/usage_error.hpp"
#include "platform.hpp"  // get_hardware_concurrency
#include "posix/files.hpp"

namespace parlab {

namespace {

int list_presets(unsigned cpus, bool overridden) {
    std::cout << plan_line(cpus, overridden) << "\n";
    for (const auto& preset : get_experiment_presets(cpus)) {
        std::cout << preset.name << ": " << preset.title << " (docs/lessons/" << preset.lesson << ")\n";
        for (const auto& step : preset.steps) std::cout << "    " << step.get_command_line() << "\n";
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

class experiment_command final : public command {
public:
    explicit experiment_command(CLI::App& app)
        : command(app.add_subcommand(
              "experiment", "guided experiments, one per lesson (docs/lessons/): list [--cpus N] | run NAME [--cpus N] "
                            "[--repeats R] [--out FILE] [--format text|json]; the plans follow this machine's logical "
                            "CPUs, --cpus N (1..256) plans for N instead: a teaching override, not a measurement")) {
        app_->prefix_command();  // its arguments are parsed by run_experiment_command
    }

    [[nodiscard]] int run() override { return run_experiment_command(app_->remaining(), run_job); }
};

}  // namespace

std::unique_ptr<command> add_experiment_command(CLI::App& app) { return std::make_unique<experiment_command>(app); }

int run_experiment_command(const std::vector<std::string>& command, const job_runner& runner) {
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
            try {
                posix::check_writable(out_path, "--out");
            } catch (const invalid_argument_error& e) {
                return print_usage_error(e);
            }
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

    experiment_settings settings;
    settings.cpus = cpus;
    settings.cpus_overridden = cpus_overridden;
    settings.repeats = repeats;
    settings.out_path = out_path;
    settings.json = format == "json";
    return run_experiment(*preset, settings, runner);
}

}  // namespace parlab
