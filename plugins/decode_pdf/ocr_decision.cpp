#include "ocr_decision.hpp"

#include <cstdint>

namespace saksi::decode_pdf {
namespace {

bool isWhitespace(char32_t c) {
    return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\f' || c == U'\v' ||
           c == 0x00A0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
           c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// A code point a real text layer does not produce: the replacement character
// (no mapping at all), C0/C1 controls (raw glyph ids leaking through) and the
// private-use areas (symbol fonts and subset fonts without a ToUnicode map).
bool isUnmapped(char32_t c) {
    return c == 0xFFFD || c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0xE000 && c <= 0xF8FF) ||
           (c >= 0xF0000 && c <= 0x10FFFF);
}

// Decodes one code point at `i`; returns 0xFFFD and advances one byte on bad input.
char32_t nextCodePoint(std::string_view s, std::size_t& i) {
    const auto lead = static_cast<uint8_t>(s[i]);
    std::size_t length = 0;
    char32_t c = 0;
    if (lead < 0x80) {
        ++i;
        return lead;
    } else if ((lead & 0xE0) == 0xC0) {
        length = 2;
        c = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        c = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        c = lead & 0x07;
    } else {
        ++i;
        return 0xFFFD;
    }
    if (i + length > s.size()) {
        ++i;
        return 0xFFFD;
    }
    for (std::size_t k = 1; k < length; ++k) {
        const auto byte = static_cast<uint8_t>(s[i + k]);
        if ((byte & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        c = (c << 6) | (byte & 0x3F);
    }
    i += length;
    return c > 0x10FFFF ? 0xFFFD : c;
}

}  // namespace

void countText(std::string_view utf8, TextLayerStats& stats) {
    for (std::size_t i = 0; i < utf8.size();) {
        const char32_t c = nextCodePoint(utf8, i);
        if (isWhitespace(c)) continue;
        ++stats.characters;
        if (isUnmapped(c)) ++stats.unmapped;
    }
}

// Apache Tika's PDFParser, ocrStrategy AUTO: a page goes to OCR when it has
// fewer than totalCharsPerPage characters, or when its unmapped characters
// exceed unmappedUnicodeCharsPerPage (a share of the page's characters when
// below 1). We keep the share form only; a count threshold would treat a
// long page with a few odd symbols like a short garbled one.
PageSource choosePageSource(const TextLayerStats& stats, const OcrPolicy& policy) {
    if (stats.characters == 0 || stats.characters < policy.minChars) return PageSource::tooFewChars;
    const double share =
        static_cast<double>(stats.unmapped) / static_cast<double>(stats.characters);
    if (share > policy.maxUnmappedRatio) return PageSource::unmappedGlyphs;
    return PageSource::textLayer;
}

const char* toString(PageSource source) {
    switch (source) {
        case PageSource::textLayer:
            return "text-layer";
        case PageSource::tooFewChars:
            return "too-few-chars";
        case PageSource::unmappedGlyphs:
            return "unmapped-glyphs";
    }
    return "?";
}

}  // namespace saksi::decode_pdf
