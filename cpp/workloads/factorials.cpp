// Schoolbook multiplication of a base-10^9 big integer by small factors.
#include "factorials.hpp"

#include <cstdio>  // std::snprintf

namespace parlab {

namespace {
constexpr std::uint64_t limb_base = 1'000'000'000;
}

std::vector<std::uint32_t> factorial_limbs(std::uint32_t m, const run_control& control) {
    std::vector<std::uint32_t> limbs{1};
    for (std::uint32_t k = 2; k <= m; ++k) {
        if ((k & 0xff) == 0) control.checkpoint();
        std::uint64_t carry = 0;
        for (auto& limb : limbs) {
            const std::uint64_t product = static_cast<std::uint64_t>(limb) * k + carry;
            limb = static_cast<std::uint32_t>(product % limb_base);
            carry = product / limb_base;
        }
        while (carry != 0) {
            limbs.push_back(static_cast<std::uint32_t>(carry % limb_base));
            carry /= limb_base;
        }
    }
    return limbs;
}

std::string factorial_decimal(std::uint32_t m) {
    const run_control never_cancelled;
    const auto limbs = factorial_limbs(m, never_cancelled);
    std::string text = std::to_string(limbs.back());
    for (auto it = limbs.rbegin() + 1; it != limbs.rend(); ++it) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%09u", static_cast<unsigned>(*it));
        text += buf;
    }
    return text;
}

std::uint64_t checksum_limbs(const std::vector<std::uint32_t>& limbs) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (const std::uint32_t limb : limbs) {
        for (int byte = 0; byte < 4; ++byte) {
            hash ^= (limb >> (8 * byte)) & 0xffU;
            hash *= 1099511628211ULL;
        }
    }
    return hash;
}

factorials_workload::factorials_workload(std::vector<std::int64_t> inputs, std::int64_t repeat)
    : inputs_(std::move(inputs)), repeat_(static_cast<std::size_t>(repeat)) {}

std::uint64_t factorials_workload::compute(std::size_t task, const run_control& control) const {
    if (task >= get_task_count()) throw std::out_of_range("factorials: no task " + std::to_string(task));
    const auto m = static_cast<std::uint32_t>(inputs_[task % inputs_.size()]);
    return checksum_limbs(factorial_limbs(m, control));
}

std::string factorials_workload::describe(std::size_t task) const {
    return std::to_string(inputs_.at(task % inputs_.size())) + "!";
}

namespace {

using pt = param_type;

std::int64_t count_factorials_tasks(const workload_params& params) {
    return static_cast<std::int64_t>(params.get_list("inputs").size()) * params.get_int("repeat");
}

void check_factorials(const workload_params& params) {
    if (const auto tasks = count_factorials_tasks(params); tasks > max_tasks_per_run)
        throw_too_large("inputs", "x", "repeat", max_tasks_per_run, "tasks", tasks);
}

std::unique_ptr<workload> make_factorials(const workload_params& params, bool /*hold_data*/) {
    return std::make_unique<factorials_workload>(params.get_list("inputs"), params.get_int("repeat"));
}

}  // namespace

workload_description describe_factorials() {
    return {"factorials",
            {
                {"factorials", "inputs", pt::integer_list, "10,20,30,40,50", 0, 20'000, {}, 64, "",
                 "numbers whose exact factorials are computed, repeated 'repeat' times"},
                {"factorials", "repeat", pt::integer, "1000", 1, 100'000, {}, 0, "",
                 "how many times the inputs are repeated (tasks = items x repeat, at most 1000000)"},
            },
            check_factorials,
            count_factorials_tasks,
            make_factorials};
}

}  // namespace parlab
