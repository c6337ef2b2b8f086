// layout_classifier.hpp -- what kind of document a record is, from its text
// and word geometry. Pure: no host, no images; unit-tested on record JSON.
#pragma once

#include "classify_config.hpp"

#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace saksi::classify {

// The kinds DESIGN.md allows, "other" last.
inline constexpr std::array<std::string_view, 5> kKinds = {"passport", "id_card", "contract",
                                                           "chat", "other"};

// Evidence for each kind, 0..1 (not probabilities: they need not sum to 1).
struct KindScores {
    double passport = 0, idCard = 0, contract = 0, chat = 0;
};

struct Classification {
    std::string kind;   // one of kKinds
    double confidence;  // 0..1
    KindScores scores;
};

// True when `line` (spaces ignored) looks like one MRZ line: 28..46 characters,
// nearly all A-Z 0-9 '<', with at least two '<' fillers.
bool looksLikeMrzLine(std::string_view line);

// Scores every kind from the record's pages ({"width", "height", "text",
// "words"}); see classify_config.hpp for the cues and their weights.
KindScores scoreRecord(const nlohmann::json& record, const ClassifyConfig& config);

// The kind with the best score when it reaches config.minScore and beats the
// runner-up by config.minMargin; otherwise "other", with a confidence that is
// low when some kind came close and higher when nothing pointed anywhere.
Classification decide(const KindScores& scores, const ClassifyConfig& config);

inline Classification classifyRecord(const nlohmann::json& record, const ClassifyConfig& config) {
    return decide(scoreRecord(record, config), config);
}

}  // namespace saksi::classify
