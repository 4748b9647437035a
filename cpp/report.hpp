// Reporters: turn run_results into the results file (JSON) or a short human-readable table. Nothing here runs.
#pragma once

#include <string>  // std::string
#include <vector>  // std::vector

#include <nlohmann/json_fwd.hpp>  // nlohmann::ordered_json

#include "run_result.hpp"

namespace parlab {

/// Version of the results format written by run_to_json / results_to_json (docs/results-format.md).
inline constexpr int results_schema_version = 1;

/// parlab's version, and the generator name written into results files.
inline constexpr const char* parlab_version = "0.1.0";
inline constexpr const char* generator_name = "parlab 0.1.0";

/// One run as a JSON object, tasks included (the results format's run, key order as documented).
[[nodiscard]] nlohmann::ordered_json run_to_json_value(const run_result& run);

/// One run as JSON text: run_to_json_value, compact.
[[nodiscard]] std::string run_to_json(const run_result& run);

/// A whole results file: schema_version, generator, created, environment, runs.
[[nodiscard]] std::string results_to_json(const environment_info& env, const std::vector<run_result>& runs);

/// A few lines for one run: mode, workers, total time, start-up, average task time, checksum, status.
[[nodiscard]] std::string run_to_text(const run_result& run);

/// A table of runs with speed-up relative to the same mode at 1 worker (where present) and efficiency, then each
/// mode's Amdahl fit, and the critical-path bound where it binds: the sweep summary (summary.hpp), formatted.
[[nodiscard]] std::string sweep_to_text(const std::vector<run_result>& runs);

}  // namespace parlab
