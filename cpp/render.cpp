// The CV page: photo, text, rasteriser and compressor, all in integer arithmetic so every platform agrees.
#include "render.hpp"

#include <algorithm>  // std::min, std::max, std::clamp
#include <array>      // std::array
#include <cmath>      // std::sqrt
#include <cstdlib>    // std::abs
#include <stdexcept>  // std::runtime_error

namespace parlab::render {

namespace {

/// splitmix64 (as in download.cpp, kept local so this file stands alone).
std::uint64_t next_random(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/// A number in [0, n) from the generator.
int pick(std::uint64_t& state, int n) { return static_cast<int>(next_random(state) % static_cast<std::uint64_t>(n)); }

std::uint64_t document_state(std::uint64_t seed, std::size_t doc, std::uint64_t salt) {
    return seed * 0x100000001b3ULL ^ (static_cast<std::uint64_t>(doc) + 1) * 0x9e3779b97f4a7c15ULL ^ salt;
}

// ---- the 5x7 font: seven rows of five bits each, bit 4 the leftmost column ----

struct glyph {
    char c;
    std::array<std::uint8_t, 7> rows;
};

constexpr std::array<glyph, 45> font = {{
    {' ', {0, 0, 0, 0, 0, 0, 0}},
    {'A', {0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11}}, {'B', {0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E}},
    {'C', {0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E}}, {'D', {0x1E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1E}},
    {'E', {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F}}, {'F', {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10}},
    {'G', {0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F}}, {'H', {0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11}},
    {'I', {0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E}}, {'J', {0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C}},
    {'K', {0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11}}, {'L', {0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F}},
    {'M', {0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11}}, {'N', {0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11}},
    {'O', {0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}}, {'P', {0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10}},
    {'Q', {0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D}}, {'R', {0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11}},
    {'S', {0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E}}, {'T', {0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04}},
    {'U', {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}}, {'V', {0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04}},
    {'W', {0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A}}, {'X', {0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11}},
    {'Y', {0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04}}, {'Z', {0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F}},
    {'0', {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E}}, {'1', {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E}},
    {'2', {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F}}, {'3', {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E}},
    {'4', {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02}}, {'5', {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E}},
    {'6', {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E}}, {'7', {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08}},
    {'8', {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E}}, {'9', {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C}},
    {'.', {0, 0, 0, 0, 0, 0x0C, 0x0C}}, {',', {0, 0, 0, 0, 0x0C, 0x04, 0x08}},
    {'-', {0, 0, 0, 0x1F, 0, 0, 0}}, {':', {0, 0x0C, 0x0C, 0, 0x0C, 0x0C, 0}},
    {'@', {0x0E, 0x11, 0x17, 0x15, 0x17, 0x10, 0x0F}}, {'+', {0, 0x04, 0x04, 0x1F, 0x04, 0x04, 0}},
    {'/', {0x01, 0x01, 0x02, 0x04, 0x08, 0x10, 0x10}},
}};

/// Rows of each character's glyph, indexed by its code (characters outside the font draw as space).
const std::array<std::array<std::uint8_t, 7>, 128>& get_glyph_table() {
    static const auto table = [] {
        std::array<std::array<std::uint8_t, 7>, 128> t{};
        for (const auto& g : font) t[static_cast<unsigned char>(g.c)] = g.rows;
        return t;
    }();
    return table;
}

constexpr int cell_width = 6;    // glyph columns + 1 of spacing
constexpr int line_height = 11;  // glyph rows + 4 of leading
constexpr int body_columns = 52;  // characters per body line

/// Which character and glyph column each sample column falls in, for text with glyph pixels `pixel` samples
/// wide starting at sample column `left`; -1 where there is none (left of the text, or spacing).
struct column_map {
    std::vector<int> character;
    std::vector<int> bit;  // the mask of the glyph column, 0 for spacing
};

column_map map_columns(int samples, int left, int pixel) {
    column_map map{std::vector<int>(static_cast<std::size_t>(samples), -1),
                   std::vector<int>(static_cast<std::size_t>(samples), 0)};
    for (int sx = left; sx < samples; ++sx) {
        const int glyph_pixel = (sx - left) / pixel;
        const int column = glyph_pixel % cell_width;
        map.character[sx] = glyph_pixel / cell_width;
        map.bit[sx] = column < 5 ? (0x10 >> column) : 0;
    }
    return map;
}

/// What one sample row crosses: its background, and the text line and glyph row there (line -1: none).
struct row_info {
    std::uint8_t background = 255;
    int line = -1;
    int glyph_row = 0;
};

}  // namespace

std::uint64_t fnv1a64(const std::uint8_t* data, std::size_t size) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (std::size_t i = 0; i < size; ++i) {
        hash ^= data[i];
        hash *= 1099511628211ULL;
    }
    return hash;
}

gray_image make_photo(std::uint64_t seed, std::size_t doc) {
    std::uint64_t state = document_state(seed, doc, 0x70686f746fULL);  // "photo"
    const int cx = photo_width / 2 - 6 + pick(state, 13);
    const int cy = 54 - 5 + pick(state, 11);
    const int rx = 24 + pick(state, 8);
    const int ry = 32 + pick(state, 8);
    const int skin = 165 + pick(state, 60);
    const int hair = 20 + pick(state, 70);
    const int background = 70 + pick(state, 110);
    const int shirt = 40 + pick(state, 150);
    gray_image photo{photo_width, photo_height, std::vector<std::uint8_t>(photo_width * photo_height)};
    for (int y = 0; y < photo_height; ++y) {
        for (int x = 0; x < photo_width; ++x) {
            int v = background + y * 40 / photo_height;
            const int dx = x - cx;
            const int dy = y - cy;
            if (y > cy + ry - 8 && std::abs(dx) < 30 + (y - cy - ry) * 2) v = shirt;
            if (dx * dx * ry * ry + dy * dy * rx * rx <= rx * rx * ry * ry) {
                v = skin - std::abs(dx) * 30 / rx;
                const int ex = std::abs(dx) - rx / 2 + 2;
                const int ey = dy + ry / 4;
                if (ex * ex + ey * ey <= 9) v = 30;                                   // eyes
                if (dy > ry / 3 && dy < ry / 3 + 3 && std::abs(dx) < rx / 3) v = 90;  // mouth
            }
            const int hx = dx;
            const int hy = dy + ry / 3;
            if (dy < -ry / 3 && hx * hx * (ry + 4) * (ry + 4) + hy * hy * (rx + 4) * (rx + 4) <=
                                    (rx + 4) * (rx + 4) * (ry + 4) * (ry + 4))
                v = hair;
            v += static_cast<int>(next_random(state) & 15) - 8;  // sensor noise
            photo.pixels[static_cast<std::size_t>(y * photo_width + x)] = static_cast<std::uint8_t>(std::clamp(v, 0, 255));
        }
    }
    return photo;
}

std::vector<std::string> make_cv_text(std::uint64_t seed, std::size_t doc, std::size_t lines) {
    static const char* const firsts[] = {"ADA",   "ALAN",   "GRACE",  "LINUS", "BARBARA", "KEN",    "DENNIS", "MARGARET",
                                         "EDSGER", "DONALD", "FRANCES", "JOHN",  "RADIA",   "TIM",    "SOPHIE", "BJARNE"};
    static const char* const lasts[] = {"LOVELACE", "TURING",  "HOPPER", "TORVALDS", "LISKOV",  "THOMPSON",
                                        "RITCHIE",  "HAMILTON", "DIJKSTRA", "KNUTH",   "ALLEN",   "BACKUS",
                                        "PERLMAN",  "BERNERS-LEE", "WILSON", "STROUSTRUP"};
    static const char* const roles[] = {"SOFTWARE ENGINEER", "DATA ANALYST",   "SYSTEMS ARCHITECT",
                                        "RESEARCH SCIENTIST", "TEST ENGINEER", "DEVOPS ENGINEER"};
    static const char* const companies[] = {"ACME", "INITECH", "GLOBEX", "HOOLI", "UMBRELLA", "STARK", "WAYNE", "TYRELL"};
    static const char* const cities[] = {"LONDON", "PARIS", "BERLIN", "OSLO", "LISBON", "ROME", "MADRID", "VIENNA"};
    static const char* const skills[] = {"C++", "PYTHON", "RUST", "SQL", "LINUX", "DOCKER", "GO", "JAVA", "WASM", "CUDA"};
    static const char* const deeds[] = {"SHIPPED", "MAINTAINED", "REWROTE", "PROFILED", "TESTED", "DESIGNED"};
    static const char* const things[] = {"A PAYMENT SERVICE", "THE BUILD FARM", "A SEARCH INDEX", "THE MOBILE APP",
                                         "A THREAD POOL",     "THE DATA LAKE",  "A COMPILER PASS", "THE WEB SHOP"};
    std::uint64_t state = document_state(seed, doc, 0x74657874ULL);  // "text"
    const std::string first = firsts[pick(state, 16)];
    const std::string last = lasts[pick(state, 16)];
    std::vector<std::string> text = {
        first + " " + last,
        std::string(roles[pick(state, 6)]) + " - CV " + std::to_string(doc + 1),
        "EMAIL: " + first + "." + last + "@EXAMPLE.ORG",
        "PHONE: +44 20 7946 " + std::to_string(1000 + pick(state, 9000)),
        "",
        "EXPERIENCE",
    };
    int year = 2024;
    while (text.size() < lines) {
        const int span = 1 + pick(state, 4);
        text.push_back(std::to_string(year - span) + "-" + std::to_string(year) + "  " + roles[pick(state, 6)] + ", " +
                       companies[pick(state, 8)]);
        text.push_back("  " + std::string(cities[pick(state, 8)]) + ": " + deeds[pick(state, 6)] + " " +
                       things[pick(state, 8)] + ", TEAM OF " + std::to_string(2 + pick(state, 12)));
        year -= span;
        if (pick(state, 4) == 0) {
            std::string line = "SKILLS:";
            for (int k = 0; k < 5; ++k) line += std::string(" ") + skills[pick(state, 10)];
            text.push_back(line);
            text.emplace_back("");
        }
    }
    text.resize(lines);
    return text;
}

page_size get_page_size(std::int64_t page_kpx) {
    const double pixels = static_cast<double>(std::clamp(page_kpx, min_page_kpx, max_page_kpx)) * 1000.0;
    const int width = static_cast<int>(std::sqrt(pixels / 1.414));
    return {width, static_cast<int>(static_cast<double>(width) * 1.414)};
}

gray_image render_page(page_size size, std::uint64_t seed, std::size_t doc, const gray_image& photo,
                       const checkpoint_fn& checkpoint) {
    constexpr int s = supersample;
    const int width = size.width;
    const int height = size.height;
    const int sample_width = width * s;
    const int sample_height = height * s;

    // Layout in output pixels, then in samples.
    const int margin = std::max(4, width / 16);
    const int header = std::max(8, height / 10);
    const int frame_w = std::max(8, width / 4);
    const int frame_h = frame_w * 4 / 3;
    const int frame_x = width - margin - frame_w;
    const int frame_y = margin / 2;
    const int border = std::max(1, width / 300) * s;
    const int fx0 = frame_x * s, fx1 = (frame_x + frame_w) * s;
    const int fy0 = frame_y * s, fy1 = (frame_y + frame_h) * s;
    const int ix0 = fx0 + border, ix1 = fx1 - border, iy0 = fy0 + border, iy1 = fy1 - border;
    // Glyph pixels a fractional number of output pixels wide, so glyph edges fall between pixels.
    const int body_pixel = std::max(1, (width - 2 * margin) * s / (body_columns * cell_width));
    const int name_pixel = 2 * body_pixel;
    const int name_top = std::max(0, (header * s - 7 * name_pixel) / 2);
    const int body_top = header * s + 2 * body_pixel;
    const int body_lines = std::max(0, (sample_height - body_top - margin * s) / (line_height * body_pixel));
    const std::vector<std::string> text = make_cv_text(seed, doc, static_cast<std::size_t>(body_lines) + 1);

    const column_map body_columns_map = map_columns(sample_width, margin * s, body_pixel);
    const column_map name_columns_map = map_columns(sample_width, margin * s, name_pixel);
    std::vector<row_info> rows(static_cast<std::size_t>(sample_height));
    for (int sy = 0; sy < sample_height; ++sy) {
        row_info& row = rows[sy];
        row.background = sy < header * s ? 228 : 255;
        if (sy >= name_top && sy < name_top + 7 * name_pixel) {
            row.line = 0;
            row.glyph_row = (sy - name_top) / name_pixel;
        } else if (sy >= body_top && body_pixel > 0) {
            const int in_line = (sy - body_top) / body_pixel;
            const int line = in_line / line_height;
            if (line < body_lines && in_line % line_height < 7) {
                row.line = line + 1;
                row.glyph_row = in_line % line_height;
            }
        }
    }
    // The photo's source coordinate (8.8 fixed point) at each sample column and row of the frame's inside.
    std::vector<int> photo_u(static_cast<std::size_t>(sample_width), 0);
    std::vector<int> photo_v(static_cast<std::size_t>(sample_height), 0);
    const int inner_w = std::max(2, ix1 - ix0);
    const int inner_h = std::max(2, iy1 - iy0);
    for (int sx = ix0; sx < ix1 && sx < sample_width; ++sx)
        photo_u[sx] = (sx - ix0) * (photo.width - 1) * 256 / (inner_w - 1);
    for (int sy = iy0; sy < iy1 && sy < sample_height; ++sy)
        photo_v[sy] = (sy - iy0) * (photo.height - 1) * 256 / (inner_h - 1);

    const auto& glyphs = get_glyph_table();
    constexpr std::uint8_t ink = 24;
    constexpr std::uint8_t frame_ink = 50;
    auto sample = [&](int sx, int sy) -> int {
        if (sx >= fx0 && sx < fx1 && sy >= fy0 && sy < fy1) {
            if (sx < ix0 || sx >= ix1 || sy < iy0 || sy >= iy1) return frame_ink;
            const int u = photo_u[sx];
            const int v = photo_v[sy];
            const int px = std::min(u >> 8, photo.width - 2);
            const int py = std::min(v >> 8, photo.height - 2);
            const int fu = u - (px << 8);
            const int fv = v - (py << 8);
            const std::uint8_t* p = &photo.pixels[static_cast<std::size_t>(py * photo.width + px)];
            const int top = p[0] * (256 - fu) + p[1] * fu;
            const int bottom = p[photo.width] * (256 - fu) + p[photo.width + 1] * fu;
            return (top * (256 - fv) + bottom * fv) >> 16;
        }
        const row_info& row = rows[sy];
        if (row.line < 0) return row.background;
        const column_map& columns = row.line == 0 ? name_columns_map : body_columns_map;
        const int character = columns.character[sx];
        const std::string& line = text[static_cast<std::size_t>(row.line)];
        if (character < 0 || character >= static_cast<int>(line.size())) return row.background;
        const auto code = static_cast<unsigned char>(line[static_cast<std::size_t>(character)]);
        const std::uint8_t bits = code < 128 ? glyphs[code][static_cast<std::size_t>(row.glyph_row)] : 0;
        return (bits & columns.bit[sx]) != 0 ? ink : row.background;
    };

    // Supersampled rasterisation: each pixel is the mean of its s x s samples.
    gray_image page{width, height, std::vector<std::uint8_t>(static_cast<std::size_t>(width) * height)};
    for (int y = 0; y < height; ++y) {
        if (checkpoint) checkpoint();
        for (int x = 0; x < width; ++x) {
            int sum = 0;
            for (int dy = 0; dy < s; ++dy)
                for (int dx = 0; dx < s; ++dx) sum += sample(x * s + dx, y * s + dy);
            page.pixels[static_cast<std::size_t>(y) * width + x] = static_cast<std::uint8_t>(sum / (s * s));
        }
    }

    // A 3x3 blur (edges clamped), then a faint, sparse paper grain from (x, y, doc).
    gray_image out{width, height, std::vector<std::uint8_t>(page.pixels.size())};
    const auto grain_seed = static_cast<std::uint32_t>(document_state(seed, doc, 0x6772ULL));
    for (int y = 0; y < height; ++y) {
        if ((y & 15) == 0 && checkpoint) checkpoint();
        const int y0 = std::max(0, y - 1), y2 = std::min(height - 1, y + 1);
        for (int x = 0; x < width; ++x) {
            const int x0 = std::max(0, x - 1), x2 = std::min(width - 1, x + 1);
            int sum = 0;
            for (const int yy : {y0, y, y2}) {
                const std::uint8_t* r = &page.pixels[static_cast<std::size_t>(yy) * width];
                sum += r[x0] + r[x] + r[x2];
            }
            std::uint32_t h = static_cast<std::uint32_t>(x) * 0x9e3779b1U ^ static_cast<std::uint32_t>(y) * 0x85ebca77U ^
                              grain_seed;
            h ^= h >> 15;
            h *= 0x2c1b3c6dU;
            h ^= h >> 12;
            const int speck = (h & 0xff) < 12 ? static_cast<int>((h >> 8) & 7) : 0;
            out.pixels[static_cast<std::size_t>(y) * width + x] = static_cast<std::uint8_t>(std::max(0, sum / 9 - speck));
        }
    }
    return out;
}

namespace {

constexpr std::size_t min_match = 4;
constexpr std::size_t max_match = 131;
constexpr std::size_t window = 65535;
constexpr int hash_bits = 15;
constexpr int max_chain = 24;

std::uint32_t hash4(const std::uint8_t* p) {
    const std::uint32_t word = p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
    return (word * 2654435761U) >> (32 - hash_bits);
}

}  // namespace

std::vector<std::uint8_t> compress(const std::vector<std::uint8_t>& data, const checkpoint_fn& checkpoint) {
    const std::size_t n = data.size();
    if (n > 0xffffffffULL) throw std::runtime_error("compress: input over 4 GiB");
    std::vector<std::uint8_t> out;
    out.reserve(n / 4 + 64);
    for (int k = 0; k < 4; ++k) out.push_back(static_cast<std::uint8_t>(n >> (8 * k)));

    std::vector<std::int64_t> head(std::size_t{1} << hash_bits, -1);
    std::vector<std::int64_t> prev(window + 1, -1);  // prev[p & window]: the previous position with p's hash
    auto insert = [&](std::size_t p) {
        const std::uint32_t h = hash4(&data[p]);
        prev[p & window] = head[h];
        head[h] = static_cast<std::int64_t>(p);
    };
    std::size_t literals = 0;  // pending literals start here
    auto flush_literals = [&](std::size_t end) {
        while (literals < end) {
            const std::size_t run = std::min<std::size_t>(128, end - literals);
            out.push_back(static_cast<std::uint8_t>(run - 1));
            out.insert(out.end(), data.begin() + static_cast<std::ptrdiff_t>(literals),
                       data.begin() + static_cast<std::ptrdiff_t>(literals + run));
            literals += run;
        }
    };

    std::size_t pos = 0;
    std::size_t next_check = 0;
    while (pos + min_match <= n) {
        if (pos >= next_check) {
            if (checkpoint) checkpoint();
            next_check = pos + 8192;
        }
        const std::size_t limit = std::min(max_match, n - pos);
        std::size_t best_len = 0;
        std::size_t best_dist = 0;
        std::int64_t candidate = head[hash4(&data[pos])];
        for (int chain = max_chain; candidate >= 0 && chain > 0; --chain) {
            const auto from = static_cast<std::size_t>(candidate);
            if (pos - from > window) break;
            if (data[from + best_len] == data[pos + best_len]) {
                std::size_t len = 0;
                while (len < limit && data[from + len] == data[pos + len]) ++len;
                if (len > best_len) {
                    best_len = len;
                    best_dist = pos - from;
                    if (len == limit) break;
                }
            }
            const std::int64_t next = prev[from & window];
            if (next >= candidate) break;  // the slot was reused by a newer position: the chain ends here
            candidate = next;
        }
        insert(pos);
        if (best_len < min_match) {
            ++pos;
            continue;
        }
        flush_literals(pos);
        out.push_back(static_cast<std::uint8_t>(128 + (best_len - min_match)));
        out.push_back(static_cast<std::uint8_t>(best_dist & 0xff));
        out.push_back(static_cast<std::uint8_t>(best_dist >> 8));
        for (std::size_t p = pos + 1; p < pos + best_len && p + min_match <= n; ++p) insert(p);
        pos += best_len;
        literals = pos;
    }
    flush_literals(n);
    return out;
}

std::vector<std::uint8_t> decompress(const std::vector<std::uint8_t>& packed) {
    if (packed.size() < 4) throw std::runtime_error("decompress: shorter than its header");
    std::size_t size = 0;
    for (int k = 0; k < 4; ++k) size |= static_cast<std::size_t>(packed[static_cast<std::size_t>(k)]) << (8 * k);
    std::vector<std::uint8_t> out;
    out.reserve(size);
    std::size_t at = 4;
    while (out.size() < size) {
        if (at >= packed.size()) throw std::runtime_error("decompress: input ends early");
        const std::uint8_t c = packed[at++];
        if (c < 128) {
            const std::size_t run = c + 1U;
            if (at + run > packed.size() || out.size() + run > size)
                throw std::runtime_error("decompress: literal run out of bounds");
            out.insert(out.end(), packed.begin() + static_cast<std::ptrdiff_t>(at),
                       packed.begin() + static_cast<std::ptrdiff_t>(at + run));
            at += run;
            continue;
        }
        const std::size_t len = c - 128U + min_match;
        if (at + 2 > packed.size()) throw std::runtime_error("decompress: match cut short");
        const std::size_t dist = packed[at] | (static_cast<std::size_t>(packed[at + 1]) << 8);
        at += 2;
        if (dist == 0 || dist > out.size() || out.size() + len > size)
            throw std::runtime_error("decompress: match out of bounds");
        const std::size_t from = out.size() - dist;
        for (std::size_t k = 0; k < len; ++k) out.push_back(out[from + k]);  // may overlap itself
    }
    if (at != packed.size()) throw std::runtime_error("decompress: bytes after the end");
    return out;
}

}  // namespace parlab::render
