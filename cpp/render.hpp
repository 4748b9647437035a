// The CV page behind the cv workload: a deterministic photo, a supersampled rasteriser and an LZ77-style coder.
#pragma once

#include <cstddef>     // std::size_t
#include <cstdint>     // std::uint8_t, std::uint64_t, std::int64_t
#include <functional>  // std::function
#include <string>      // std::string
#include <vector>      // std::vector

namespace parlab::render {

/// A grayscale image, one byte per pixel (0 black, 255 white), rows top to bottom.
struct gray_image {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;  ///< width * height bytes
};

/// Called at safe points of the long loops (about every few hundred microseconds of work); it may throw to
/// stop the work (the cv workload passes run_control::checkpoint, so cancellation and the interpreter lock work).
using checkpoint_fn = std::function<void()>;

/// Size of every document's photo, in pixels.
inline constexpr int photo_width = 96;
inline constexpr int photo_height = 128;

/// Each output pixel is the average of supersample x supersample samples of the scene (anti-aliasing).
inline constexpr int supersample = 4;

/// Bounds of a page's size in kilopixels (the cv workload's page_kpx parameter).
inline constexpr std::int64_t min_page_kpx = 10;
inline constexpr std::int64_t max_page_kpx = 50'000;

/// The photo of document `doc`: a face-like portrait with grain, from (seed, doc) alone, so any process that
/// knows the two numbers makes the same bytes.
[[nodiscard]] gray_image make_photo(std::uint64_t seed, std::size_t doc);

/// The text of document `doc` (name, contact, experience, skills): uppercase letters, digits and the
/// punctuation of the built-in 5x7 font, from (seed, doc) alone. Line 0 is the name.
[[nodiscard]] std::vector<std::string> make_cv_text(std::uint64_t seed, std::size_t doc, std::size_t lines);

/// Width and height of a page of about page_kpx thousand pixels, portrait A4 ratio (height = width * 1.414);
/// page_kpx is clamped to min_page_kpx..max_page_kpx.
struct page_size {
    int width = 0;
    int height = 0;
};
[[nodiscard]] page_size get_page_size(std::int64_t page_kpx);

/// Rasterises document `doc`'s page: header band, name, text lines in the 5x7 font and the photo (bilinear,
/// in a frame), each pixel averaged over supersample^2 samples, then a 3x3 blur and a faint paper grain.
/// Deterministic: integer arithmetic only.
[[nodiscard]] gray_image render_page(page_size size, std::uint64_t seed, std::size_t doc, const gray_image& photo,
                                     const checkpoint_fn& checkpoint);

/// LZ77-style compression (hash chains over a 64 KiB window, greedy matches of 4..131 bytes). Format: a
/// 4-byte little-endian length, then tokens: c < 128 is a run of c + 1 literal bytes that follow; c >= 128
/// a match of (c - 128) + 4 bytes at the 2-byte little-endian distance that follows (1..65535).
[[nodiscard]] std::vector<std::uint8_t> compress(const std::vector<std::uint8_t>& data,
                                                 const checkpoint_fn& checkpoint);

/// The inverse of compress; throws std::runtime_error on malformed input (never reads or writes out of bounds).
[[nodiscard]] std::vector<std::uint8_t> decompress(const std::vector<std::uint8_t>& packed);

/// 64-bit FNV-1a of size bytes.
[[nodiscard]] std::uint64_t fnv1a64(const std::uint8_t* data, std::size_t size);

}  // namespace parlab::render
