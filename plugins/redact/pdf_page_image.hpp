// pdf_page_image.hpp -- renders a page of the original PDF with Poppler, for
// pages read from a text layer: the host holds no image of them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace saksi::redact {

struct RenderedPage {
    uint32_t width = 0, height = 0;
    std::vector<uint8_t> gray;  // 8-bit gray, stride = width
};

// Renders page `index` (0-based) of the PDF `bytes` at `dpi`, unlocking an
// encrypted PDF with the first of `passwords` that opens it. Throws
// std::runtime_error when Poppler cannot.
RenderedPage renderPdfPage(std::span<const uint8_t> bytes, uint32_t index, uint32_t dpi,
                           const std::vector<std::string>& passwords = {});

}  // namespace saksi::redact
