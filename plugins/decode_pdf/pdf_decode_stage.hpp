// pdf_decode_stage.hpp -- the decode.pdf stage: PDF pages in, record pages out.
#pragma once

#include <saksi/sdk/sdk.hpp>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ocr_decision.hpp"
#include "text_assembly.hpp"

namespace poppler {
class document;
}

namespace saksi::decode_pdf {

// The stage's configuration, parsed once in create().
struct PdfDecodeConfig {
    uint32_t dpi = 300;                   // page pixels per inch: text boxes and renders
    OcrPolicy ocr;                        // when a page is rendered for OCR instead
    uint32_t maxPages = 2000;             // more: pdf.too_many_pages
    uint64_t maxPagePixels = 40'000'000;  // a larger page is rendered at a lower dpi
    bool gray = false;                    // render GRAY8 instead of RGB24
    uint32_t minEmbeddedDpi = 285;        // a lower-resolution page image is rendered
    bool embeddedImages = true;           // take a scanned page's own image instead of rendering
    ReadingOrder readingOrder = ReadingOrder::physical;
    std::vector<std::string> passwords;  // tried in order on an encrypted PDF

    // Reads the keys of kConfigSchema; missing keys take their defaults.
    // Throws std::invalid_argument on a value out of range.
    static PdfDecodeConfig fromJson(const nlohmann::json& config);
};

// For each page: the PDF text layer with word boxes when it has real text
// (Tika's OCR strategy AUTO, see ocr_decision.hpp), otherwise a render at
// `dpi` for the preprocess and OCR stages; a page that is one image over the
// whole page (a scan) is taken as that image instead (embedded_image.hpp).
// An encrypted PDF is opened with
// the first of `passwords` that works. Error codes: pdf.corrupt,
// pdf.encrypted (no password given works), pdf.too_many_pages, pdf.too_large; pdf.page_corrupt for
// a single unreadable page (kept as an empty page so numbering holds).
class PdfDecodeStage {
public:
    static constexpr const char* kMediaTypes[] = {"application/pdf", nullptr};
    static constexpr const char* kConfigSchema = R"json({
  "dpi": {"type": "integer", "default": 300, "minimum": 36, "maximum": 1200,
          "description": "Resolution of the page pixel frame: word boxes of text pages and renders of pages sent to OCR (pixels = points * dpi / 72)."},
  "min_chars": {"type": "integer", "default": 10, "minimum": 0, "maximum": 1000000,
                "description": "A page whose text layer has fewer non-space characters than this is rendered for OCR (Tika OCR strategy AUTO). A page without any text is always rendered."},
  "max_unmapped_ratio": {"type": "number", "default": 0.1, "minimum": 0, "maximum": 1,
                         "description": "A page whose text layer has a larger share of unmapped glyphs (U+FFFD, control or private-use characters) is rendered for OCR."},
  "max_pages": {"type": "integer", "default": 2000, "minimum": 1, "maximum": 1000000,
                "description": "A PDF with more pages fails with pdf.too_many_pages."},
  "max_page_pixels": {"type": "integer", "default": 40000000, "minimum": 1000000, "maximum": 1000000000,
                      "description": "Largest page frame in pixels; a larger page (a poster, a drawing) uses a lower dpi so that it fits."},
  "render_format": {"type": "string", "default": "rgb", "enum": ["rgb", "gray"],
                    "description": "Pixel format of rendered pages: rgb (RGB24) or gray (GRAY8, a third of the memory)."},
  "image_pages": {"type": "string", "default": "embedded", "enum": ["embedded", "render"],
                  "description": "A page sent to OCR that is one image over the whole page: embedded takes that image's own pixels at its own resolution (no render; the record's image_source says \"embedded\"), render draws it with Poppler at dpi like any other page."},
  "min_embedded_dpi": {"type": "integer", "default": 285, "minimum": 0, "maximum": 1200,
                       "description": "With image_pages embedded: a page image below this resolution is rendered at dpi instead (Tesseract reads a 200-dpi scan worse than its 300-dpi render)."},
  "reading_order": {"type": "string", "default": "physical", "enum": ["physical", "poppler"],
                    "description": "Order of a text page's words: physical (line by line down the page, a form's label and value on one line) or poppler (Poppler's blocks: keeps side-by-side columns apart)."},
  "passwords": {"type": "string_list", "default": [], "secret": true,
                "description": "Passwords tried in order on an encrypted PDF (saksi process --password-file sets them). Secret: never logged, not part of the pipeline hash."}
})json";
    static constexpr saksi::sdk::StageInfo info{
        SAKSI_STAGE_DECODE,
        SAKSI_SCOPE_DOCUMENT,
        "decode.pdf",
        "PDF pages via Poppler: the text layer with word boxes, or a render for OCR",
        kMediaTypes,
        kConfigSchema};

    explicit PdfDecodeStage(const nlohmann::json& config);
    // Reads every page's text layer; a page sent to OCR gets only its size
    // here (Document::addPageOnDemand) and its image from decodePage().
    void process(saksi::sdk::Document& doc);
    // The image of page `index`: the embedded image, or a render at the
    // page's dpi. Throws pdf.page_corrupt when Poppler cannot render it.
    void decodePage(saksi::sdk::Document& doc, uint32_t index);

private:
    // Returns the password that opened it ("" when none was needed).
    // `quiet`: do not log which password it was (once per document is enough).
    std::string unlock(saksi::sdk::Document& doc, poppler::document& pdf, bool quiet) const;

    PdfDecodeConfig config_;
};

}  // namespace saksi::decode_pdf
