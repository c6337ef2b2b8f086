// record_redactor.hpp -- applies a policy to a record: the redacted record,
// what was redacted where (page pixels), and every value that must not
// survive, for the burn-in and the leak check.
#pragma once

#include "leak_check.hpp"
#include "redaction_policy.hpp"

#include <saksi/plugin_abi.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace saksi::redact {

// A value to hide and what replaces it wherever it is found.
struct Secret {
    std::string type;         // entity type, "date_of_birth" or "mrz"
    std::string replacement;  // "[PHONE]", "PHONE_3f9a1c0b"
    Method method = Method::mask;
    std::vector<std::string> forms;  // spellings to search for (see comparableForm)
    // Parts of the value replaced where they stand as whole words ("Dewi" of
    // "Dewi Lestari") but not passed to the leak check, whose substring search
    // would find them inside other words ("Andi" in "Mandiri").
    std::vector<std::string> partForms;
};

// One burned-in area, in page pixels (margin included).
struct Redaction {
    uint32_t page = 0;  // 1-based
    saksi_box box{};
    std::string type;  // record entity type or "mrz"
    Method method = Method::mask;
};

struct RedactionResult {
    nlohmann::json record;                // the redacted record, redactions[] filled in
    std::vector<Redaction> redactions;    // also in record["redactions"]
    std::vector<Secret> secrets;          // what was hidden
    std::vector<RedactedEntity> covered;  // word boxes (page pixels) that must be burned
    std::vector<std::string> problems;    // what could not be redacted safely (no values)
};

struct RedactOptions {
    int margin = 4;   // page pixels around each burned box
    std::string key;  // case key; required when the policy uses pseudonyms
};

// Whether the date entity `entity` (on page text `pageText`) is a date of
// birth: a birth-date word ("lahir", "date of birth", "DOB", "born") shortly
// before it on its line or the line above, or its value equals the MRZ's.
bool isBirthDate(const nlohmann::json& entity, const std::string& pageText,
                 const std::string& mrzBirthDate);

// Whether a line of page text is (OCR of) a machine-readable zone line.
bool looksLikeMrzLine(std::string_view line);

RedactionResult redactRecord(const nlohmann::json& record, const Policy& policy,
                             const RedactOptions& options);

// Replaces every occurrence of each secret's forms in `text` (comparable
// form, whole words or whole numbers) by its replacement. Returns how many.
std::size_t replaceSecrets(std::string& text, const std::vector<Secret>& secrets);

// The forms as SecretValues for the leak check.
std::vector<SecretValue> secretValues(const std::vector<Secret>& secrets);

}  // namespace saksi::redact
