// Chrome Trace Event JSON from a results file: the timeline that Perfetto UI and chrome://tracing open.
// One writer for both shells: `parlab ... --trace-out` and the page's "Trace (Perfetto)" download (docs/traces.md).
#pragma once

#include <string>  // std::string

namespace parlab {

/// The runs of a results file (docs/results-format.md), or of the page's export (its browser groups and uploaded
/// sets), as Chrome Trace Event JSON: {traceEvents, displayTimeUnit: "ms", otherData}, runs one after another on
/// the time axis, one pid per process of each run, one tid per worker thread (docs/traces.md names every track).
/// Throws invalid_argument_error, one line naming the field at fault, for text that is neither document.
[[nodiscard]] std::string results_to_chrome_trace(const std::string& results_json);

}  // namespace parlab
