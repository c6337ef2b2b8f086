// nik.hpp -- the Indonesian Nomor Induk Kependudukan (16 digits on the KTP):
// PP RR DD | DDMMYY (day + 40 for women) | SSSS.
#pragma once

#include "civil_date.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace saksi::identifiers {

struct Nik {
    std::string digits;        // the 16 digits
    std::string provinceCode;  // "32"
    std::string provinceIso;   // "ID-JB"
    CivilDate birthDate;       // century chosen so the holder is 0-100 years old
    char sex = 'M';            // 'F' when the day carries the +40
};

// Decodes 16 digits, or nothing when the province code is unknown, a region
// or serial part is zero, or the encoded birth date is impossible or in the
// future. `today` resolves the century.
std::optional<Nik> decodeNik(std::string_view digits, CivilDate today);

}  // namespace saksi::identifiers
