// civil_date.hpp -- a calendar date without time zone, checked and printed
// as ISO 8601; the one date type every identifier matcher shares.
#pragma once

#include <optional>
#include <string>

namespace saksi::identifiers {

struct CivilDate {
    int year = 0, month = 0, day = 0;

    // The date, or nothing when it does not exist (31 April, 29 February 2023).
    static std::optional<CivilDate> make(int year, int month, int day);
    // Today in UTC.
    static CivilDate today();

    std::string iso() const;  // "YYYY-MM-DD"
    auto operator<=>(const CivilDate&) const = default;
};

}  // namespace saksi::identifiers
