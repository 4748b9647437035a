// The `parlab ipc` subcommands (hello, throughput): flags, then the measuring and reports of ipc.hpp.
// Header-only and included by native/main.cpp alone, so parlab_native itself needs no CLI11.
#pragma once

#include <CLI/CLI.hpp>  // CLI::App

#include <iostream>  // std::cout, std::cerr
#include <memory>    // std::unique_ptr
#include <string>    // std::string

#include "file_io.hpp"
#include "ipc.hpp"
#include "params.hpp"

namespace parlab {

/// The ipc subcommands and the flag values CLI11 parses into; made by add_ipc_command.
class ipc_command {
public:
    explicit ipc_command(CLI::App& app) {
        auto* ipc = app.add_subcommand("ipc", "talk between processes and threads: pipes and queues")
                        ->require_subcommand(1);
        hello_ = ipc->add_subcommand("hello", "fork a child that says hello (name, pid, parent pid) over a pipe");
        throughput_ = ipc->add_subcommand(
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

    /// Whether the command line chose `ipc hello` or `ipc throughput`.
    [[nodiscard]] bool is_parsed() const { return hello_->parsed() || throughput_->parsed(); }

    /// Runs the chosen subcommand and prints its report; returns the exit code (0 ok, 1 a check or transport
    /// failed, 2 bad values: one line naming the flag and its bounds).
    [[nodiscard]] int run() const {
        try {
            if (hello_->parsed()) {
                const hello_result result = run_hello();
                std::cout << (format_ == "json" ? hello_to_json(result) : hello_to_text(result));
                return result.is_consistent() ? 0 : 1;
            }
            throughput_options options;
            try {
                options = parse_throughput_options(size_, count_, repeats_);
            } catch (const invalid_argument_error& e) {
                std::cerr << "parlab: error: " << e.what() << "\n";
                return 2;
            }
            const throughput_result result = measure_throughput(options);
            const std::string json = throughput_to_json(result);
            std::cout << (format_ == "json" ? json : throughput_to_text(result));
            if (!out_path_.empty()) write_file(out_path_, json);
            return result.is_intact() ? 0 : 1;
        } catch (const std::exception& e) {
            std::cerr << "parlab: error: " << e.what() << "\n";
            return 1;
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

/// Adds `parlab ipc hello|throughput` to app; keep the result alive until after app.parse().
[[nodiscard]] inline std::unique_ptr<ipc_command> add_ipc_command(CLI::App& app) {
    return std::make_unique<ipc_command>(app);
}

}  // namespace parlab
