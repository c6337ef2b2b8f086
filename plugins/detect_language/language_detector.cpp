#include "language_detector.hpp"

#include "iso_639.hpp"

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>
#include <cstdio>  // compact_lang_det.h uses FILE without including it

#include <algorithm>
#include <climits>

namespace saksi::language {

std::optional<std::string> iso639_3(std::string_view cld2Code) {
    // CLD2 writes a script or region after a dash ("zh-Hant", "sr-ME").
    std::string code(cld2Code.substr(0, cld2Code.find('-')));
    // Two-letter codes ISO 639-1 withdrew, which CLD2 still writes.
    if (code == "iw") code = "he";
    if (code == "jw") code = "jv";
    if (code.size() == 2) return alpha3OfAlpha2(code);
    // CLD2's own three-letter codes are ISO 639-3 ("ceb", "haw"), except its
    // private ones: "xxx" (unknown) and "zz?" (test languages).
    const bool letters =
        std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (code.size() == 3 && letters && code != "xxx" && !code.starts_with("zz")) return code;
    return std::nullopt;
}

std::vector<std::string> detectLanguages(std::string_view text, const DetectorConfig& config) {
    std::vector<std::string> out;
    if (text.empty() || text.size() > static_cast<std::size_t>(INT_MAX)) return out;
    CLD2::Language top3[3];
    int percent3[3];
    double score3[3];
    int textBytes = 0;
    bool reliable = false;
    int validPrefix = 0;
    // Indonesian is the language Saksi expects most; CLD2 takes a formal
    // Indonesian clause for Malay without the hint.
    const CLD2::CLDHints hints{nullptr, "", CLD2::UNKNOWN_ENCODING, CLD2::INDONESIAN};
    CLD2::ExtDetectLanguageSummaryCheckUTF8(text.data(), static_cast<int>(text.size()), true,
                                            &hints, 0, top3, percent3, score3, nullptr, &textBytes,
                                            &reliable, &validPrefix);
    if (validPrefix < static_cast<int>(text.size())) {
        // Not valid UTF-8 throughout (an OCR or text-layer oddity): detect
        // on the valid prefix rather than not at all.
        if (validPrefix <= 0) return out;
        return detectLanguages(text.substr(0, static_cast<std::size_t>(validPrefix)), config);
    }
    if (!reliable) return out;
    for (int i = 0; i < 3; ++i) {
        if (top3[i] == CLD2::UNKNOWN_LANGUAGE || percent3[i] < config.minPercent) continue;
        if (static_cast<long>(percent3[i]) * textBytes / 100 < config.minBytes) continue;
        const auto code = iso639_3(CLD2::LanguageCode(top3[i]));
        if (code && std::find(out.begin(), out.end(), *code) == out.end()) out.push_back(*code);
    }
    return out;
}

}  // namespace saksi::language
