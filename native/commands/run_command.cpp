// `parlab run`: --mode and --workers make a grid of one point.
#include "commands/run_command.hpp"

#include "commands/flags.hpp"
#include "commands/grid_command.hpp"
#include "linked_modes.hpp"

namespace parlab {

namespace {

class run_command final : public grid_command {
public:
    explicit run_command(CLI::App& app)
        : grid_command(app.add_subcommand("run", "run one workload in one mode with one number of workers")) {
        // A program with a linked mode (parlab-mpi) runs it unless told otherwise.
        if (const auto& linked = get_linked_modes(); !linked.empty()) mode_ = linked.front().name;
        app_->add_option("--mode", mode_, get_mode_help() + " (threads-gil: threads under a simulated interpreter "
                                                            "lock, like CPython's; async: one thread, an event loop)")
            ->check(CLI::IsMember(get_mode_choices()))
            ->capture_default_str();
        app_->add_option("--workers", workers_, "workers, 1.." + std::to_string(max_workers) + " (1 for sequential; mpi: every rank but rank 0)")
            ->check(CLI::Range(1U, max_workers))
            ->capture_default_str();
        add_workload_flags();
    }

private:
    void fill_grid(grid_job& job) const override {
        // make_native_executor refuses what a grid would quietly change (sequential with 2 workers)
        // A linked mode (mpi) has the workers it was started with unless --workers says otherwise.
        const auto* linked = find_linked_mode(mode_);
        const unsigned workers = linked != nullptr && app_->count("--workers") == 0 ? linked->default_workers : workers_;
        static_cast<void>(make_native_executor(mode_, workers, job.on_worker_death, job.options));
        job.modes = {mode_};
        job.workers = {workers};
    }

    std::string mode_ = "sequential";
    unsigned workers_ = 1;
};

}  // namespace

std::unique_ptr<command> add_run_command(CLI::App& app) { return std::make_unique<run_command>(app); }

}  // namespace parlab
