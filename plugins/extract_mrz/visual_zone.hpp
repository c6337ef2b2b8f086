// visual_zone.hpp -- the printed fields of a passport page, checked against
// its MRZ: document number, surname, given names, birth and expiry dates.
#pragma once

#include "mrz.hpp"

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace saksi::mrz {

struct VisualZone {
    // The document number as printed, and where: [begin, end) in the page text.
    std::optional<std::string> documentNumber;
    std::size_t numberBegin = 0, numberEnd = 0;
    bool surname = false, givenNames = false;          // found as printed words
    std::optional<std::string> birthDate, expiryDate;  // ISO, when printed ("12 MAR 1994")
    bool numberMatches = false;

    // passport.visual_zone: {"document_number", "birth_date", "expiry_date",
    // "matches_mrz": {document_number, surname, given_names, birth_date,
    // expiry_date}}.
    nlohmann::json toJson() const;
};

// Finds the MRZ's fields in the page text outside the MRZ lines. The
// document number is the token equal to the MRZ's, or else one character
// away from it (a misread on either side), or the rest of it after (or
// before) a symbol its first (or last) character was read as ("€42718777"); dates are "DD MON YYYY"
// with English or Indonesian month abbreviations, "AGU/AUG" bilingual forms too.
VisualZone crossCheck(std::string_view pageText, const Mrz& mrz);

// Names carry no check digit, and a '<' between names is often read as
// "K<", "<K", "K" or "X". A name word absent from the printed text is
// replaced by the printed word it becomes once one such stray letter at its
// start or end is dropped, or by the two printed words it joins with one in
// between ("NURKAISYAH" -> "NUR AISYAH"), or both ("NURKAISYAHK"); the MRZ line is rewritten to
// match and the change is listed in mrz.repairs ("name.visual_zone"). Returns true when something
// changed.
bool reconcileNames(Mrz& mrz, std::string_view pageText);

}  // namespace saksi::mrz
