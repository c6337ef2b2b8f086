// identifiers_stage.hpp -- the extract.identifiers stage: IdentifierFinder
// over every page's text, each match written as an entity with its page,
// span, box and a confidence lowered by the OCR's confidence in its words.
#pragma once

#include "identifier_finder.hpp"

#include <saksi/sdk/sdk.hpp>

#include <vector>

namespace saksi::identifiers {

// The entities `finder` finds in one page.
std::vector<sdk::Entity> pageEntities(const sdk::PageWords& page, const IdentifierFinder& finder,
                                      CivilDate today);

class IdentifiersStage {
public:
    static constexpr sdk::StageInfo info{
        .kind = SAKSI_STAGE_EXTRACT,
        .scope = SAKSI_SCOPE_DOCUMENT,
        .id = "extract.identifiers",
        .description =
            "phones (libphonenumber, E.164), e-mails, URLs, NIKs, passport and bank "
            "account numbers, money and dates in the page text",
        .configSchema = R"({
            "regions": {"type": "string_list",
                        "default": ["ID", "KH", "MM", "TH", "PH", "MY", "VN", "LA", "AE"],
                        "description": "regions tried in order for phone numbers written without a country code"},
            "types": {"type": "string_list",
                      "default": ["phone", "email", "url", "national_id", "passport_number",
                                  "bank_account", "money", "date"],
                      "description": "entity types to look for"}})"};

    explicit IdentifiersStage(const nlohmann::json& config);
    void process(sdk::Document& doc);

private:
    IdentifierFinder finder_;
};

}  // namespace saksi::identifiers
