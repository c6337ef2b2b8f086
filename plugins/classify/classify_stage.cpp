#include "classify_stage.hpp"

#include <cstdio>

namespace saksi::classify {

void LayoutClassifyStage::process(sdk::Document& doc) {
    nlohmann::json record = nlohmann::json::object();
    if (auto pages = doc.json("/pages")) record["pages"] = std::move(*pages);
    const Classification result = classifyRecord(record, config_);
    doc.put("/document/kind", result.kind);
    doc.put("/document/kind_confidence", result.confidence);
    char line[200];
    std::snprintf(line, sizeof line,
                  "classify.layout: %s (%.2f); passport %.2f id_card %.2f contract %.2f chat %.2f",
                  result.kind.c_str(), result.confidence, result.scores.passport,
                  result.scores.idCard, result.scores.contract, result.scores.chat);
    doc.log(sdk::LogLevel::debug, line);
}

}  // namespace saksi::classify
