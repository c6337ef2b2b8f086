#include "classify_config.hpp"

#include <cctype>
#include <stdexcept>

namespace saksi::classify {
namespace {

std::vector<std::string> terms(const nlohmann::json& config, const nlohmann::json& schema,
                               const char* key) {
    const nlohmann::json& value =
        config.contains(key) ? config.at(key) : schema.at(key).at("default");
    if (!value.is_array()) throw std::invalid_argument(std::string("'") + key + "' must be a list");
    std::vector<std::string> out;
    for (const auto& item : value) {
        if (!item.is_string())
            throw std::invalid_argument(std::string("'") + key + "' must hold strings");
        std::string term = item.get<std::string>();
        for (char& c : term) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!term.empty()) out.push_back(std::move(term));
    }
    return out;
}

double number(const nlohmann::json& config, const char* key, double fallback) {
    if (!config.contains(key)) return fallback;
    const auto& value = config.at(key);
    if (!value.is_number() || value.get<double>() < 0 || value.get<double>() > 1)
        throw std::invalid_argument(std::string("'") + key + "' must be a number in 0..1");
    return value.get<double>();
}

}  // namespace

ClassifyConfig ClassifyConfig::fromJson(const nlohmann::json& config) {
    static const nlohmann::json schema = nlohmann::json::parse(kConfigSchema);
    ClassifyConfig out;
    out.contractStrongTerms = terms(config, schema, "contract_strong_terms");
    out.contractWeakTerms = terms(config, schema, "contract_weak_terms");
    out.passportTerms = terms(config, schema, "passport_terms");
    out.idCardTerms = terms(config, schema, "id_card_terms");
    out.chatTerms = terms(config, schema, "chat_terms");
    out.minScore = number(config, "min_score", out.minScore);
    out.minMargin = number(config, "min_margin", out.minMargin);
    return out;
}

}  // namespace saksi::classify
