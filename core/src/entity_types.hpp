// The entity types of DESIGN.md "Record" (config/record.schema.json,
// $defs/entityType): what an entity's "type" may be.
#pragma once

#include <set>
#include <string>

namespace saksi {

inline const std::set<std::string>& entityTypes() {
    static const std::set<std::string> types = {
        "person",      "organization", "location", "passport_number",
        "national_id", "phone",        "email",    "bank_account",
        "money",       "date",         "url"};
    return types;
}

}  // namespace saksi
