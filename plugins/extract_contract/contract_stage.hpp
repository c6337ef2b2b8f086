// contract_stage.hpp -- the extract.contract stage: on a contract (by the
// classifier's kind, or by strong contract vocabulary when the classifier
// said "other"), /contract from the page text and the money entities that
// extract.identifiers found.
#pragma once

#include "contract_extractor.hpp"
#include "contract_rules.hpp"

#include <saksi/sdk/sdk.hpp>

#include <optional>
#include <string>

namespace saksi::contract {

// Whether a document of this kind, with this many contract cues, is read as
// a contract. Another confident kind (passport, chat, id_card) always wins;
// "other" or no kind gives way to `minCues` cues, since a noisy scan of a
// contract can leave the classifier unsure while its vocabulary is plain.
bool readsAsContract(const std::optional<std::string>& kind, int cues, int minCues);

class ContractStage {
public:
    static constexpr sdk::StageInfo info{
        .kind = SAKSI_STAGE_EXTRACT,
        .scope = SAKSI_SCOPE_DOCUMENT,
        .id = "extract.contract",
        .description =
            "employment contract terms (employer, agency, worker, position, workplace, salary, "
            "duration, fees) and clauses flagged as forced-labour indicators",
        .configSchema = R"({
            "min_cues": {"type": "integer", "default": 4,
                         "description": "contract cues (config/contract/patterns.json) that make a document of kind \"other\" read as a contract"}})"};

    explicit ContractStage(const nlohmann::json& config);
    void process(sdk::Document& doc);

private:
    ContractRules rules_;
    int minCues_;
};

}  // namespace saksi::contract
