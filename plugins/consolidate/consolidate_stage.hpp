// consolidate_stage.hpp -- the extract.consolidate stage: after the other
// extractors, the record's `things` from its entities, MRZ, contract and chat.
#pragma once

#include <saksi/sdk/sdk.hpp>

namespace saksi::consolidate {

class ConsolidateStage {
public:
    static constexpr sdk::StageInfo info{
        .kind = SAKSI_STAGE_EXTRACT,
        .scope = SAKSI_SCOPE_DOCUMENT,
        .id = "extract.consolidate",
        .description =
            "one thing per distinct person, organisation, place and identifier of the "
            "document, with its mentions, best spelling, match key and ties (an identifier's "
            "holder, a contract role, the MRZ holder); runs after the other extractors",
        .configSchema = nullptr};

    explicit ConsolidateStage(const nlohmann::json& config);
    void process(sdk::Document& doc);
};

}  // namespace saksi::consolidate
