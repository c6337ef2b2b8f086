// names_stage.hpp -- the extract.names stage: the Recognizer (NER model
// and anchored rules) over every page's text, each match written as an
// entity with its page, span, box and a confidence lowered by the OCR's
// confidence in its words.
#pragma once

#include "recognizer.hpp"

#include <saksi/sdk/sdk.hpp>

#include <set>
#include <string>
#include <vector>

namespace saksi::names {

// The entities `recognizer` finds in one page, of the types in `types`.
std::vector<sdk::Entity> pageEntities(const sdk::PageWords& page, const Recognizer& recognizer,
                                      const std::set<std::string>& types);

class NamesStage {
public:
    static constexpr sdk::StageInfo info{
        .kind = SAKSI_STAGE_EXTRACT,
        .scope = SAKSI_SCOPE_DOCUMENT,
        .id = "extract.names",
        .description =
            "persons, organisations and locations in the page text: a statistical NER model "
            "(config/names/ner/) and field labels, legal forms and passport name fields",
        .configSchema = R"({
            "types": {"type": "string_list",
                      "default": ["person", "organization", "location"],
                      "description": "entity types to look for"}})"};

    explicit NamesStage(const nlohmann::json& config);
    void process(sdk::Document& doc);

private:
    Recognizer recognizer_;
    std::set<std::string> types_;
};

}  // namespace saksi::names
