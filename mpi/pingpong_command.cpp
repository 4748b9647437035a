// `parlab-mpi ipc`: round trips between rank 0 and rank 1 over MPI, beside a pipe.
#include "pingpong_command.hpp"

#include <iostream>  // std::cout, std::cerr
#include <string>    // std::string

#include "commands/usage_error.hpp"
#include "pingpong.hpp"
#include "posix/files.hpp"

namespace parlab::mpi {

namespace {

class pingpong_command final : public command {
public:
    pingpong_command(CLI::App& app, const world& here, const std::vector<std::string>& hosts)
        : command(app.add_subcommand("ipc", "round trips of one message between rank 0 and rank 1 over MPI, beside a "
                                            "pipe between two processes on rank 0's host")),
          here_(here),
          hosts_(hosts) {
        app_->add_option("--size", size_, "bytes each way, 1.." + std::to_string(ipc_max_size) + " (16 MiB)")
            ->type_name("BYTES")
            ->capture_default_str();
        app_->add_option("--count", count_, "round trips per repeat, 1.." + std::to_string(ipc_max_count) +
                                                "; size x count at most 1 GiB")
            ->type_name("N")
            ->capture_default_str();
        app_->add_option("--repeats", repeats_, "repeats, 1.." + std::to_string(ipc_max_repeats) + "; reports medians")
            ->type_name("R")
            ->capture_default_str();
        app_->add_option("--out", out_path_, "also write the JSON report here")->type_name("FILE");
        app_->add_option("--format", format_, "text | json: what to print on standard output")
            ->check(CLI::IsMember({"text", "table", "json"}))
            ->capture_default_str();
    }

    [[nodiscard]] int run() override {
        throughput_options options;
        try {
            options = parse_throughput_options(size_, count_, repeats_);
            if (here_.get_size() < 2)
                throw invalid_argument_error("parlab-mpi ipc needs at least 2 ranks (rank 1 echoes): start it with "
                                             "mpirun -np 2 or more");
            if (!out_path_.empty()) posix::check_writable(out_path_, "--out");
        } catch (const invalid_argument_error& e) {
            return print_usage_error(e);
        }
        const pingpong_result result = measure_pingpong(here_, hosts_, options);  // MPI errors: main aborts the job
        const std::string json = pingpong_to_json(result);
        std::cout << (format_ == "json" ? json : pingpong_to_text(result));
        if (!out_path_.empty()) posix::write_file(out_path_, json);
        return result.is_intact() ? exit_ok : exit_run_failed;
    }

private:
    const world& here_;
    const std::vector<std::string>& hosts_;
    std::string format_ = "text";
    std::string size_ = "64";  // text, so a bad value gets the one-line message with the bounds
    std::string count_ = "20000";
    std::string repeats_ = "5";
    std::string out_path_;
};

}  // namespace

std::unique_ptr<command> add_pingpong_command(CLI::App& app, const world& here, const std::vector<std::string>& hosts) {
    return std::make_unique<pingpong_command>(app, here, hosts);
}

}  // namespace parlab::mpi
