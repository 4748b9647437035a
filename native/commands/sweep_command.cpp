// `parlab sweep`: --modes, --workers and --repeats make the grid.
#include "commands/sweep_command.hpp"

#include "commands/flags.hpp"
#include "commands/grid_command.hpp"

namespace parlab {

namespace {

class sweep_command final : public grid_command {
public:
    explicit sweep_command(CLI::App& app)
        : grid_command(
              app.add_subcommand("sweep", "run a grid: every mode in --modes x every count in --workers")) {
        app_->add_option("--modes", modes_text_, "comma list of " + get_mode_help())->capture_default_str();
        app_->add_option("--workers", workers_text_,
                         "comma list of worker counts, each 1.." + std::to_string(max_workers) +
                             " (sequential runs once, with 1)")
            ->capture_default_str();
        app_->add_option("--repeats", repeats_, "runs of each grid point, 1..100; the table shows medians")
            ->check(CLI::Range(1U, 100U))
            ->capture_default_str();
        add_workload_flags();
    }

private:
    void fill_grid(grid_job& job) const override {
        job.workers = parse_worker_list(workers_text_, max_workers);
        job.modes = parse_mode_list(modes_text_);
        job.repeats = repeats_;
    }

    std::string modes_text_ = "sequential,threads,processes";
    std::string workers_text_ = "1,2,4,8";
    unsigned repeats_ = 1;
};

}  // namespace

std::unique_ptr<command> add_sweep_command(CLI::App& app) { return std::make_unique<sweep_command>(app); }

}  // namespace parlab
