// `parlab ipc`: its flags, then the measuring and reports of native/ipc/.
#include "commands/ipc_command.hpp"

#include <iostream>  // std::cout, std::cerr
#include <string>    // std::string

#include "commands/usage_error.hpp"
#include "ipc/reports.hpp"
#include "posix/files.hpp"

namespace parlab {

namespace {

class ipc_command final : public command {
public:
    explicit ipc_command(CLI::App& app)
        : command(app.add_subcommand("ipc", "talk between processes and threads: pipes and queues")) {
        app_->require_subcommand(1);
        hello_ = app_->add_subcommand("hello", "fork a child that says hello (name, pid, parent pid) over a pipe");
        throughput_ = app_->add_subcommand(
            "throughput", "time N messages of SIZE bytes over a pipe and a queue, between processes and threads");
        throughput_->add_option("--size", size_, "bytes per message, 1.." + std::to_string(ipc_max_size) + " (16 MiB)")
            ->type_name("BYTES")
            ->capture_default_str();
        throughput_->add_option("--count", count_, "messages, 1.." + std::to_string(ipc_max_count) +
                                                       "; size x count at most 1 GiB")
            ->type_name("N")
            ->capture_default_str();
        throughput_->add_option("--repeats", repeats_,
                                "transfers per transport, 1.." + std::to_string(ipc_max_repeats) + "; reports medians")
            ->type_name("R")
            ->capture_default_str();
        throughput_->add_option("--out", out_path_, "also write the JSON report here")->type_name("FILE");
        for (auto* cmd : {hello_, throughput_})
            cmd->add_option("--format", format_, "text | json: what to print on standard output")
                ->check(CLI::IsMember({"text", "table", "json"}))
                ->capture_default_str();
    }

    [[nodiscard]] int run() override {
        try {
            if (hello_->parsed()) {
                const hello_result result = run_hello();
                std::cout << (format_ == "json" ? hello_to_json(result) : hello_to_text(result));
                return result.is_consistent() ? exit_ok : exit_run_failed;
            }
            throughput_options options;
            try {
                options = parse_throughput_options(size_, count_, repeats_);
                if (!out_path_.empty()) posix::check_writable(out_path_, "--out");
            } catch (const invalid_argument_error& e) {
                return print_usage_error(e);
            }
            const throughput_result result = measure_throughput(options);
            const std::string json = throughput_to_json(result);
            std::cout << (format_ == "json" ? json : throughput_to_text(result));
            if (!out_path_.empty()) posix::write_file(out_path_, json);
            return result.is_intact() ? exit_ok : exit_run_failed;
        } catch (const std::exception& e) {
            std::cerr << "parlab: error: " << e.what() << "\n";
            return exit_run_failed;
        }
    }

private:
    CLI::App* hello_ = nullptr;
    CLI::App* throughput_ = nullptr;
    std::string format_ = "text";
    std::string size_ = "4096";  // text, so a bad value gets parlab's one-line message with the bounds
    std::string count_ = "20000";
    std::string repeats_ = "3";
    std::string out_path_;
};

}  // namespace

std::unique_ptr<command> add_ipc_command(CLI::App& app) { return std::make_unique<ipc_command>(app); }

}  // namespace parlab
