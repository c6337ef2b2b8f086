#include "ocr_stage.hpp"

#include "page_text.hpp"

namespace saksi::ocr {

TesseractOcrStage::TesseractOcrStage(const nlohmann::json& config)
    : config_(OcrConfig::fromJson(config)),
      engine_(config_),
      isoLanguages_(isoLanguageCodes(splitLanguages(config_.languages))) {
}

void TesseractOcrStage::process(sdk::Document& doc, uint32_t page) {
    const std::string pagePointer = "/pages/" + std::to_string(page);
    // A page with text already (a PDF text layer) is better than any OCR of it.
    if (const auto source = doc.json(pagePointer + "/text_source"); source && source->is_string())
        return;
    const auto image = doc.pageImage(page);
    if (!image) return;

    const std::vector<OcrWord> words = engine_.recognize(*image, image->dpi);
    const PageText text = assemblePageText(words, config_.minWordConfidence);
    doc.setPageText(page, SAKSI_TEXT_OCR, text.text, text.words, text.meanConfidence);

    // Pages of one document may run in parallel; both writes are idempotent.
    const auto languages = doc.json("/document/languages");
    if (!isoLanguages_.empty() && (!languages || languages->is_null() || languages->empty()))
        doc.put("/document/languages", isoLanguages_);
    doc.put("/provenance/engines/tesseract", TesseractEngine::version());
}

}  // namespace saksi::ocr
