// ocr_decision.hpp -- whether a PDF page's text layer is good enough to keep.
#pragma once

#include <cstddef>
#include <string_view>

namespace saksi::decode_pdf {

// What the text layer of one page holds, counted in Unicode code points.
struct TextLayerStats {
    std::size_t characters = 0;  // non-whitespace code points
    std::size_t unmapped = 0;    // of those: U+FFFD, control or private-use (glyphs without a
                                 // Unicode mapping, or mapped to garbage)
};

// Thresholds of the decision; see ocr_decision.cpp for the rule.
struct OcrPolicy {
    std::size_t minChars = 10;
    double maxUnmappedRatio = 0.1;
};

enum class PageSource {
    textLayer,       // keep the PDF text layer
    tooFewChars,     // render for OCR: almost no text (a scan, a photo, a blank page)
    unmappedGlyphs,  // render for OCR: the text layer is mostly unmapped glyphs
};

// Adds the code points of `utf8` to `stats`. Malformed UTF-8 counts as unmapped.
void countText(std::string_view utf8, TextLayerStats& stats);

// Tika's OCR strategy AUTO, per page.
PageSource choosePageSource(const TextLayerStats& stats, const OcrPolicy& policy);

// "text-layer", "too-few-chars", "unmapped-glyphs": for logs.
const char* toString(PageSource source);

}  // namespace saksi::decode_pdf
