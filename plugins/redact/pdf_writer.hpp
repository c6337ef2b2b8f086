// pdf_writer.hpp -- a minimal PDF of JPEG page images: one revision, one
// %%EOF, no /Info, metadata, text, annotations, outlines or thumbnails.
#pragma once

#include <string>
#include <vector>

namespace saksi::redact {

struct PdfPage {
    const std::string* jpeg = nullptr;  // baseline JPEG (DCTDecode), borrowed
    unsigned width = 0, height = 0;     // image pixels
    bool rgb = false;
    double widthPt = 0, heightPt = 0;  // page size in points (1/72 inch)
};

std::string writeImagePdf(const std::vector<PdfPage>& pages);

}  // namespace saksi::redact
