// pseudonym.hpp -- stable keyed tokens for redacted values, and the value
// normalisation that makes different spellings of one value one token.
#pragma once

#include <string>
#include <string_view>

namespace saksi::redact {

// The form two spellings of one value share: case-folded (ASCII), and with
// everything but letters and digits removed. When the value has digits and
// no letters (phones, NIKs, accounts, dates), only the digits remain.
// "+62 812-3456-7890" -> "6281234567890"; "Ana.Sari@Mail.com" -> "anasarimailcom".
std::string comparableForm(std::string_view value);

// "PHONE_3f9a1c0b": the upper-cased type, '_' and the first 8 hex digits of
// HMAC-SHA256(key, type + ":" + comparableForm(value)). The type is part of
// the MAC so the same digits as a phone and as an account do not link.
std::string pseudonymToken(std::string_view key, std::string_view type, std::string_view value);

// "[NATIONAL_ID]".
std::string maskPlaceholder(std::string_view type);

// The case key's public name: the first 8 hex digits of
// HMAC-SHA256(key, "saksi case key id"). Two outputs with one key id were
// made with one key; the key cannot be recovered from it.
std::string caseKeyId(std::string_view key);

// Lower-case hex SHA-256 of `bytes`.
std::string sha256Hex(std::string_view bytes);

}  // namespace saksi::redact
