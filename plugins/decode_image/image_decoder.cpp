#include "image_decoder.hpp"

#include "image_header.hpp"
#include "orientation.hpp"
#include "pix_ptr.hpp"

#include <saksi/sdk/document.hpp>

#include <cmath>
#include <string>

namespace saksi::decode_image {
namespace {

using saksi::sdk::Error;

constexpr l_int32 kMinPlausibleDpi = 50;
constexpr l_int32 kMaxPlausibleDpi = 4800;

bool plausible(l_int32 dpi) {
    return dpi >= kMinPlausibleDpi && dpi <= kMaxPlausibleDpi;
}

std::string pageName(std::size_t index, std::size_t count) {
    return count > 1 ? "page " + std::to_string(index + 1) : "the image";
}

std::string capitalized(std::string text) {
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z')
        text[0] = static_cast<char>(text[0] - 32);
    return text;
}

// Stretches a page whose pixels are not square (fax modes: 204 x 98 dpi) so
// that text keeps its shape for OCR. Returns null when nothing needs doing.
PixPtr squarePixels(PIX* pix, uint64_t maxPixels) {
    l_int32 xres = 0, yres = 0;
    pixGetResolution(pix, &xres, &yres);
    if (!plausible(xres) || !plausible(yres)) return nullptr;
    const double ratio = static_cast<double>(xres) / yres;  // vertical stretch
    if (ratio > 1.0 / 1.1 && ratio < 1.1) return nullptr;
    if (ratio < 0.25 || ratio > 4.0) return nullptr;  // not a real scanner mode
    const double height = std::ceil(pixGetHeight(pix) * ratio);
    if (height * pixGetWidth(pix) > static_cast<double>(maxPixels)) return nullptr;
    PixPtr scaled(pixScale(pix, 1.0f, static_cast<l_float32>(ratio)));
    if (scaled) pixSetResolution(scaled.get(), xres, xres);
    return scaled;
}

}  // namespace

uint32_t chooseDpi(l_int32 xres, l_int32 yres, uint32_t defaultDpi) {
    if (plausible(xres)) return static_cast<uint32_t>(xres);
    if (plausible(yres)) return static_cast<uint32_t>(yres);
    return defaultDpi;
}

void decodeImage(std::span<const uint8_t> bytes, const DecodeOptions& options,
                 const std::function<void(DecodedPage&&)>& onPage) {
    if (bytes.empty())
        throw Error("image.decode_failed",
                    "The file is empty; check that it was copied completely and submit it again.");
    const auto header = readImageHeader(bytes, options.maxPages);
    if (!header) {
        l_int32 format = IFF_UNKNOWN;
        if (bytes.size() >= 16) findFileFormatBuffer(bytes.data(), &format);
        if (format == IFF_UNKNOWN || format == IFF_PS || format == IFF_LPDF || format == IFF_SPIX ||
            format == IFF_PNM || format == IFF_JP2)
            throw Error("image.unsupported_format",
                        "The file is not a PNG, JPEG, TIFF, BMP, GIF or WebP image; check its "
                        "type, or convert it to one of those.");
        throw Error("image.decode_failed",
                    "The image header is damaged or truncated; re-export or re-scan the original.");
    }
    const std::size_t pageCount = header->pages.size();
    if (pageCount > options.maxPages)
        throw Error("image.too_many_pages",
                    "The image has more than " + std::to_string(options.maxPages) +
                        " pages; split it, or raise decode.image max_pages if this is expected.");
    for (std::size_t i = 0; i < pageCount; ++i) {
        const PageSize& size = header->pages[i];
        if (size.cost() > options.maxPixels)
            throw Error("image.too_large",
                        capitalized(pageName(i, pageCount)) + " needs " +
                            std::to_string(size.cost()) + " pixels (" + std::to_string(size.width) +
                            " x " + std::to_string(size.height) + "), more than max_pixels " +
                            std::to_string(options.maxPixels) +
                            "; raise decode.image max_pixels if the file is trusted.");
    }

    // Leptonica decodes only the first frame of a GIF: the others (a phone
    // number, a NIK on frame 2) would be lost behind an "ok".
    if (header->format == IFF_GIF && header->pages.front().frames > 1)
        throw Error("image.multi_frame",
                    "The GIF has " + std::to_string(header->pages.front().frames) +
                        " frames and only the first can be decoded; export each frame as a "
                        "PNG (e.g. `convert in.gif frame-%d.png`) and process those.");
    const bool isTiff = L_FORMAT_IS_TIFF(header->format);
    const int orientation = header->format == IFF_JFIF_JPEG ? exifOrientation(bytes) : 1;
    std::size_t tiffOffset = 0;
    for (std::size_t i = 0; i < pageCount; ++i) {
        PixPtr pix(isTiff ? pixReadMemFromMultipageTiff(bytes.data(), bytes.size(), &tiffOffset)
                          : pixReadMem(bytes.data(), bytes.size()));
        if (!pix)
            throw Error("image.decode_failed",
                        "Could not decode " + pageName(i, pageCount) +
                            ": the data is damaged or uses an unsupported encoding; re-export or "
                            "re-scan the original.");
        // The header promised this size; a decoder that disagrees is not trusted.
        const PageSize& size = header->pages[i];
        if (static_cast<uint32_t>(pixGetWidth(pix.get())) != size.width ||
            static_cast<uint32_t>(pixGetHeight(pix.get())) != size.height)
            throw Error("image.decode_failed",
                        capitalized(pageName(i, pageCount)) +
                            " decodes to a different size than its header says; the file is "
                            "damaged, re-export it.");

        l_int32 xres = 0, yres = 0;
        pixGetResolution(pix.get(), &xres, &yres);
        if (PixPtr squared = squarePixels(pix.get(), options.maxPixels)) {
            pix = std::move(squared);
            yres = xres;
        }
        if (orientation != 1) {
            PixPtr upright = applyOrientation(pix.get(), orientation);
            if (!upright)
                throw Error("image.decode_failed",
                            "Could not apply the EXIF orientation; re-export the image upright.");
            pix = std::move(upright);
        }
        DecodedPage page;
        page.dpi = chooseDpi(xres, yres, options.defaultDpi);
        if (!toPixelBuffer(pix.get(), page.image))
            throw Error("image.decode_failed",
                        "Could not convert " + pageName(i, pageCount) +
                            " to gray or RGB pixels; re-export it as an 8-bit PNG or JPEG.");
        pix.reset();  // free Leptonica's copy before the host makes its own
        onPage(std::move(page));
        if (isTiff && tiffOffset == 0 && i + 1 < pageCount)
            throw Error("image.decode_failed",
                        "The TIFF ends after page " + std::to_string(i + 1) +
                            " although its header lists more; the file is damaged.");
    }
}

}  // namespace saksi::decode_image
