// mrz.hpp -- parse and verify OCR'd ICAO 9303 machine-readable zones.
//
// Pure C++20: no image or OCR types. The extract_mrz stage hands the text it
// read from the MRZ band to parse() and writes toJson() into passport.mrz.
#pragma once

#include <chrono>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace saksi::mrz {

// The ICAO 9303 layouts: TD1 3x30, TD2 2x36, TD3 2x44, MRV-A 2x44, MRV-B 2x36.
enum class Format { TD1, TD2, TD3, MRVA, MRVB };

// "TD1", "TD2", "TD3", "MRV-A", "MRV-B": the record's spelling.
std::string_view formatName(Format format);

// The per-check results of passport.mrz.checks. A check is true when the
// (possibly repaired) field agrees with its check digit.
struct Checks {
    bool documentNumber = false;
    bool birthDate = false;
    bool expiryDate = false;
    std::optional<bool> personalNumber;  // TD3 only; absent where the format has no such check
    std::optional<bool> composite;       // TD1, TD2, TD3; absent for MRV-A and MRV-B
};

// One change made to the OCR text, so that a reader can see what was read and
// what was believed instead.
struct Repair {
    std::string field;   // "document_number", "surname/given_names", "line 2", ...
    std::string from;    // the text as read
    std::string to;      // the text after the repair
    std::string reason;  // stable code: "ocr.confusion", "name.filler", "optional.filler",
                         // "line.length", "text.stray", "text.space"
};

// passport.mrz of the record (DESIGN.md "Record"). Empty strings and
// std::nullopt become JSON null in toJson().
struct Mrz {
    Format format = Format::TD3;
    std::vector<std::string> lines;  // as corrected: exact length, A-Z 0-9 < only
    std::string documentCode;        // "P", "I", "V", "AC", ... (not in the record)
    std::string documentNumber;      // without trailing fillers; TD1/TD2 long numbers in full
    std::string issuingCountry;      // "UTO"; "D" for Germany's "D<<"
    std::string nationality;
    std::string surname;                    // primary identifier, '<' turned into spaces
    std::string givenNames;                 // secondary identifier, "ANNA MARIA"
    std::optional<std::string> birthDate;   // YYYY-MM-DD; nullopt when not a calendar date
    std::optional<std::string> expiryDate;  // YYYY-MM-DD; nullopt when not a calendar date
    std::string sex;                        // "M", "F", "X" ('<' or 'X'); empty if unreadable
    std::string personalNumber;  // TD3 personal number; TD1 optional data 1 (after a long
                                 // document number); TD2/MRV optional data
    std::string optionalData2;   // TD1 line 2 optional data (not in the record)
    Checks checks;
    bool valid = false;      // every check of the format passes and nothing is ambiguous
    bool ambiguous = false;  // several different repairs satisfy the check digits
    std::vector<Repair> repairs;
};

// Parses the MRZ lines as OCR'd: 2 or 3 lines separated by '\n' (or "\r\n"),
// in any case, with stray characters, with spaces inserted or standing for
// '<', with lines a character or two too short or too long. Repairs OCR
// confusions only where the field's character class allows them and the
// check digits then agree; never picks one of several passing repairs
// (ambiguous = true, valid = false instead).
//
// `reference` resolves two-digit years: a birth date is never after it; an
// expiry date lies within [reference - 80 years, reference + 20 years).
// Pass the processing date, not the system clock, to keep runs reproducible.
//
// Returns nullopt when the text does not have the shape of an MRZ (line
// count or lengths too far from any format). Pure and re-entrant; never throws
// except std::bad_alloc.
std::optional<Mrz> parse(std::string_view text, std::chrono::year_month_day reference);
std::optional<Mrz> parse(std::span<const std::string> lines, std::chrono::year_month_day reference);

// The ICAO 9303 check digit of `data` ('0'..'9'): weights 7,3,1, '<' = 0,
// '0'-'9' = 0-9, 'A'-'Z' = 10-35. Any other character counts as 0.
char checkDigit(std::string_view data);

// passport.mrz as the record spells it: format, lines, document_number,
// issuing_country, nationality, surname, given_names, birth_date, sex,
// expiry_date, personal_number, checks {document_number, birth_date,
// expiry_date, personal_number (only TD3), composite (not for MRV)}, valid,
// ambiguous. Repairs are not part of the record and are left out.
nlohmann::json toJson(const Mrz& mrz);

}  // namespace saksi::mrz
