// Plain-text tables for the reports: columns of fixed width, cells padded (never cut), numbers printf-formatted.
#pragma once

#include <cstddef>      // std::size_t
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

namespace parlab {

/// One column of a text table.
struct text_column {
    std::string_view header;
    std::size_t width = 0;  ///< a cell narrower than this is padded with spaces; a wider one is kept whole
    bool right = true;      ///< right-aligned (numbers) or left-aligned (names)
};

/// `text` padded with spaces to `width` characters, on the left when `right`; a longer text is returned whole.
[[nodiscard]] std::string pad_cell(std::string text, std::size_t width, bool right = true);

/// One line of the table, without its newline: cells[i] padded to columns[i]; fewer cells than columns fill the
/// first ones only (a row that ends early, e.g. with a note).
[[nodiscard]] std::string format_row(const std::vector<text_column>& columns, const std::vector<std::string>& cells);

/// The header line, without its newline: each column's header placed as format_row places a cell.
[[nodiscard]] std::string format_header(const std::vector<text_column>& columns);

/// One number through a printf pattern with one double conversion, e.g. format_number("%.2fx", 1.5) == "1.50x".
[[nodiscard]] std::string format_number(const char* pattern, double value);

}  // namespace parlab
