#include "contract_stage.hpp"

namespace saksi::contract {

bool readsAsContract(const std::optional<std::string>& kind, int cues, int minCues) {
    if (kind == "contract") return true;
    if (kind && *kind != "other") return false;
    return cues >= minCues;
}

ContractStage::ContractStage(const nlohmann::json& config)
    : rules_(ContractRules::fromJson(ContractRules::builtinJson())),
      minCues_(config.at("min_cues").get<int>()) {
}

void ContractStage::process(sdk::Document& doc) {
    std::vector<PageText> pages;
    for (const auto& page : doc.json("/pages").value_or(nlohmann::json::array()))
        pages.push_back({page.value("number", 0u), page.value("text", std::string())});
    std::optional<std::string> kind;
    if (auto k = doc.json("/document/kind"); k && k->is_string()) kind = k->get<std::string>();
    if (!readsAsContract(kind, countCues(pages, rules_), minCues_)) return;

    std::vector<Money> money;
    for (const auto& entity : doc.json("/entities").value_or(nlohmann::json::array()))
        if (auto m = moneyFromEntity(entity)) money.push_back(*m);
    doc.put("/contract", extractContract(pages, money, rules_));
}

}  // namespace saksi::contract
