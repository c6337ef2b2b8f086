// embedded_image.hpp -- a scanned PDF page taken as it is: when the page
// draws exactly one image over the whole page and nothing else, its pixels
// are the image's own, at the image's own resolution, and rendering them
// again through Poppler would only resample them (and cost more than OCR).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace saksi::decode_pdf {

// A page's one image, as the page displays it (the page's /Rotate applied).
struct EmbeddedImage {
    uint32_t width = 0, height = 0;  // displayed pixels
    uint32_t dpi = 0;                // image pixels per inch of the page
    std::string filter;              // the stream's filter: "DCTDecode", "FlateDecode", "none"...
};

// Decoded pixels, tightly packed: GRAY8 (1 byte a pixel) or RGB24 (3).
struct DecodedImage {
    uint32_t width = 0, height = 0;
    bool rgb = false;
    std::vector<uint8_t> pixels;
};

// The image streams of one PDF, read with qpdf; the bytes must outlive it.
// Not thread-safe: one per document and thread.
class PdfImages {
public:
    // Throws std::runtime_error when qpdf cannot open the file (then every
    // page is rendered). `password` opens an encrypted file ("" when none).
    PdfImages(std::span<const uint8_t> bytes, const std::string& password);
    ~PdfImages();
    PdfImages(const PdfImages&) = delete;
    PdfImages& operator=(const PdfImages&) = delete;

    // The image of page `index` (0-based) when the page's content is exactly
    // one image XObject drawn upright over the whole crop box, with square
    // pixels and no mask, in gray or RGB, compressed with DCT, JPX, CCITT
    // fax or lossless filters (Flate, LZW, RunLength, ASCII). Otherwise
    // nothing, and `whyNot` says why (for the log): vector content, several
    // images, a JBIG2 stream, a mask, an unusual colour space...
    std::optional<EmbeddedImage> probe(int index, std::string& whyNot);

    // Decodes the image probe() found on page `index` with Leptonica,
    // rotated as the page displays it; GRAY8 when the image is gray or
    // `gray` is set, else RGB24. Throws std::runtime_error when the stream
    // does not decode to the size its dictionary states.
    DecodedImage decode(int index, bool gray);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace saksi::decode_pdf
