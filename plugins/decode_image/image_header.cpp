#include "image_header.hpp"

#include <leptonica/allheaders.h>

#include <cstdlib>
#include <cstring>

namespace saksi::decode_image {
namespace {

uint32_t le16(std::span<const uint8_t> b, std::size_t at) {
    return uint32_t{b[at]} | uint32_t{b[at + 1]} << 8;
}

uint32_t le32(std::span<const uint8_t> b, std::size_t at) {
    return le16(b, at) | le16(b, at + 2) << 16;
}

// Skips GIF data sub-blocks (a length byte, then that many bytes, until a 0).
// Returns the offset after the terminator, or nothing when the data runs out.
std::optional<std::size_t> skipGifSubBlocks(std::span<const uint8_t> b, std::size_t at) {
    while (at < b.size()) {
        const std::size_t length = b[at];
        ++at;
        if (length == 0) return at;
        at += length;
    }
    return std::nullopt;
}

}  // namespace

std::optional<PageSize> readGifSize(std::span<const uint8_t> b) {
    // Header (6) + logical screen descriptor (7).
    if (b.size() < 13 ||
        (std::memcmp(b.data(), "GIF87a", 6) != 0 && std::memcmp(b.data(), "GIF89a", 6) != 0))
        return std::nullopt;
    PageSize first;
    bool haveFrame = false;
    uint64_t decoded = 0;
    std::size_t at = 13;
    if (b[10] & 0x80) at += 3u * (2u << (b[10] & 0x07));  // global colour table
    while (at < b.size()) {
        const uint8_t block = b[at];
        if (block == 0x3B) break;  // trailer
        if (block == 0x21) {       // extension: label, then sub-blocks
            if (at + 2 > b.size()) return std::nullopt;
            const auto next = skipGifSubBlocks(b, at + 2);
            if (!next) break;  // truncated: giflib stops here too
            at = *next;
        } else if (block == 0x2C) {  // image descriptor
            if (at + 10 > b.size()) break;
            const uint32_t w = le16(b, at + 5);
            const uint32_t h = le16(b, at + 7);
            const uint8_t flags = b[at + 9];
            if (!haveFrame) {
                first.width = w;
                first.height = h;
                first.frames = 0;
                haveFrame = true;
            }
            ++first.frames;
            decoded += uint64_t{w} * h;
            at += 10;
            if (flags & 0x80) at += 3u * (2u << (flags & 0x07));  // local colour table
            at += 1;                                              // LZW minimum code size
            const auto next = skipGifSubBlocks(b, at);
            if (!next) break;
            at = *next;
        } else {
            break;  // garbage after the last frame; giflib stops as well
        }
    }
    if (!haveFrame || first.width == 0 || first.height == 0) return std::nullopt;
    first.decodedPixels = decoded;
    return first;
}

std::optional<PageSize> readBmpSize(std::span<const uint8_t> b) {
    if (b.size() < 26 || b[0] != 'B' || b[1] != 'M') return std::nullopt;
    const uint32_t dibSize = le32(b, 14);
    PageSize size;
    if (dibSize == 12) {  // BITMAPCOREHEADER: 16-bit dimensions
        size.width = le16(b, 18);
        size.height = le16(b, 20);
    } else if (dibSize >= 40) {  // BITMAPINFOHEADER and later: signed 32-bit
        const auto w = static_cast<int32_t>(le32(b, 18));
        const auto h = static_cast<int32_t>(le32(b, 22));  // negative: rows top-down
        if (w <= 0 || h == 0 || h == INT32_MIN) return std::nullopt;
        size.width = static_cast<uint32_t>(w);
        size.height = static_cast<uint32_t>(h < 0 ? -h : h);
    } else {
        return std::nullopt;
    }
    if (size.width == 0 || size.height == 0) return std::nullopt;
    return size;
}

std::optional<ImageHeader> readImageHeader(std::span<const uint8_t> bytes, uint32_t maxPages) {
    if (bytes.size() < 16) return std::nullopt;  // the longest signature Leptonica checks
    ImageHeader header;
    if (findFileFormatBuffer(bytes.data(), &header.format) != 0) return std::nullopt;
    const int f = header.format;
    if (f == IFF_GIF || f == IFF_BMP) {
        auto size = f == IFF_GIF ? readGifSize(bytes) : readBmpSize(bytes);
        if (!size) return std::nullopt;
        header.pages.push_back(*size);
        return header;
    }
    if (L_FORMAT_IS_TIFF(f)) {
        for (uint32_t n = 0; n <= maxPages; ++n) {
            l_int32 w = 0, h = 0, bps = 0, spp = 0, res = 0, cmap = 0, format = 0;
            if (readHeaderMemTiff(bytes.data(), bytes.size(), static_cast<l_int32>(n), &w, &h, &bps,
                                  &spp, &res, &cmap, &format) != 0)
                break;
            if (w <= 0 || h <= 0) return std::nullopt;
            header.pages.push_back({static_cast<uint32_t>(w), static_cast<uint32_t>(h), 0});
        }
        if (header.pages.empty()) return std::nullopt;
        return header;
    }
    if (f != IFF_JFIF_JPEG && f != IFF_PNG && f != IFF_WEBP) return std::nullopt;
    l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
    if (pixReadHeaderMem(bytes.data(), bytes.size(), &format, &w, &h, &bps, &spp, &cmap) != 0 ||
        w <= 0 || h <= 0)
        return std::nullopt;
    header.pages.push_back({static_cast<uint32_t>(w), static_cast<uint32_t>(h), 0});
    return header;
}

}  // namespace saksi::decode_image
