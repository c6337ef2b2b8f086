// extract.template: a page-scope extractor that emits one entity for each
// match of a regular expression in the page text. Copy, rename, and replace
// findMatches() with your own logic.
#include "match.hpp"

#include <saksi/sdk/sdk.hpp>

#include <string>

namespace {

class TemplateStage {
public:
    static constexpr saksi::sdk::StageInfo info{
        .kind = SAKSI_STAGE_EXTRACT,
        .scope = SAKSI_SCOPE_PAGE,  // process() once per page; pages may run in parallel
        .id = "extract.template",
        .description = "finds matches of a regular expression and emits them as entities",
        .mediaTypes = nullptr,  // every document
        .configSchema = R"({
          "pattern": {"type": "string", "default": "https?://[^\\s]+",
                      "description": "ECMAScript regular expression to find"},
          "entity_type": {"type": "string", "default": "url",
                          "enum": ["person", "organization", "location", "passport_number",
                                   "national_id", "phone", "email", "bank_account", "money",
                                   "date", "url"],
                          "description": "the entity type of each match"},
          "sensitive": {"type": "boolean", "default": false,
                        "description": "whether redaction policies may act on the matches"}
        })"};

    // Configuration once: the host has checked types and filled in defaults;
    // what only this stage can check (the regex) is checked here.
    explicit TemplateStage(const nlohmann::json& config)
        : type_(config.at("entity_type").get<std::string>()),
          sensitive_(config.at("sensitive").get<bool>()) {
        try {
            pattern_ = std::regex(config.at("pattern").get<std::string>());
        } catch (const std::regex_error& e) {
            throw std::invalid_argument("pattern is not a valid regular expression: " +
                                        std::string(e.what()));
        }
    }

    void process(saksi::sdk::Document& doc, uint32_t page) {
        const auto json = doc.json("/pages/" + std::to_string(page));
        if (!json) return;
        const auto words = saksi::sdk::PageWords::fromJson(*json);
        for (const auto& m : extract_template::findMatches(words.text(), pattern_))
            doc.addEntity(words.entity(type_, m.begin, m.end, m.normalized, 0.9, sensitive_));
    }

private:
    std::regex pattern_;
    std::string type_;
    bool sensitive_;
};

}  // namespace

SAKSI_PLUGIN("extract_template", "0.1.0", "Template extractor: regular expression matches",
             "Apache-2.0", TemplateStage)
