#include "hashing.hpp"

#include "mapped_file.hpp"

#include <openssl/evp.h>

#include <array>
#include <memory>
#include <stdexcept>

namespace saksi {

namespace {

std::string digestHex(const EVP_MD* md, const char* name, std::span<const uint8_t> bytes) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1)
        throw std::runtime_error(std::string("OpenSSL ") + name + " failed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * std::size_t{length});
    for (unsigned int i = 0; i < length; ++i) {
        out.push_back(hex[digest[i] >> 4]);
        out.push_back(hex[digest[i] & 0xf]);
    }
    return out;
}

}  // namespace

std::string sha256Hex(std::span<const uint8_t> bytes) {
    return digestHex(EVP_sha256(), "SHA-256", bytes);
}

std::string sha1Hex(std::span<const uint8_t> bytes) {
    return digestHex(EVP_sha1(), "SHA-1", bytes);
}

std::string sha256Hex(std::string_view text) {
    return sha256Hex(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

std::string fileSha256(const std::filesystem::path& file) {
    if (std::filesystem::file_size(file) == 0) return sha256Hex(std::string_view());
    return sha256Hex(MappedFile(file).bytes());
}

}  // namespace saksi
