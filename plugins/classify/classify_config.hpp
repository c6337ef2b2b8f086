// classify_config.hpp -- the classify.layout stage's cues, parsed once.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace saksi::classify {

// The stage's config schema. The defaults are the cue lists: data, not code,
// so a pipeline can extend them without a rebuild. Sources: contract terms
// from Indonesian employment contracts (UU 13/2003 "perjanjian kerja",
// "pihak pertama/kedua", "pasal") and their English equivalents; passport
// and identity-card field labels from ICAO 9303 part 4/5 visual zones and
// the Indonesian e-KTP; chat header words from WhatsApp and Telegram
// screenshots in Indonesian and English.
inline constexpr char kConfigSchema[] = R"json({
  "contract_strong_terms": {"type": "string_list",
    "default": ["perjanjian kerja", "pihak pertama", "pihak kedua", "pasal",
                "employment agreement", "employment contract", "first party", "second party"],
    "description": "phrases that mark an employment contract (case-insensitive, whole words); each distinct one found adds 0.3"},
  "contract_weak_terms": {"type": "string_list",
    "default": ["contract", "kontrak", "kontrak kerja", "agreement", "gaji", "salary", "jangka waktu",
                "masa kerja", "ditandatangani", "signed"],
    "description": "words common in contracts but also elsewhere; each distinct one adds 0.1"},
  "passport_terms": {"type": "string_list",
    "default": ["passport", "paspor", "surname", "given names", "nationality",
                "date of expiry", "place of birth", "date of issue"],
    "description": "passport visual-zone labels; each distinct one adds 0.1 (at most 0.4)"},
  "id_card_terms": {"type": "string_list",
    "default": ["kartu tanda penduduk", "identity card", "nik", "provinsi", "gol. darah",
                "berlaku hingga", "status perkawinan", "kewarganegaraan"],
    "description": "identity-card labels; each distinct one adds 0.1 (at most 0.4)"},
  "chat_terms": {"type": "string_list",
    "default": ["online", "terakhir dilihat", "last seen", "ketik pesan", "type a message",
                "message", "pesan", "mengetik", "typing"],
    "description": "chat header and input-bar words; any one found adds 0.15"},
  "min_score": {"type": "number", "default": 0.5, "minimum": 0, "maximum": 1,
    "description": "the best kind's score (0..1) must reach this, or the kind is 'other'"},
  "min_margin": {"type": "number", "default": 0.25, "minimum": 0, "maximum": 1,
    "description": "the best score must beat the second best by this much, or the kind is 'other'"}
})json";

struct ClassifyConfig {
    std::vector<std::string> contractStrongTerms;
    std::vector<std::string> contractWeakTerms;
    std::vector<std::string> passportTerms;
    std::vector<std::string> idCardTerms;
    std::vector<std::string> chatTerms;
    double minScore = 0.5;
    double minMargin = 0.25;

    // From a config object; a missing key takes its schema default. Terms are
    // lower-cased. Throws std::invalid_argument naming a malformed key.
    static ClassifyConfig fromJson(const nlohmann::json& config);
};

}  // namespace saksi::classify
