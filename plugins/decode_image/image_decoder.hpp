// image_decoder.hpp -- image file bytes to upright, packed page images.
#pragma once

#include "pixel_buffer.hpp"

#include <cstdint>
#include <functional>
#include <span>

namespace saksi::decode_image {

// Limits and defaults, parsed once from the stage configuration.
struct DecodeOptions {
    uint64_t maxPixels = 200'000'000;  // per page, width x height (GIF: all frames)
    uint32_t maxPages = 1000;
    uint32_t defaultDpi = 300;  // when the file records no plausible resolution
};

struct DecodedPage {
    PixelBuffer image;
    uint32_t dpi = 0;
};

// Decodes every page of a BMP, JPEG, PNG, TIFF (all pages), GIF (first frame)
// or WebP file, in order, handing each to `onPage` before decoding the next.
// Limits are checked from the headers before any pixel is decoded. A JPEG is
// turned upright by its EXIF orientation; a page with non-square pixels (a
// 204 x 98 dpi fax) is stretched to square ones at its horizontal dpi.
// Throws saksi::sdk::Error with code image.unsupported_format,
// image.too_large, image.too_many_pages or image.decode_failed.
void decodeImage(std::span<const uint8_t> bytes, const DecodeOptions& options,
                 const std::function<void(DecodedPage&&)>& onPage);

// The resolution to record for a page: the file's, when plausible (50..4800
// dpi), else `defaultDpi`.
uint32_t chooseDpi(l_int32 xres, l_int32 yres, uint32_t defaultDpi);

}  // namespace saksi::decode_image
