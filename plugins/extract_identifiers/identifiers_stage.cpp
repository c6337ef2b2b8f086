#include "identifiers_stage.hpp"

#include <algorithm>

namespace saksi::identifiers {
namespace {

FinderOptions optionsFrom(const nlohmann::json& config) {
    FinderOptions options;
    options.regions = config.at("regions").get<std::vector<std::string>>();
    const auto types = config.at("types").get<std::vector<std::string>>();
    options.types = {types.begin(), types.end()};
    return options;
}

}  // namespace

std::vector<sdk::Entity> pageEntities(const sdk::PageWords& page, const IdentifierFinder& finder,
                                      CivilDate today) {
    std::vector<sdk::Entity> entities;
    for (auto& m : finder.find(page.text(), today)) {
        const double confidence = m.confidence * page.ocrConfidenceFactor(m.begin, m.end);
        entities.push_back(
            page.entity(m.type, m.begin, m.end, std::move(m.normalized), confidence, m.sensitive));
    }
    return entities;
}

IdentifiersStage::IdentifiersStage(const nlohmann::json& config) : finder_(optionsFrom(config)) {
}

void IdentifiersStage::process(sdk::Document& doc) {
    const CivilDate today = CivilDate::today();
    for (const auto& page : sdk::PageWords::allPages(doc))
        for (const auto& entity : pageEntities(page, finder_, today)) doc.addEntity(entity);
}

}  // namespace saksi::identifiers
