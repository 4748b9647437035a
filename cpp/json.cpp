// Numbers and text of the core's JSON.
#include "json.hpp"

#include <cmath>    // std::isfinite, std::trunc, std::fabs
#include <cstdint>  // std::int64_t

namespace parlab {

nlohmann::ordered_json to_json_number(double value) {
    if (!std::isfinite(value)) return nullptr;
    // Whole numbers below 2^53 are exact as integers; nlohmann would print them with ".0".
    if (std::trunc(value) == value && std::fabs(value) < 9007199254740992.0) return static_cast<std::int64_t>(value);
    return value;
}

std::string dump_json(const nlohmann::ordered_json& value) {
    return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace parlab
