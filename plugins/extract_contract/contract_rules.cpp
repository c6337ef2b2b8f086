#include "contract_rules.hpp"

namespace saksi::contract {
namespace {

constexpr auto kFlags = std::regex::ECMAScript | std::regex::icase | std::regex::optimize;

std::regex compile(const nlohmann::json& pattern) {
    return std::regex(pattern.get<std::string>(), kFlags);
}

std::vector<NamedPattern> namedObject(const nlohmann::json& object) {
    std::vector<NamedPattern> out;
    for (const auto& [name, pattern] : object.items()) out.push_back({name, compile(pattern)});
    return out;
}

std::vector<NamedPattern> namedList(const nlohmann::json& list, const char* nameKey) {
    std::vector<NamedPattern> out;
    for (const auto& item : list)
        out.push_back({item.at(nameKey).get<std::string>(), compile(item.at("cue"))});
    return out;
}

}  // namespace

ContractRules ContractRules::fromJson(const nlohmann::json& data) {
    ContractRules rules;
    for (const auto& cue : data.at("cues")) rules.cues.push_back(compile(cue));
    for (const auto& [field, patterns] : data.at("fields").items())
        for (const auto& p : patterns) rules.fields[field].push_back(compile(p));
    rules.unitMonths = data.at("duration_units").at("months").get<std::map<std::string, int>>();
    rules.salaryCue = compile(data.at("salary_cues"));
    rules.periodsAfter = namedObject(data.at("periods"));
    rules.periodsBefore = namedObject(data.at("period_before"));
    rules.feeKinds = namedList(data.at("fees"), "kind");
    rules.payers = namedList(data.at("payers"), "payer");
    rules.clauseHeading = compile(data.at("clause_heading"));
    rules.clauseEnd = compile(data.at("clause_end"));
    rules.clauseTypes = namedList(data.at("clause_types"), "type");
    for (const auto& item : data.at("indicators")) {
        IndicatorRule rule{
            item.at("type").get<std::string>(), item.at("indicator").get<std::string>(), {}};
        for (const auto& p : item.at("patterns")) rule.patterns.push_back(compile(p));
        rules.indicators.push_back(std::move(rule));
    }
    return rules;
}

}  // namespace saksi::contract
