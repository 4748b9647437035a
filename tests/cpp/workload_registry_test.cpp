// workload_registry: every workload described once, in display order, and the parameter table built from them.
#include "workload_registry.hpp"

#include <gtest/gtest.h>

namespace parlab {
namespace {

TEST(WorkloadRegistry, ListsEveryWorkloadOnceInDisplayOrder) {
    std::vector<std::string_view> names;
    for (const auto& description : get_workload_descriptions()) names.push_back(description.name);
    EXPECT_EQ(names, (std::vector<std::string_view>{"primes", "download", "factorials", "overhead", "cv", "counter", "deadlock", "copy", "timers"}));
    EXPECT_EQ(names, get_workload_names());
}

TEST(WorkloadRegistry, TheParameterTableIsTheWorkloadsRowsThenTheCrashRows) {
    std::vector<std::string> expected;
    for (const auto& description : get_workload_descriptions()) {
        EXPECT_FALSE(description.params.empty()) << description.name;
        EXPECT_NE(description.count_tasks, nullptr) << description.name;
        EXPECT_NE(description.make, nullptr) << description.name;
        for (const auto& spec : description.params) {
            EXPECT_EQ(spec.workload, description.name) << spec.name;
            expected.push_back(std::string(spec.workload) + "." + std::string(spec.name));
        }
    }
    expected.emplace_back(".crash_task");
    expected.emplace_back(".crash_how");
    std::vector<std::string> table;
    for (const auto& spec : get_param_specs()) table.push_back(std::string(spec.workload) + "." + std::string(spec.name));
    EXPECT_EQ(table, expected);
}

TEST(WorkloadRegistry, EachDescriptionCountsAndBuildsItsDefaults) {
    for (const auto& description : get_workload_descriptions()) {
        const auto params = parse_params(std::string(description.name), {});
        const auto tasks = description.count_tasks(params);
        EXPECT_EQ(tasks, get_task_count(params)) << description.name;
        EXPECT_EQ(static_cast<std::int64_t>(description.make(params, true)->get_task_count()), tasks)
            << description.name;
    }
}

TEST(WorkloadRegistry, AnUnknownNameIsAnErrorNamingTheWorkloads) {
    try {
        static_cast<void>(get_workload_description("mandelbrot"));
        ADD_FAILURE() << "mandelbrot found";
    } catch (const invalid_argument_error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "workload must be one of primes, download, factorials, overhead, cv, counter, deadlock, copy, timers (got 'mandelbrot')");
        EXPECT_EQ(e.parameter(), "workload");
    }
}

}  // namespace
}  // namespace parlab
