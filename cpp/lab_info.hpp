// The lab info document: the modes, the workloads' parameters, the limits and the build, as one JSON object.
#pragma once

#include <string>       // std::string

#include <nlohmann/json.hpp>  // nlohmann::ordered_json

#include "modes.hpp"
#include "params.hpp"

namespace parlab {

/// What the shell reports about the build that serves the document.
struct build_facts {
    std::string target;        ///< "native" or "wasm"
    unsigned max_workers = 1;  ///< largest worker count of the pooled modes in this build
    bool threads = true;       ///< whether the pthread-based modes can run in this build
};

/// One parameter spec as JSON (type int|float|enum|int_list, default as text, bounds, choices, shape, help).
[[nodiscard]] nlohmann::ordered_json param_spec_to_json(const param_spec& spec);

/// {"version", "build": {...}, "modes": [...], "result_modes": [mpi], "workloads": [names], "params": [specs], "limits": {...}}: what the
/// CLI's help, the page's forms and validation, and the CPython reference's test read instead of copies.
[[nodiscard]] nlohmann::ordered_json get_lab_info(const build_facts& build);

}  // namespace parlab
