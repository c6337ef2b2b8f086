// pixel_buffer.hpp -- a Leptonica Pix turned into the packed pixels of the ABI.
#pragma once

#include <saksi/plugin_abi.h>

#include <leptonica/allheaders.h>

#include <cstdint>
#include <vector>

namespace saksi::decode_image {

// Tightly packed rows, top to bottom: SAKSI_PIXEL_GRAY8 (0 = black) or
// SAKSI_PIXEL_RGB24 (R, G, B bytes).
struct PixelBuffer {
    uint32_t width = 0;
    uint32_t height = 0;
    uint32_t stride = 0;
    uint32_t format = SAKSI_PIXEL_GRAY8;
    std::vector<uint8_t> pixels;
};

// Converts any Pix Leptonica decodes: 1/2/4/8/16-bit gray become GRAY8 (16-bit
// keeps its high byte), a colormap becomes GRAY8 when all its entries are gray
// and RGB24 otherwise, 32-bit becomes RGB24, and an alpha channel is blended
// onto white (what a viewer shows). Returns false when Leptonica fails.
bool toPixelBuffer(PIX* pix, PixelBuffer& out);

}  // namespace saksi::decode_image
