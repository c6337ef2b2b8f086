#include "pixel_buffer.hpp"

#include "pix_ptr.hpp"

namespace saksi::decode_image {
namespace {

// Leptonica stores pixels in 32-bit words, most significant byte first within
// a word, whatever the machine's byte order; reading the word as a number and
// shifting is therefore portable.
void pack8(PIX* pix, PixelBuffer& out) {
    const l_uint32* data = pixGetData(pix);
    const l_int32 wpl = pixGetWpl(pix);
    for (uint32_t y = 0; y < out.height; ++y) {
        const l_uint32* line = data + static_cast<std::size_t>(y) * wpl;
        uint8_t* row = out.pixels.data() + static_cast<std::size_t>(y) * out.stride;
        for (uint32_t x = 0; x < out.width; ++x)
            row[x] = static_cast<uint8_t>(line[x >> 2] >> (24 - 8 * (x & 3)));
    }
}

void pack32(PIX* pix, PixelBuffer& out) {
    const l_uint32* data = pixGetData(pix);
    const l_int32 wpl = pixGetWpl(pix);
    for (uint32_t y = 0; y < out.height; ++y) {
        const l_uint32* line = data + static_cast<std::size_t>(y) * wpl;
        uint8_t* row = out.pixels.data() + static_cast<std::size_t>(y) * out.stride;
        for (uint32_t x = 0; x < out.width; ++x) {
            const l_uint32 word = line[x];
            row[3 * x] = static_cast<uint8_t>(word >> L_RED_SHIFT);
            row[3 * x + 1] = static_cast<uint8_t>(word >> L_GREEN_SHIFT);
            row[3 * x + 2] = static_cast<uint8_t>(word >> L_BLUE_SHIFT);
        }
    }
}

}  // namespace

bool toPixelBuffer(PIX* pix, PixelBuffer& out) {
    if (!pix) return false;
    PixPtr normal;
    if (PIXCMAP* cmap = pixGetColormap(pix)) {
        l_int32 hasColor = 0;
        pixcmapHasColor(cmap, &hasColor);
        normal.reset(hasColor ? pixConvertTo32(pix) : pixConvertTo8(pix, 0));
    } else {
        switch (pixGetDepth(pix)) {
            case 1:
            case 2:
            case 4:
            case 8:
            case 16:
                normal.reset(pixConvertTo8(pix, 0));
                break;
            case 24:
            case 32:
                normal.reset(pixConvertTo32(pix));
                break;
            default:
                return false;
        }
    }
    if (!normal) return false;
    if (pixGetDepth(normal.get()) == 32 && pixGetSpp(normal.get()) == 4) {
        PixPtr opaque(pixAlphaBlendUniform(normal.get(), 0xffffff00));
        if (!opaque) return false;
        normal = std::move(opaque);
    }
    const l_int32 depth = pixGetDepth(normal.get());
    if (depth != 8 && depth != 32) return false;

    out.width = static_cast<uint32_t>(pixGetWidth(normal.get()));
    out.height = static_cast<uint32_t>(pixGetHeight(normal.get()));
    out.format = depth == 8 ? SAKSI_PIXEL_GRAY8 : SAKSI_PIXEL_RGB24;
    out.stride = out.width * (depth == 8 ? 1 : 3);
    out.pixels.assign(static_cast<std::size_t>(out.stride) * out.height, 0);
    if (depth == 8)
        pack8(normal.get(), out);
    else
        pack32(normal.get(), out);
    return true;
}

}  // namespace saksi::decode_image
