#include "names_stage.hpp"

#include <algorithm>
#include <stdexcept>

namespace saksi::names {
namespace {

std::set<std::string> typesFrom(const nlohmann::json& config) {
    std::set<std::string> types;
    for (const auto& t : config.at("types").get<std::vector<std::string>>()) {
        if (t != "person" && t != "organization" && t != "location")
            throw std::invalid_argument("extract.names: unknown type '" + t +
                                        "' (use person, organization or location)");
        types.insert(t);
    }
    return types;
}

}  // namespace

std::vector<sdk::Entity> pageEntities(const sdk::PageWords& page, const Recognizer& recognizer,
                                      const std::set<std::string>& types) {
    std::vector<sdk::Entity> entities;
    for (auto& m : recognizer.find(page.text())) {
        if (types.count(m.type) == 0) continue;
        const double confidence = m.confidence * page.ocrConfidenceFactor(m.begin, m.end);
        entities.push_back(
            page.entity(m.type, m.begin, m.end, std::move(m.normalized), confidence, m.sensitive));
    }
    return entities;
}

NamesStage::NamesStage(const nlohmann::json& config) : types_(typesFrom(config)) {
}

void NamesStage::process(sdk::Document& doc) {
    for (const auto& page : sdk::PageWords::allPages(doc))
        for (const auto& entity : pageEntities(page, recognizer_, types_)) doc.addEntity(entity);
}

}  // namespace saksi::names
