// The JSON writer's escaping and number formatting.
#include "json_writer.hpp"

#include <cmath>   // std::isfinite
#include <cstdio>   // std::snprintf
#include <cstdlib>  // std::strtod

namespace parlab {

void json_writer::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!needs_comma_.empty()) {
        if (needs_comma_.back()) out_ += ',';
        needs_comma_.back() = true;
    }
}

void json_writer::begin_object() {
    before_value();
    out_ += '{';
    needs_comma_.push_back(false);
}

void json_writer::end_object() {
    needs_comma_.pop_back();
    out_ += '}';
}

void json_writer::begin_array() {
    before_value();
    out_ += '[';
    needs_comma_.push_back(false);
}

void json_writer::end_array() {
    needs_comma_.pop_back();
    out_ += ']';
}

void json_writer::key(std::string_view name) {
    before_value();
    write_string(name);
    out_ += ':';
    after_key_ = true;
}

void json_writer::value(std::string_view text) {
    before_value();
    write_string(text);
}

void json_writer::write_string(std::string_view text) {
    out_ += '"';
    for (const char c : text) {
        switch (c) {
            case '"': out_ += "\\\""; break;
            case '\\': out_ += "\\\\"; break;
            case '\n': out_ += "\\n"; break;
            case '\r': out_ += "\\r"; break;
            case '\t': out_ += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out_ += buf;
                } else {
                    out_ += c;
                }
        }
    }
    out_ += '"';
}

void json_writer::value(std::int64_t number) {
    before_value();
    out_ += std::to_string(number);
}

void json_writer::value(double number) {
    before_value();
    if (!std::isfinite(number)) {
        out_ += "null";
        return;
    }
    // 9 significant digits keep timings short; a value they do not round-trip (a bound such as 4294967295)
    // is written with 17, so a reader gets back exactly the number the core checks against.
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", number);
    if (std::strtod(buf, nullptr) != number) std::snprintf(buf, sizeof buf, "%.17g", number);
    out_ += buf;
}

void json_writer::value(bool flag) {
    before_value();
    out_ += flag ? "true" : "false";
}

void json_writer::null() {
    before_value();
    out_ += "null";
}

void json_writer::raw(std::string_view json) {
    before_value();
    out_ += json;
}

std::string json_writer::take() {
    std::string text;
    text.swap(out_);
    needs_comma_.clear();
    after_key_ = false;
    return text;
}

}  // namespace parlab
