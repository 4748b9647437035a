// make_workload: from checked parameters to the workload they name (its registry entry builds it).
#include "workload.hpp"

#include <cstdlib>    // std::abort, std::_Exit
#include <stdexcept>  // std::runtime_error

#include "workload_registry.hpp"


namespace parlab {

namespace {

enum class crash_kind { throw_error, abort_process, exit_process };

/// Wraps a workload so that one task crashes on purpose; every other call goes straight through. Living here,
/// in the core, the crash is the same natively and in wasm, in every mode.
class crashing_workload final : public workload {
public:
    crashing_workload(std::unique_ptr<workload> inner, std::size_t crash_task, crash_kind how)
        : inner_(std::move(inner)), crash_task_(crash_task), how_(how) {}

    [[nodiscard]] std::size_t get_task_count() const override { return inner_->get_task_count(); }
    [[nodiscard]] double get_wait_seconds(std::size_t task) const override { return inner_->get_wait_seconds(task); }
    [[nodiscard]] std::string describe(std::size_t task) const override { return inner_->describe(task); }
    [[nodiscard]] std::string get_phase() const override { return inner_->get_phase(); }
    [[nodiscard]] bool records_memory() const override { return inner_->records_memory(); }
    [[nodiscard]] std::vector<lock_stretch> get_lock_stretches(platform::clock::time_point run_start) const override {
        return inner_->get_lock_stretches(run_start);
    }
    [[nodiscard]] std::vector<task_file> get_task_files(std::size_t task) const override {
        return inner_->get_task_files(task);
    }
    void prepare_task(std::size_t task) const override { inner_->prepare_task(task); }
    [[nodiscard]] std::optional<std::uint64_t> get_counter_value() const override {
        return inner_->get_counter_value();
    }
    [[nodiscard]] std::size_t get_input_bytes(std::size_t task) const override {
        return inner_->get_input_bytes(task);
    }
    void write_input(std::size_t task, std::span<std::uint8_t> out) const override { inner_->write_input(task, out); }
    [[nodiscard]] std::size_t get_output_bytes(std::size_t task) const override {
        return inner_->get_output_bytes(task);
    }
    [[nodiscard]] std::uint64_t read_output(std::size_t task, std::span<const std::uint8_t> output) const override {
        return inner_->read_output(task, output);
    }

    [[nodiscard]] std::uint64_t compute(std::size_t task, const run_control& control) const override {
        crash_if_chosen(task);
        return inner_->compute(task, control);
    }
    [[nodiscard]] std::uint64_t compute_from_input(std::size_t task, std::span<const std::uint8_t> input,
                                                   std::span<std::uint8_t> output,
                                                   const run_control& control) const override {
        crash_if_chosen(task);
        return inner_->compute_from_input(task, input, output, control);
    }

private:
    void crash_if_chosen(std::size_t task) const {
        if (task == crash_task_) {
            switch (how_) {
                case crash_kind::throw_error:
                    throw std::runtime_error("crashed on purpose (crash_how=throw)");
                case crash_kind::abort_process:
                    std::abort();
                case crash_kind::exit_process:
                    std::_Exit(3);
            }
        }
    }

    std::unique_ptr<workload> inner_;
    std::size_t crash_task_;
    crash_kind how_;
};

}  // namespace

std::unique_ptr<workload> make_workload(const workload_params& params, bool hold_data) {
    std::unique_ptr<workload> work = get_workload_description(params.workload).make(params, hold_data);
    const auto crash_task = params.values.count("crash_task") ? params.get_int("crash_task") : -1;
    if (crash_task >= 0) {
        const std::string& how = params.get_choice("crash_how");
        const crash_kind kind = how == "abort"  ? crash_kind::abort_process
                                : how == "exit" ? crash_kind::exit_process
                                                : crash_kind::throw_error;
        work = std::make_unique<crashing_workload>(std::move(work), static_cast<std::size_t>(crash_task), kind);
    }
    work->params_ = params;
    return work;
}

}  // namespace parlab
