#include "consolidate_stage.hpp"

#include "things.hpp"

namespace saksi::consolidate {

ConsolidateStage::ConsolidateStage(const nlohmann::json&) {
}

void ConsolidateStage::process(sdk::Document& doc) {
    nlohmann::json record = nlohmann::json::object();
    for (const char* field : {"pages", "entities", "passport", "contract", "chat"})
        if (auto value = doc.json(std::string("/") + field)) record[field] = std::move(*value);
    doc.put("/things", consolidate(record));
}

}  // namespace saksi::consolidate
