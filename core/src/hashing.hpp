// SHA-256 (and SHA-1, Aleph's content hash) through OpenSSL's libcrypto.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace saksi {

// Lowercase hex SHA-256 of the bytes.
std::string sha256Hex(std::span<const uint8_t> bytes);
std::string sha256Hex(std::string_view text);
// Lowercase hex SHA-1 of the bytes: only as the key case systems such as
// Aleph file originals under, never as evidence of integrity.
std::string sha1Hex(std::span<const uint8_t> bytes);
// Of a file's bytes (memory-mapped); throws std::system_error when unreadable.
std::string fileSha256(const std::filesystem::path& file);

}  // namespace saksi
