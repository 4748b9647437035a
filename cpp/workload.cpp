// make_workload: from checked parameters to the workload they name.
#include "workload.hpp"

#include <cstdlib>    // std::abort, std::_Exit
#include <stdexcept>  // std::runtime_error

#include "download.hpp"
#include "factorials.hpp"
#include "primes.hpp"

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

    [[nodiscard]] std::uint64_t compute(std::size_t task, const run_control& control) const override {
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
        return inner_->compute(task, control);
    }

private:
    std::unique_ptr<workload> inner_;
    std::size_t crash_task_;
    crash_kind how_;
};

std::unique_ptr<workload> make_plain_workload(const workload_params& params) {
    if (params.workload == "primes") {
        if (params.get_choice("shape") == "chunked")
            return std::make_unique<primes_workload>(
                primes_workload::chunked(params.get_int("n"), params.get_int("chunks")));
        return std::make_unique<primes_workload>(primes_workload::from_limits(params.get_list("inputs")));
    }
    if (params.workload == "download")
        return std::make_unique<download_workload>(params.get_int("count"), params.get_real("latency_ms"),
                                                   params.get_real("jitter_ms"),
                                                   static_cast<std::uint64_t>(params.get_int("seed")),
                                                   params.get_int("work_kib"));
    if (params.workload == "factorials")
        return std::make_unique<factorials_workload>(params.get_list("inputs"), params.get_int("repeat"));
    throw invalid_argument_error("workload must be one of primes, download, factorials (got '" + params.workload +
                                 "')");
}

}  // namespace

std::unique_ptr<workload> make_workload(const workload_params& params) {
    auto work = make_plain_workload(params);
    const auto crash_task = params.values.count("crash_task") ? params.get_int("crash_task") : -1;
    if (crash_task < 0) return work;
    const std::string& how = params.get_choice("crash_how");
    const crash_kind kind = how == "abort"  ? crash_kind::abort_process
                            : how == "exit" ? crash_kind::exit_process
                                            : crash_kind::throw_error;
    return std::make_unique<crashing_workload>(std::move(work), static_cast<std::size_t>(crash_task), kind);
}

}  // namespace parlab
