// tesseract_engine.hpp -- one initialised Tesseract, reused page after page.
#pragma once

#include "ocr_config.hpp"
#include "page_text.hpp"

#include <saksi/sdk/document.hpp>

#include <memory>
#include <string>
#include <vector>

namespace saksi::ocr {

// Owns one tesseract::TessBaseAPI (LSTM only), initialised once with the
// configured languages so models load once per worker. Not thread-safe: one
// engine per thread. Tesseract's headers stay in the .cpp file.
class TesseractEngine {
public:
    // Throws std::runtime_error naming each missing language and the tessdata
    // folder when Tesseract cannot load them.
    explicit TesseractEngine(const OcrConfig& config);
    ~TesseractEngine();
    TesseractEngine(const TesseractEngine&) = delete;
    TesseractEngine& operator=(const TesseractEngine&) = delete;

    // Recognises an image (GRAY8, RGB24 or RGBA32) and returns its words in
    // reading order, boxes in the image's pixels. `dpi` is the image's
    // resolution, 0 when unknown. A word read with a confidence below the
    // config's reread_below_confidence is read again on its own, and the more
    // confident reading kept: in a line, Tesseract sometimes drops a letter it
    // reads alone ("C6856977" at the left edge of a chat bubble). Throws
    // sdk::Error on a malformed image.
    std::vector<OcrWord> recognize(const sdk::ImageView& image, uint32_t dpi);

    // The languages Tesseract loaded, e.g. {"ind", "eng"}.
    const std::vector<std::string>& languages() const { return languages_; }

    // Tesseract's version, e.g. "5.3.0".
    static std::string version();

private:
    void reread(std::vector<OcrWord>& words, int width, int height);
    // The words of one region of the current image, read in the current
    // mode, with `layout`'s block, paragraph and line ids; none when blank.
    std::vector<OcrWord> readLine(const saksi_box& region, const OcrWord& layout);

    struct Api;
    std::unique_ptr<Api> api_;
    std::vector<std::string> languages_;
    int fallbackDpi_;
    int psm_;
    float rereadBelow_;
};

}  // namespace saksi::ocr
