#include "pseudonym.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <stdexcept>

namespace saksi::redact {
namespace {

bool isAsciiDigit(unsigned char c) {
    return c >= '0' && c <= '9';
}
bool isAsciiAlpha(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

std::string hexOf(const unsigned char* bytes, std::size_t n) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(hex[bytes[i] >> 4]);
        out.push_back(hex[bytes[i] & 0xf]);
    }
    return out;
}

// The first 8 hex digits of HMAC-SHA256(key, message).
std::string shortMac(std::string_view key, std::string_view message) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int macSize = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(),
              &macSize) ||
        macSize < 4)
        throw std::runtime_error("HMAC-SHA256 failed");
    return hexOf(mac.data(), 4);
}

}  // namespace

std::string comparableForm(std::string_view value) {
    bool letters = false;
    for (unsigned char c : value)
        if (isAsciiAlpha(c) || c >= 0x80) letters = true;
    std::string out;
    out.reserve(value.size());
    for (unsigned char c : value) {
        // Non-ASCII letters are kept as they are; ASCII letters lower-cased.
        if (isAsciiDigit(c) || (letters && (isAsciiAlpha(c) || c >= 0x80)))
            out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    }
    return out;
}

std::string pseudonymToken(std::string_view key, std::string_view type, std::string_view value) {
    return upper(type) + "_" + shortMac(key, std::string(type) + ":" + comparableForm(value));
}

std::string caseKeyId(std::string_view key) {
    return shortMac(key, "saksi case key id");
}

std::string sha256Hex(std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (!EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr))
        throw std::runtime_error("SHA-256 failed");
    return hexOf(digest.data(), size);
}

std::string maskPlaceholder(std::string_view type) {
    return "[" + upper(type) + "]";
}

}  // namespace saksi::redact
