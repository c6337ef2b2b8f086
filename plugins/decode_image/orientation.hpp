// orientation.hpp -- EXIF orientation: reading the tag and turning pixels upright.
#pragma once

#include "pix_ptr.hpp"

#include <cstdint>
#include <span>

namespace saksi::decode_image {

// The EXIF Orientation tag (1..8) of a JPEG file, or 1 (upright) when it has
// none, it is unreadable or out of range.
int exifOrientation(std::span<const uint8_t> jpegBytes);

// A new Pix showing `pix` as the EXIF orientation says it is meant to be seen:
// 2 mirror, 3 rotate 180, 4 flip, 5 transpose, 6 rotate 90 clockwise,
// 7 transverse, 8 rotate 90 counter-clockwise. Orientation 1 (or anything
// else) returns a clone. Returns null when Leptonica fails.
PixPtr applyOrientation(PIX* pix, int orientation);

}  // namespace saksi::decode_image
