// contract_rules.hpp -- the patterns and keywords extract.contract looks for,
// compiled once from config/contract/patterns.json (embedded at build time).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

namespace saksi::contract {

struct NamedPattern {
    std::string name;  // a field, period, fee kind, payer or clause type
    std::regex pattern;
};

struct IndicatorRule {
    std::string type;       // clause type, e.g. "passport_retention"
    std::string indicator;  // ILO forced-labour indicator, e.g. "debt_bondage"
    std::vector<std::regex> patterns;
};

// Immutable after construction; shared by every process() call.
struct ContractRules {
    std::vector<std::regex> cues;                           // contract vocabulary
    std::map<std::string, std::vector<std::regex>> fields;  // field -> patterns, in order
    std::map<std::string, int> unitMonths;                  // "tahun" -> 12
    std::regex salaryCue;
    std::vector<NamedPattern> periodsAfter;   // anchored at the text after the amount
    std::vector<NamedPattern> periodsBefore;  // anywhere in the sentence before it
    std::vector<NamedPattern> feeKinds;       // most specific first, "other" last
    std::vector<NamedPattern> payers;
    std::regex clauseHeading;
    std::regex clauseEnd;
    std::vector<NamedPattern> clauseTypes;
    std::vector<IndicatorRule> indicators;

    // Throws std::exception (nlohmann or std::regex_error) on a malformed file.
    static ContractRules fromJson(const nlohmann::json& data);
    // config/contract/patterns.json as built in.
    static const nlohmann::json& builtinJson();
};

}  // namespace saksi::contract
