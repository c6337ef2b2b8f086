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

// 1 for text without word confidences (a PDF text layer); down to 0.5 as
// the least sure OCR'd word of the span nears 0.
double ocrFactor(const sdk::PageWords& page, std::size_t begin, std::size_t end) {
    const auto [first, last] = page.wordRange(begin, end);
    float least = 100.0f;
    bool any = false;
    for (std::size_t i = first; i < last; ++i) {
        const float conf = page.words()[i].conf;
        if (conf < 0) continue;
        least = std::min(least, conf);
        any = true;
    }
    if (!any) return 1.0;
    return 0.5 + 0.5 * std::clamp(static_cast<double>(least) / 100.0, 0.0, 1.0);
}

}  // namespace

std::vector<sdk::Entity> pageEntities(const sdk::PageWords& page, const IdentifierFinder& finder,
                                      CivilDate today) {
    std::vector<sdk::Entity> entities;
    for (auto& m : finder.find(page.text(), today)) {
        const double confidence = m.confidence * ocrFactor(page, m.begin, m.end);
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
