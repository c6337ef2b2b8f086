// phone_finder.hpp -- phone numbers through libphonenumber's matcher.
#pragma once

#include "identifier_match.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace saksi::identifiers {

// Whether libphonenumber knows the region ("ID", "KH").
bool isPhoneRegion(const std::string& region);

// Valid numbers in `text`, normalised to E.164, trying the regions in order
// for numbers written without a country code; a number that a line break
// splits between digit groups is found too. A number written with "+" and its
// country code that has a possible length but no assigned range is found at
// confidence 0.6 (valid ones: 0.95 with a country code, 0.8 without). Sorted
// by position, no overlaps.
// `international` tells whether the text carried the country code.
struct PhoneMatch {
    IdentifierMatch match;
    bool international = false;
};
std::vector<PhoneMatch> findPhones(std::string_view text, const std::vector<std::string>& regions);

}  // namespace saksi::identifiers
