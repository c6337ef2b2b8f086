// id_provinces.hpp -- Indonesia's province codes, the first two NIK digits,
// from config/identifiers/id_provinces.json (embedded at build time).
#pragma once

#include <optional>
#include <string>

namespace saksi::identifiers {

// The ISO 3166-2 code ("ID-JB") of a two-digit province code ("32"), or
// nothing when no province has that code.
std::optional<std::string> provinceIso(const std::string& code);

}  // namespace saksi::identifiers
