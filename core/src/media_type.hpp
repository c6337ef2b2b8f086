// Media types from content (libmagic), never from the file name alone.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace saksi {

// "image/png", "application/pdf", ...; "application/octet-stream" when
// unknown. Thread-safe: each thread keeps its own libmagic handle.
std::string detectMediaType(std::span<const uint8_t> bytes);

}  // namespace saksi
