// identifier_match.hpp -- one value an identifier matcher found in a text.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

namespace saksi::identifiers {

struct IdentifierMatch {
    std::string type;                // entity type: "phone", "national_id", ...
    std::size_t begin = 0, end = 0;  // [begin, end) in the text, bytes
    nlohmann::json normalized;       // the type's normal form (see DESIGN.md)
    double confidence = 1.0;         // 0..1, from the text alone
    bool sensitive = false;
};

}  // namespace saksi::identifiers
