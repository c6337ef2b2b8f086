// things.hpp -- consolidation: the record's mentions (entities[]) grouped
// into the distinct things they refer to, each with its best spelling, a
// match key (what `saksi case` compares across documents) and its ties to
// other things of the same document.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace saksi::consolidate {

// The entity types that become things; money, dates and URLs stay mentions.
bool isThingType(std::string_view type);
// Identifier types: matched on their normalized value, held by a person.
bool isIdentifierType(std::string_view type);

// The match key of a name: lower case, letters and digits only, words
// separated by one space. A person's leading honorifics ("Ibu", "Pak",
// "Mr.") are dropped and the words sorted ("WIRADINATA RATNA SARI" and
// "Ratna Sari Wiradinata" match); an organisation's legal forms ("PT",
// "CV", "Co., Ltd.") are dropped and the order kept. Empty when nothing is left.
std::string nameKey(std::string_view type, std::string_view name);

// The match key of an identifier's normalized value: upper case, letters,
// digits and a leading "+" (a phone in E.164) only.
std::string identifierKey(std::string_view normalized);

// things[] for a record holding at least "pages" and "entities" (and, when
// present, "passport", "contract", "chat"). See config/record.schema.json.
nlohmann::json consolidate(const nlohmann::json& record);

}  // namespace saksi::consolidate
