// render: the compressor round-trips, pages and photos are deterministic per document, sizes stay in bounds.
#include "render.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace parlab::render {
namespace {

std::vector<std::uint8_t> bytes_of(const std::string& text) { return {text.begin(), text.end()}; }

TEST(Render, CompressRoundTripsAndShrinksRepetitiveData) {
    std::vector<std::vector<std::uint8_t>> inputs = {
        {}, bytes_of("a"), bytes_of("abc"), bytes_of("abcabcabcabcabcabcabcabcabcabc"),
        std::vector<std::uint8_t>(100'000, 255)};
    std::vector<std::uint8_t> noisy(70'000);
    std::uint32_t x = 12345;
    for (auto& b : noisy) {
        x = x * 1103515245U + 12345U;
        b = static_cast<std::uint8_t>(x >> 24);
    }
    inputs.push_back(noisy);
    std::vector<std::uint8_t> far(200'000);  // repeats at distances beyond the 64 KiB window
    for (std::size_t i = 0; i < far.size(); ++i) far[i] = noisy[i % 66'000];
    inputs.push_back(far);
    for (const auto& input : inputs) {
        const auto packed = compress(input, {});
        EXPECT_EQ(decompress(packed), input) << input.size() << " bytes";
        EXPECT_LE(packed.size(), 4 + input.size() + input.size() / 128 + 1);  // literals cost 1 byte per 128
    }
    EXPECT_LT(compress(inputs[4], {}).size(), 3000U);  // 100000 equal bytes: matches of 131 bytes, 3 bytes each
}

TEST(Render, DecompressRejectsMalformedInput) {
    auto packed = compress(bytes_of("hello hello hello hello"), {});
    EXPECT_THROW(static_cast<void>(decompress({1, 0})), std::runtime_error);
    auto truncated = packed;
    truncated.pop_back();
    EXPECT_THROW(static_cast<void>(decompress(truncated)), std::runtime_error);
    auto trailing = packed;
    trailing.push_back(0);
    EXPECT_THROW(static_cast<void>(decompress(trailing)), std::runtime_error);
    // A match reaching back before the start.
    EXPECT_THROW(static_cast<void>(decompress({8, 0, 0, 0, 128 + 4, 5, 0})), std::runtime_error);
}

TEST(Render, PhotoIsDeterministicPerDocument) {
    const auto a = make_photo(1, 3);
    EXPECT_EQ(a.width, photo_width);
    EXPECT_EQ(a.height, photo_height);
    EXPECT_EQ(a.pixels.size(), static_cast<std::size_t>(photo_width * photo_height));
    EXPECT_EQ(a.pixels, make_photo(1, 3).pixels);
    EXPECT_NE(a.pixels, make_photo(1, 4).pixels);
    EXPECT_NE(a.pixels, make_photo(2, 3).pixels);
}

TEST(Render, TextHasTheAskedLinesInTheFontsCharacters) {
    const auto text = make_cv_text(1, 0, 40);
    ASSERT_EQ(text.size(), 40U);
    for (const auto& line : text)
        for (const char c : line) EXPECT_NE(std::string(" ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,-:@+/").find(c),
                                            std::string::npos)
                                      << line;
    EXPECT_EQ(text, make_cv_text(1, 0, 40));
    EXPECT_NE(text, make_cv_text(1, 1, 40));
}

TEST(Render, PageSizeFollowsKilopixelsWithinBounds) {
    for (const std::int64_t kpx : {min_page_kpx, std::int64_t{300}, std::int64_t{20'000}, max_page_kpx}) {
        const auto size = get_page_size(kpx);
        const double pixels = static_cast<double>(size.width) * size.height;
        EXPECT_NEAR(pixels / 1000.0, static_cast<double>(kpx), static_cast<double>(kpx) * 0.02 + 3) << kpx;
        EXPECT_GT(size.height, size.width);
    }
    EXPECT_EQ(get_page_size(1).width, get_page_size(min_page_kpx).width);  // clamped
    EXPECT_EQ(get_page_size(1'000'000).width, get_page_size(max_page_kpx).width);
}

TEST(Render, PageIsDeterministicPerDocumentAndHasInk) {
    const auto size = get_page_size(60);
    const auto render = [&](std::uint64_t seed, std::size_t doc) {
        return render_page(size, seed, doc, make_photo(seed, doc), {});
    };
    const auto a = render(1, 0);
    ASSERT_EQ(a.pixels.size(), static_cast<std::size_t>(size.width) * size.height);
    EXPECT_EQ(a.pixels, render(1, 0).pixels);
    EXPECT_NE(a.pixels, render(1, 1).pixels);
    int dark = 0;
    int grey = 0;  // anti-aliased edges: neither paper nor ink
    for (const auto p : a.pixels) {
        dark += p < 100;
        grey += p > 100 && p < 200;
    }
    EXPECT_GT(dark, 50);
    EXPECT_GT(grey, 50);
    const auto packed = compress(a.pixels, {});
    EXPECT_EQ(decompress(packed), a.pixels);
    EXPECT_NE(fnv1a64(packed.data(), packed.size()), 0U);
}

TEST(Render, CheckpointIsCalledAndMayStopTheWork) {
    const auto size = get_page_size(100);
    int calls = 0;
    const auto photo = make_photo(1, 0);
    const auto page = render_page(size, 1, 0, photo, [&] { ++calls; });
    EXPECT_GE(calls, size.height);  // at least once per row
    calls = 0;
    static_cast<void>(compress(page.pixels, [&] { ++calls; }));
    EXPECT_GE(calls, 1);
    struct stop {};
    EXPECT_THROW(static_cast<void>(render_page(size, 1, 0, photo, [] { throw stop{}; })), stop);
}

}  // namespace
}  // namespace parlab::render
