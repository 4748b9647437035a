// The core's JSON: nlohmann::ordered_json (keys stay in the order written), numbers as the results format has them.
#pragma once

#include <string>  // std::string

#include <nlohmann/json.hpp>  // nlohmann::ordered_json

namespace parlab {

/// A double as the results format writes it: null when not finite, an integer when whole ("400", not "400.0"),
/// else the shortest text that reads back as the same double.
[[nodiscard]] nlohmann::ordered_json to_json_number(double value);

/// The compact text of a JSON value. Bytes that are not UTF-8 (a quote of user input cut at 80 bytes) become
/// U+FFFD instead of failing the whole document.
[[nodiscard]] std::string dump_json(const nlohmann::ordered_json& value);

}  // namespace parlab
