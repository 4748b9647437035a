// `parlab info`: prints the core's lab info document for this build.
#include "commands/info_command.hpp"

#include <iostream>  // std::cout

#include "executor.hpp"  // max_workers
#include "lab_info.hpp"

namespace parlab {

namespace {

class info_command final : public command {
public:
    explicit info_command(CLI::App& app)
        : command(app.add_subcommand("info", "print the lab info document as JSON: modes, every workload's "
                                             "parameters and bounds, limits, build")) {}

    [[nodiscard]] int run() override {
        std::cout << get_lab_info({"native", max_workers, true}).dump(2) << "\n";
        return exit_ok;
    }
};

}  // namespace

std::unique_ptr<command> add_info_command(CLI::App& app) { return std::make_unique<info_command>(app); }

}  // namespace parlab
