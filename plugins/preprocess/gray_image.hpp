// gray_image.hpp -- moving 8-bit gray pixels between the ABI and Leptonica.
#pragma once

#include "pix_ptr.hpp"

#include <saksi/sdk/document.hpp>

#include <cstdint>
#include <vector>

namespace saksi::preprocess {

// An 8-bit gray Pix of `image` (GRAY8 copied, RGB24 and RGBA32 by luminance
// 0.299 R + 0.587 G + 0.114 B, alpha ignored). Null for an unknown format or a
// stride too small for the width.
PixPtr grayPixFromView(const saksi::sdk::ImageView& image);

// The rows of an 8-bit Pix, tightly packed (stride = width).
std::vector<uint8_t> grayBytesFromPix(PIX* pix);

}  // namespace saksi::preprocess
