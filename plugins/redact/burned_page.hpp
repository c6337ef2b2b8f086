// burned_page.hpp -- a page image with redaction boxes burned into its
// pixels, encoded as JPEG for the redacted PDF.
#pragma once

#include <saksi/plugin_abi.h>
#include <saksi/sdk/document.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace saksi::redact {

// How the working image relates to its page (record pages[].image_transform).
struct PageFrame {
    int32_t pageWidth = 0, pageHeight = 0;  // page pixels
    uint32_t imageWidth = 0, imageHeight = 0;
    double scale = 1.0;        // working size / page size
    double rotationDeg = 0.0;  // clockwise, about the working image's centre
};

// The working-image box around a page box (a rotated box becomes the box
// around its corners), clipped to the image; rounded outwards.
saksi_box pageBoxToImage(const saksi_box& box, const PageFrame& frame);

struct BurnedPage {
    uint32_t width = 0, height = 0;
    bool rgb = false;
    std::string jpeg;              // the page image as written to the PDF
    std::vector<uint8_t> decoded;  // that JPEG decoded again: what a reader sees
    uint32_t decodedStride = 0;
    std::vector<saksi_box> boxes;  // burned boxes, image pixels

    // A view of `decoded` for the leak check (valid while this lives).
    sdk::ImageView view() const;
};

// Copies `image`, fills every box (image pixels) black in the copy, and
// encodes it as a baseline JPEG of `quality`.
BurnedPage burnPage(const sdk::ImageView& image, const std::vector<saksi_box>& boxes, int quality);

}  // namespace saksi::redact
