// language_detector.hpp -- the languages a text is written in, detected by
// CLD2, as ISO 639-3 codes; none when the text is too short or too unclear
// to tell. Pure logic over a string; no host.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace saksi::language {

struct DetectorConfig {
    // CLD2 must have scored at least this many bytes of letters in a
    // language for it to be named, and must call its answer reliable.
    int minBytes = 60;
    // A language must hold at least this share (percent) of the scored text.
    int minPercent = 15;
};

// The languages of `text` (UTF-8; invalid bytes are ignored), most of the
// text first, e.g. {"ind"} or {"ind", "eng"}; empty when unsure.
std::vector<std::string> detectLanguages(std::string_view text, const DetectorConfig& config);

// ISO 639-3 for a CLD2 language code ("id" -> "ind", "jw" -> "jav",
// "zh-Hant" -> "zho"); nothing for CLD2's script-only and unknown codes.
std::optional<std::string> iso639_3(std::string_view cld2Code);

}  // namespace saksi::language
