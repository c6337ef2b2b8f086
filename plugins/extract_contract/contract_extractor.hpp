// contract_extractor.hpp -- the terms of an employment contract from its page
// text and the money entities found in it: parties, position, workplace,
// salary, duration, fees, and the clauses, with those that point to a
// forced-labour indicator flagged.
#pragma once

#include "contract_rules.hpp"

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace saksi::contract {

struct PageText {
    uint32_t number = 0;  // 1-based
    std::string text;
};

// A money entity: [begin, end) in its page's text, amount in the main unit.
struct Money {
    uint32_t page = 0;
    std::size_t begin = 0, end = 0;
    double amount = 0;
    std::string currency;  // ISO 4217
};

// A money entity as the record holds it ({"type": "money", "normalized":
// "USD 1200", "page", "span"}), or nothing when it is not one.
std::optional<Money> moneyFromEntity(const nlohmann::json& entity);

// How many of the rules' contract cues occur in the text (each counted once).
int countCues(const std::vector<PageText>& pages, const ContractRules& rules);

// The record's "contract" object: employer, agency, worker, position,
// workplace (strings or null), salary {amount, currency, period}, duration
// ({text, months} or null), fees (array or null), clauses[], and evidence
// {field: {page, span}} saying where each field was read.
nlohmann::json extractContract(const std::vector<PageText>& pages, const std::vector<Money>& money,
                               const ContractRules& rules);

}  // namespace saksi::contract
