// Padding and number formatting for the text tables.
#include "text_table.hpp"

#include <cstdio>  // std::snprintf

namespace parlab {

std::string pad_cell(std::string text, std::size_t width, bool right) {
    if (text.size() >= width) return text;
    const std::string fill(width - text.size(), ' ');
    return right ? fill + text : text + fill;
}

std::string format_row(const std::vector<text_column>& columns, const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size() && i < columns.size(); ++i)
        line += pad_cell(cells[i], columns[i].width, columns[i].right);
    return line;
}

std::string format_header(const std::vector<text_column>& columns) {
    std::vector<std::string> headers;
    for (const auto& column : columns) headers.emplace_back(column.header);
    return format_row(columns, headers);
}

std::string format_number(const char* pattern, double value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, pattern, value);
    return buf;
}

}  // namespace parlab
