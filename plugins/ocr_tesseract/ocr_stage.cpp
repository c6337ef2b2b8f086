#include "ocr_stage.hpp"

#include "page_text.hpp"

#include <cmath>

namespace saksi::ocr {

uint32_t workingImageDpi(const nlohmann::json& page, const sdk::ImageView& image) {
    const auto number = [&page](const char* key) {
        const auto it = page.is_object() ? page.find(key) : page.end();
        return it != page.end() && it->is_number() ? it->get<double>() : 0.0;
    };
    const double pageWidth = number("width");
    const double pageDpi = number("dpi");
    if (pageWidth <= 0 || pageDpi <= 0) return image.dpi;
    return static_cast<uint32_t>(std::lround(pageDpi * image.width / pageWidth));
}

TesseractOcrStage::TesseractOcrStage(const nlohmann::json& config)
    : config_(OcrConfig::fromJson(config)), engine_(config_) {
}

void TesseractOcrStage::process(sdk::Document& doc, uint32_t page) {
    const std::string pagePointer = "/pages/" + std::to_string(page);
    const nlohmann::json record = doc.json(pagePointer).value_or(nlohmann::json::object());
    // A page with text already (a PDF text layer) is better than any OCR of it.
    if (record.is_object() && record.contains("text_source") && record["text_source"].is_string())
        return;
    const auto image = doc.pageImage(page);
    if (!image) return;

    const std::vector<OcrWord> words = engine_.recognize(*image, workingImageDpi(record, *image));
    const PageText text = assemblePageText(words, config_.minWordConfidence);
    doc.setPageText(page, SAKSI_TEXT_OCR, text.text, text.words, text.meanConfidence);

    // Pages of one document may run in parallel; the write is idempotent.
    // (The text's languages are classify.language's to detect: the OCR
    // languages say only what Tesseract was told to expect.)
    doc.put("/provenance/engines/tesseract", TesseractEngine::version());
}

}  // namespace saksi::ocr
