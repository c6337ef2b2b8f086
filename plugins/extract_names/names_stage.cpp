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

std::vector<sdk::Entity> pageEntities(const sdk::PageWords& page, const NameFinder& finder,
                                      const std::set<std::string>& types) {
    std::vector<sdk::Entity> entities;
    for (auto& m : finder.find(page.text())) {
        if (types.count(m.type) == 0) continue;
        const double confidence = m.confidence * ocrFactor(page, m.begin, m.end);
        entities.push_back(
            page.entity(m.type, m.begin, m.end, std::move(m.normalized), confidence, m.sensitive));
    }
    return entities;
}

NamesStage::NamesStage(const nlohmann::json& config)
    : finder_(embeddedNameData()), types_(typesFrom(config)) {
}

void NamesStage::process(sdk::Document& doc) {
    for (const auto& page : sdk::PageWords::allPages(doc))
        for (const auto& entity : pageEntities(page, finder_, types_)) doc.addEntity(entity);
}

}  // namespace saksi::names
