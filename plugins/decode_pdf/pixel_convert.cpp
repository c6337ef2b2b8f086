#include "pixel_convert.hpp"

#include <cstring>

namespace saksi::decode_pdf {
namespace {

struct Rgb {
    uint8_t r, g, b;
};

// Reads the word as a native-endian integer (memcpy: rows need not be
// aligned), so byte order never matters; then composites a premultiplied
// pixel over white. Poppler renders on an opaque paper colour, so alpha is
// normally 255 and this is the identity.
inline Rgb readArgb32(const uint8_t* p) {
    uint32_t word;
    std::memcpy(&word, p, sizeof word);
    const uint32_t a = word >> 24;
    const uint32_t transparent = 255 - a;
    auto channel = [&](uint32_t shift) {
        const uint32_t c = ((word >> shift) & 0xFF) + transparent;
        return static_cast<uint8_t>(c > 255 ? 255 : c);
    };
    return {channel(16), channel(8), channel(0)};
}

}  // namespace

void argb32ToRgb24(const uint8_t* src, uint32_t width, uint32_t height, uint32_t srcStride,
                   std::vector<uint8_t>& dst) {
    dst.resize(static_cast<std::size_t>(width) * height * 3);
    uint8_t* out = dst.data();
    for (uint32_t y = 0; y < height; ++y) {
        const uint8_t* row = src + static_cast<std::size_t>(y) * srcStride;
        for (uint32_t x = 0; x < width; ++x) {
            const Rgb px = readArgb32(row + 4 * static_cast<std::size_t>(x));
            *out++ = px.r;
            *out++ = px.g;
            *out++ = px.b;
        }
    }
}

void argb32ToGray8(const uint8_t* src, uint32_t width, uint32_t height, uint32_t srcStride,
                   std::vector<uint8_t>& dst) {
    dst.resize(static_cast<std::size_t>(width) * height);
    uint8_t* out = dst.data();
    for (uint32_t y = 0; y < height; ++y) {
        const uint8_t* row = src + static_cast<std::size_t>(y) * srcStride;
        for (uint32_t x = 0; x < width; ++x) {
            const Rgb px = readArgb32(row + 4 * static_cast<std::size_t>(x));
            *out++ = static_cast<uint8_t>((299u * px.r + 587u * px.g + 114u * px.b + 500u) / 1000u);
        }
    }
}

}  // namespace saksi::decode_pdf
