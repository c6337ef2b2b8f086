// ocr_config.hpp -- the ocr.tesseract stage's configuration, parsed once.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace saksi::ocr {

// The stage's config schema (see saksi_stage_descriptor.config_schema); the
// defaults here and in OcrConfig agree.
inline constexpr char kConfigSchema[] = R"json({
  "languages": {"type": "string", "default": "ind+eng",
    "description": "Tesseract languages joined by '+', most likely first; each needs <lang>.traineddata (Debian: tesseract-ocr-<lang>)"},
  "psm": {"type": "integer", "default": 3, "enum": [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
    "description": "Tesseract page segmentation mode: 3 automatic layout, 4 one column, 6 one block, 11 sparse text"},
  "tessdata": {"type": "string", "default": "",
    "description": "folder holding the .traineddata files; empty: TESSDATA_PREFIX or Tesseract's built-in folder"},
  "min_word_confidence": {"type": "number", "default": 0, "minimum": 0, "maximum": 100,
    "description": "words recognised with a lower confidence (0..100) are left out of the page text and words"},
  "reread_below_confidence": {"type": "number", "default": 50, "minimum": 0, "maximum": 100,
    "description": "a word recognised with a lower confidence (0..100) is read again on its own, and the more confident reading kept; 0 turns this off"},
  "fallback_dpi": {"type": "integer", "default": 0, "minimum": 0, "maximum": 2400,
    "description": "resolution assumed when an image carries none (or below 70); 0 lets Tesseract estimate it from the text size"},
  "tesseract_variables": {"type": "string_list", "default": [],
    "description": "extra Tesseract parameters as name=value, e.g. tessedit_char_blacklist=|"}
})json";

struct OcrConfig {
    std::string languages = "ind+eng";    // Tesseract's "+"-joined language names
    int psm = 3;                          // tesseract::PageSegMode
    std::string tessdata;                 // empty: Tesseract's default folder
    float minWordConfidence = 0.0f;       // words below are dropped
    float rereadBelowConfidence = 50.0f;  // words below are read again alone; 0: never
    int fallbackDpi = 0;                  // used when the image has no credible dpi; 0: estimate
    std::vector<std::pair<std::string, std::string>> variables;  // extra Tesseract parameters

    // Parses and validates a config object; missing keys keep their defaults.
    // Throws std::invalid_argument with a sentence naming the key.
    static OcrConfig fromJson(const nlohmann::json& config);
};

// The Tesseract language names in "ind+eng", in order: {"ind", "eng"}.
std::vector<std::string> splitLanguages(const std::string& languages);

}  // namespace saksi::ocr
