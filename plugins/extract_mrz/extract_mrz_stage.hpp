// extract_mrz_stage.hpp -- the extract.mrz stage: finds, reads and verifies
// a travel document's machine-readable zone and writes passport.mrz.
#pragma once

#include "mrz_reader.hpp"

#include <saksi/sdk/sdk.hpp>

#include <nlohmann/json.hpp>

namespace saksi::mrz {

inline constexpr char kConfigSchema[] = R"json({
  "language": {"type": "string", "default": "eng",
    "description": "Tesseract model for the MRZ band; 'eng' (Debian ships no OCR-B model), or e.g. 'ocrb' when tessdata holds one"},
  "tessdata": {"type": "string", "default": "",
    "description": "folder holding the .traineddata files; empty: TESSDATA_PREFIX or Tesseract's built-in folder"}
})json";

class ExtractMrzStage {
public:
    static constexpr sdk::StageInfo info{
        SAKSI_STAGE_EXTRACT,
        SAKSI_SCOPE_DOCUMENT,
        "extract.mrz",
        "Locates the machine-readable zone, re-reads it with an MRZ set-up and verifies its "
        "check digits (ICAO 9303)",
        nullptr,
        kConfigSchema,
    };

    // Loads the MRZ reader's model once per instance (one per worker thread).
    explicit ExtractMrzStage(const nlohmann::json& config);

    void process(sdk::Document& doc);

private:
    MrzReader reader_;
};

}  // namespace saksi::mrz
