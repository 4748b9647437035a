// A minimal streaming JSON writer: enough for the results format, with correct escaping and commas.
#pragma once

#include <cstdint>      // std::int64_t, std::uint64_t
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

namespace parlab {

class json_writer {
public:
    void begin_object();
    void end_object();
    void begin_array();
    void end_array();
    /// Writes an object key; the next call writes its value.
    void key(std::string_view name);
    void value(std::string_view text);
    void value(const char* text) { value(std::string_view(text)); }
    void value(const std::string& text) { value(std::string_view(text)); }
    void value(std::int64_t number);
    void value(std::uint64_t number) { value(static_cast<std::int64_t>(number)); }
    void value(int number) { value(static_cast<std::int64_t>(number)); }
    void value(unsigned number) { value(static_cast<std::int64_t>(number)); }
    /// Writes a finite double with up to 9 significant digits; NaN and infinities become null.
    void value(double number);
    void value(bool flag);
    void null();
    /// Inserts already-serialised JSON as the next value.
    void raw(std::string_view json);
    /// The text written so far; the writer is empty afterwards.
    [[nodiscard]] std::string take();

private:
    void before_value();
    void write_string(std::string_view text);
    std::string out_;
    std::vector<bool> needs_comma_;  // one per open container
    bool after_key_ = false;
};

}  // namespace parlab
