// classify_stage.hpp -- the classify.layout stage: sets /document/kind.
#pragma once

#include "classify_config.hpp"
#include "layout_classifier.hpp"

#include <saksi/sdk/sdk.hpp>

namespace saksi::classify {

class LayoutClassifyStage {
public:
    static constexpr sdk::StageInfo info{
        SAKSI_STAGE_CLASSIFY,
        SAKSI_SCOPE_DOCUMENT,
        "classify.layout",
        "Decides the document kind (passport, id_card, contract, chat, other) from text and "
        "layout cues",
        nullptr,
        kConfigSchema,
    };

    explicit LayoutClassifyStage(const nlohmann::json& config)
        : config_(ClassifyConfig::fromJson(config)) {}

    void process(sdk::Document& doc);

private:
    ClassifyConfig config_;
};

}  // namespace saksi::classify
