#include "gray_image.hpp"

namespace saksi::preprocess {

namespace {

// Fills an 8-bit Pix from rows of BytesPerPixel-byte pixels. Leptonica keeps
// pixels in 32-bit words, most significant byte first within each word
// whatever the machine's byte order, so words are assembled by value.
template <uint32_t BytesPerPixel>
void fillGray(const saksi::sdk::ImageView& image, PIX* pix) {
    l_uint32* data = pixGetData(pix);
    const auto wpl = static_cast<std::size_t>(pixGetWpl(pix));
    const uint32_t width = image.width;
    for (uint32_t y = 0; y < image.height; ++y) {
        const uint8_t* row = image.pixels + static_cast<std::size_t>(y) * image.stride;
        l_uint32* line = data + y * wpl;
        uint32_t word = 0;
        for (uint32_t x = 0; x < width; ++x) {
            uint32_t gray;
            if constexpr (BytesPerPixel == 1) {
                gray = row[x];
            } else {
                const uint8_t* p = row + static_cast<std::size_t>(x) * BytesPerPixel;
                // Fixed-point BT.601 luma; the weights sum to 1024.
                gray = (306u * p[0] + 601u * p[1] + 117u * p[2] + 512u) >> 10;
            }
            word = (word << 8) | gray;
            if ((x & 3) == 3) {
                line[x >> 2] = word;
                word = 0;
            }
        }
        if (width & 3) line[width >> 2] = word << (8 * (4 - (width & 3)));
    }
}

}  // namespace

PixPtr grayPixFromView(const saksi::sdk::ImageView& image) {
    const uint32_t bpp = saksi::sdk::ImageView::bytesPerPixel(image.format);
    if (image.format != SAKSI_PIXEL_GRAY8 && image.format != SAKSI_PIXEL_RGB24 &&
        image.format != SAKSI_PIXEL_RGBA32)
        return nullptr;
    if (!image.pixels || image.width == 0 || image.height == 0 ||
        image.stride < uint64_t{image.width} * bpp || image.width > INT32_MAX / 4 ||
        image.height > INT32_MAX)
        return nullptr;
    PixPtr pix(
        pixCreateNoInit(static_cast<l_int32>(image.width), static_cast<l_int32>(image.height), 8));
    if (!pix) return nullptr;
    pixSetResolution(pix.get(), static_cast<l_int32>(image.dpi), static_cast<l_int32>(image.dpi));
    if (bpp == 1)
        fillGray<1>(image, pix.get());
    else if (bpp == 3)
        fillGray<3>(image, pix.get());
    else
        fillGray<4>(image, pix.get());
    return pix;
}

std::vector<uint8_t> grayBytesFromPix(PIX* pix) {
    const auto width = static_cast<uint32_t>(pixGetWidth(pix));
    const auto height = static_cast<uint32_t>(pixGetHeight(pix));
    std::vector<uint8_t> bytes(static_cast<std::size_t>(width) * height);
    const l_uint32* data = pixGetData(pix);
    const auto wpl = static_cast<std::size_t>(pixGetWpl(pix));
    for (uint32_t y = 0; y < height; ++y) {
        const l_uint32* line = data + y * wpl;
        uint8_t* row = bytes.data() + static_cast<std::size_t>(y) * width;
        for (uint32_t x = 0; x < width; ++x)
            row[x] = static_cast<uint8_t>(line[x >> 2] >> (24 - 8 * (x & 3)));
    }
    return bytes;
}

}  // namespace saksi::preprocess
