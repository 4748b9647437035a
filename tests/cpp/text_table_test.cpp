// text_table: cells padded to their column, never cut; headers placed like cells; printf numbers.
#include "text_table.hpp"

#include <gtest/gtest.h>

namespace parlab {
namespace {

TEST(TextTable, PadsRightAndLeftAndKeepsLongCellsWhole) {
    EXPECT_EQ(pad_cell("7", 4), "   7");
    EXPECT_EQ(pad_cell("ab", 4, false), "ab  ");
    EXPECT_EQ(pad_cell("abcdef", 4), "abcdef");
}

TEST(TextTable, RowsAndHeaderFollowTheColumns) {
    const std::vector<text_column> columns = {{"mode", 8, false}, {"workers", 8}, {"s", 6}};
    EXPECT_EQ(format_header(columns), "mode     workers     s");
    EXPECT_EQ(format_row(columns, {"async", "2", "0.5"}), "async          2   0.5");
    EXPECT_EQ(format_row(columns, {"async"}), "async   ");  // a row that ends early
}

TEST(TextTable, FormatsOneNumber) {
    EXPECT_EQ(format_number("%.2fx", 1.5), "1.50x");
    EXPECT_EQ(format_number("%.4f", 2.0), "2.0000");
}

}  // namespace
}  // namespace parlab
