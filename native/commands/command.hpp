// What every parlab subcommand is: it adds itself and its flags to the CLI11 app, then runs once chosen.
#pragma once

#include <CLI/CLI.hpp>  // CLI::App

namespace parlab {

/// Exit codes of every command (the program's footer documents them; 128 + signal when stopped).
inline constexpr int exit_ok = 0;
inline constexpr int exit_run_failed = 1;
inline constexpr int exit_usage = 2;

/// One subcommand of parlab. add_*_command(app) makes it and registers its flags; after app.parse() the one the
/// command line chose (is_parsed) runs.
class command {
public:
    explicit command(CLI::App* subcommand) : app_(subcommand) {}
    virtual ~command() = default;
    command(const command&) = delete;
    command& operator=(const command&) = delete;

    /// Whether the command line chose this command.
    [[nodiscard]] bool is_parsed() const { return app_->parsed(); }
    /// Runs it and prints its report; returns the exit code.
    [[nodiscard]] virtual int run() = 0;

protected:
    CLI::App* app_;  // the subcommand, owned by the app
};

}  // namespace parlab
