// image_header.hpp -- what an image file says about itself, read before decoding.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace saksi::decode_image {

// One page as its header describes it.
struct PageSize {
    uint32_t width = 0;
    uint32_t height = 0;
    // Pixels the decoder allocates to produce this page; more than width x
    // height when a GIF holds several frames (giflib decodes them all).
    uint64_t decodedPixels = 0;
    // Frames in the file for this page: more than 1 for an animated GIF,
    // whose later frames Leptonica cannot decode.
    uint32_t frames = 1;

    uint64_t pixels() const { return uint64_t{width} * height; }
    uint64_t cost() const { return decodedPixels > pixels() ? decodedPixels : pixels(); }
};

// The file format (Leptonica's IFF_* value) and each page's size, read without
// decoding pixels, so that a decompression bomb is refused before it goes off.
struct ImageHeader {
    int format = 0;
    std::vector<PageSize> pages;
};

// Reads the header of a BMP, JPEG, PNG, TIFF, GIF or WebP file. Counting TIFF
// pages stops after `maxPages + 1`, enough to tell "too many". Returns nothing
// when the format is not one of those or its header cannot be read.
std::optional<ImageHeader> readImageHeader(std::span<const uint8_t> bytes, uint32_t maxPages);

// Leptonica sizes GIF and BMP files only by decoding them, so these two are
// read here. Exposed for tests.
std::optional<PageSize> readGifSize(std::span<const uint8_t> bytes);
std::optional<PageSize> readBmpSize(std::span<const uint8_t> bytes);

}  // namespace saksi::decode_image
