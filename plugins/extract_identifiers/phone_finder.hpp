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
// splits between digit groups is found too. Sorted by position, no overlaps.
// `international` tells whether the text carried the country code.
struct PhoneMatch {
    IdentifierMatch match;
    bool international = false;
};
std::vector<PhoneMatch> findPhones(std::string_view text, const std::vector<std::string>& regions);

}  // namespace saksi::identifiers
