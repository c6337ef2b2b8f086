// A page of an original (an image or a PDF) or of a redacted PDF as PNG
// bytes, for the review app: images are read with Leptonica, PDFs rendered
// with Poppler at the page's dpi so the PNG is in page pixels.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace saksi::review {

// Page `index` (0-based) of `bytes` of media type `mediaType`; `dpi` is the
// record page's (0: 72) and only matters for PDFs. Throws std::runtime_error
// when the page cannot be read. (An image's EXIF orientation is not applied.)
std::string pagePng(std::span<const uint8_t> bytes, const std::string& mediaType, uint32_t index,
                    uint32_t dpi);

}  // namespace saksi::review
