#include "nik.hpp"

#include "id_provinces.hpp"

#include <algorithm>
#include <cctype>

namespace saksi::identifiers {
namespace {

int number(std::string_view digits, std::size_t at, std::size_t count) {
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) value = value * 10 + (digits[i] - '0');
    return value;
}

}  // namespace

std::optional<Nik> decodeNik(std::string_view digits, CivilDate today) {
    if (digits.size() != 16 ||
        !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); }))
        return std::nullopt;
    Nik nik;
    nik.digits = std::string(digits);
    nik.provinceCode = std::string(digits.substr(0, 2));
    const auto iso = provinceIso(nik.provinceCode);
    if (!iso) return std::nullopt;
    nik.provinceIso = *iso;
    // Regency, district and serial are numbered from 1.
    if (number(digits, 2, 2) == 0 || number(digits, 4, 2) == 0 || number(digits, 12, 4) == 0)
        return std::nullopt;
    int day = number(digits, 6, 2);
    if (day > 40) {
        day -= 40;
        nik.sex = 'F';
    }
    const int month = number(digits, 8, 2);
    const int yy = number(digits, 10, 2);
    // The later century unless that puts the birth after today.
    const int century = today.year / 100 * 100;
    auto date = CivilDate::make(century + yy, month, day);
    if (!date || *date > today) date = CivilDate::make(century - 100 + yy, month, day);
    if (!date || *date > today) return std::nullopt;
    nik.birthDate = *date;
    return nik;
}

}  // namespace saksi::identifiers
