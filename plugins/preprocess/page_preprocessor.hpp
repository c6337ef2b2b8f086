// page_preprocessor.hpp -- one page image made ready for OCR.
#pragma once

#include "pix_ptr.hpp"
#include "text_height.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace saksi::preprocess {

// Parsed once from the stage configuration.
struct PreprocessOptions {
    bool deskew = true;
    bool binarize = false;
    // Median character height to aim for, in pixels (see estimateTextHeight):
    // about the x-height, which Tesseract reads well from 20 px.
    double targetTextHeight = 20;
    double maxScale = 3.0;
    double minScale = 0.5;
    uint64_t maxOutputPixels = 100'000'000;
};

struct PreprocessResult {
    PixPtr image;                          // 8-bit gray (0/255 when binarised)
    double scale = 1.0;                    // output size / input size
    std::optional<float> skewDegrees;      // the rotation applied, when deskewed
    std::optional<TextHeight> textHeight;  // measured on the input, in input pixels
    bool binarized = false;
    std::string note;  // "deskewed -0.82 deg; text 14 px, scaled x1.71"
};

// Deskews, rescales and optionally binarises an 8-bit gray page. The size
// stays the same through deskewing (rotation about the centre, white brought
// in at the corners), so the output is exactly `scale` times the input.
PreprocessResult preprocessPage(PIX* gray, const PreprocessOptions& options);

// The rescale factor for a page whose text measures `textHeight` pixels:
// 1 when it is within [0.8, 2] x target, else target / textHeight clamped to
// [minScale, maxScale] and to what keeps the page under maxOutputPixels;
// a factor within 15% of 2 becomes exactly 2, which Leptonica does fastest.
// Otsu's threshold for an 8-bit image: values below it are ink.
l_int32 otsuThreshold(PIX* gray);

double chooseScale(double textHeight, uint64_t pagePixels, const PreprocessOptions& options);

}  // namespace saksi::preprocess
