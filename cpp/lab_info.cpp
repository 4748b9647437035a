// The lab info document, assembled from the tables that define each rule.
#include "lab_info.hpp"

#include "executor.hpp"
#include "report.hpp"

namespace parlab {

nlohmann::ordered_json param_spec_to_json(const param_spec& spec) {
    nlohmann::ordered_json out;
    out["workload"] = spec.workload;
    out["name"] = spec.name;
    switch (spec.type) {
        case param_type::integer: out["type"] = "int"; break;
        case param_type::real: out["type"] = "float"; break;
        case param_type::choice: out["type"] = "enum"; break;
        case param_type::integer_list: out["type"] = "int_list"; break;
    }
    out["default"] = spec.default_value;
    out["min"] = spec.min;
    out["max"] = spec.max;
    if (!spec.choices.empty()) out["choices"] = spec.choices;
    if (spec.max_items > 0) out["max_items"] = spec.max_items;
    if (!spec.shape.empty()) out["shape"] = spec.shape;
    out["help"] = spec.help;
    return out;
}

nlohmann::ordered_json get_lab_info(const build_facts& build) {
    nlohmann::ordered_json info;
    info["version"] = parlab_version;
    info["build"] = {{"target", build.target}, {"max_workers", build.max_workers}, {"threads", build.threads}};
    const auto mode_json = [](const mode_spec& mode) {
        return nlohmann::ordered_json{{"name", mode.name},
                                      {"pthreads", mode.pthreads},
                                      {"separate_memory", mode.separate_memory},
                                      {"slots", mode.slots},
                                      {"one_worker", mode.one_worker},
                                      {"interpreter_lock", mode.interpreter_lock},
                                      {"label", mode.label},
                                      {"help", mode.help}};
    };
    auto& modes = info["modes"] = nlohmann::ordered_json::array();
    for (const auto& mode : get_mode_specs()) modes.push_back(mode_json(mode));
    // Modes that only results files carry (parlab-mpi's): an upload may hold them, no form offers them.
    info["result_modes"] = nlohmann::ordered_json::array({mode_json(get_mpi_mode_spec())});
    info["workloads"] = get_workload_names();
    auto& params = info["params"] = nlohmann::ordered_json::array();
    for (const auto& spec : get_param_specs()) params.push_back(param_spec_to_json(spec));
    info["limits"] = {
        {"max_workers", build.max_workers},
        {"max_async_workers", max_workers},
        {"max_list_items", max_list_items},
        {"max_tasks_per_run", max_tasks_per_run},
        {"switch_interval_ms",
         {{"min", min_switch_interval_ms}, {"max", max_switch_interval_ms}, {"default", default_switch_interval_ms}}},
    };
    return info;
}

}  // namespace parlab
