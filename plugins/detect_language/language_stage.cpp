#include "language_stage.hpp"

#include <stdexcept>

namespace saksi::language {
namespace {

int integer(const nlohmann::json& config, const char* key, int fallback, int lo, int hi) {
    if (!config.is_object() || !config.contains(key)) return fallback;
    const auto& v = config.at(key);
    if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
        throw std::invalid_argument(std::string("classify.language: '") + key +
                                    "' must be an integer from " + std::to_string(lo) + " to " +
                                    std::to_string(hi));
    return v.get<int>();
}

}  // namespace

LanguageStage::LanguageStage(const nlohmann::json& config) {
    config_.minBytes = integer(config, "min_bytes", config_.minBytes, 1, 100000);
    config_.minPercent = integer(config, "min_percent", config_.minPercent, 1, 100);
}

void LanguageStage::process(sdk::Document& doc) {
    const auto pages = doc.json("/pages");
    if (!pages || !pages->is_array()) return;
    std::string all;
    for (std::size_t i = 0; i < pages->size(); ++i) {
        const auto& page = (*pages)[i];
        const auto text = page.is_object() ? page.value("text", std::string()) : std::string();
        doc.put("/pages/" + std::to_string(i) + "/languages", detectLanguages(text, config_));
        if (!all.empty() && !text.empty()) all += '\n';
        all += text;
    }
    // The whole text, not a vote of pages: pages too short to tell alone
    // still add up.
    doc.put("/document/languages", detectLanguages(all, config_));
}

}  // namespace saksi::language
