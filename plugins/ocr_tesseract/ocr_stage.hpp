// ocr_stage.hpp -- the ocr.tesseract stage: page pixels to words and text.
#pragma once

#include "ocr_config.hpp"
#include "tesseract_engine.hpp"

#include <saksi/sdk/sdk.hpp>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace saksi::ocr {

// The working image's resolution: the page's dpi times the working image's
// scale (a preprocess stage may have enlarged it), from the record's page
// entry {"width", "dpi"}; the image's own dpi when the record lacks them.
// 0 when neither is known.
uint32_t workingImageDpi(const nlohmann::json& page, const sdk::ImageView& image);

class TesseractOcrStage {
public:
    static constexpr sdk::StageInfo info{
        SAKSI_STAGE_OCR, SAKSI_SCOPE_PAGE,
        "ocr.tesseract", "Recognises the text and words of page images with Tesseract (LSTM)",
        nullptr,         kConfigSchema,
    };

    // Loads the models once; throws naming a missing language and its folder.
    explicit TesseractOcrStage(const nlohmann::json& config);

    // OCRs one page unless it already has text (a PDF text layer) or no image.
    void process(sdk::Document& doc, uint32_t page);

private:
    OcrConfig config_;
    TesseractEngine engine_;
};

}  // namespace saksi::ocr
