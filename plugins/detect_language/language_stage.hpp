// language_stage.hpp -- the classify.language stage: which languages each
// page's text and the whole document are written in (CLD2), written to
// /pages/<i>/languages and /document/languages.
#pragma once

#include "language_detector.hpp"

#include <saksi/sdk/sdk.hpp>

namespace saksi::language {

class LanguageStage {
public:
    static constexpr const char* kConfigSchema = R"json({
  "min_bytes": {"type": "integer", "default": 60, "minimum": 1, "maximum": 100000,
                "description": "A language is named only when CLD2 scored at least this many bytes of letters in it (about ten words); shorter text gets no language."},
  "min_percent": {"type": "integer", "default": 15, "minimum": 1, "maximum": 100,
                  "description": "A language is named only when it holds at least this share (percent) of the text CLD2 scored."}
})json";

    static constexpr sdk::StageInfo info{
        .kind = SAKSI_STAGE_CLASSIFY,
        .scope = SAKSI_SCOPE_DOCUMENT,
        .id = "classify.language",
        .description =
            "the languages of each page's text and of the whole document (CLD2), "
            "ISO 639-3; none when the text is too short or unclear",
        .configSchema = kConfigSchema};

    explicit LanguageStage(const nlohmann::json& config);
    void process(sdk::Document& doc);

private:
    DetectorConfig config_;
};

}  // namespace saksi::language
