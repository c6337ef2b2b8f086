// iso_639.hpp -- ISO 639-1 to ISO 639-3, from config/languages/iso_639.json.
#pragma once

#include <optional>
#include <string>

namespace saksi::language {

// "id" -> "ind", "en" -> "eng"; nothing for a code ISO 639-1 does not have.
std::optional<std::string> alpha3OfAlpha2(const std::string& alpha2);

}  // namespace saksi::language
