// pixel_convert.hpp -- Poppler's ARGB32 renders to the ABI's pixel formats.
#pragma once

#include <cstdint>
#include <vector>

namespace saksi::decode_pdf {

// Converts rows of native-endian 32-bit words 0xAARRGGBB (Poppler's and
// Cairo's ARGB32, alpha premultiplied) into tightly packed RGB24 (R, G, B)
// or GRAY8 (BT.601 luma), flattened onto white paper.
// `dst` is resized to width * height * (3 or 1) bytes.
void argb32ToRgb24(const uint8_t* src, uint32_t width, uint32_t height, uint32_t srcStride,
                   std::vector<uint8_t>& dst);
void argb32ToGray8(const uint8_t* src, uint32_t width, uint32_t height, uint32_t srcStride,
                   std::vector<uint8_t>& dst);

}  // namespace saksi::decode_pdf
