// phone_finder.hpp -- phone numbers through libphonenumber's matcher.
#pragma once

#include "identifier_match.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace saksi::identifiers {

// Whether libphonenumber knows the region ("ID", "KH").
bool isPhoneRegion(const std::string& region);

// Valid numbers in `text`, normalised to E.164. A number written without a
// country code is read as one of the first region only (the home region:
// a fragment such as "0812 3456" is never given a foreign country); the
// other regions are tried for numbers written with theirs. A number that a line break
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

// The phone number a chat link carries, with its country code and without a
// "+" (wa.me/6281234567817, api.whatsapp.com/send?phone=62812...), or with
// one (t.me/+62812..., wa.me/+62812..., tel:+62812...): its span within
// `url` (the digits, with the "+" when written) and E.164 form; nullopt for
// any other link or a number that is not valid.
struct LinkPhone {
    std::size_t begin = 0, end = 0;
    std::string e164;
};
std::optional<LinkPhone> phoneInLink(std::string_view url);

}  // namespace saksi::identifiers
