#include "burned_page.hpp"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <stdexcept>

namespace saksi::redact {
namespace {

struct PixDeleter {
    void operator()(PIX* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

constexpr int32_t kBlock = 8;  // JPEG DCT block size

}  // namespace

saksi_box pageBoxToImage(const saksi_box& box, const PageFrame& f) {
    // The inverse of the host's working -> page mapping (document.cpp).
    const double theta = f.rotationDeg * std::numbers::pi / 180.0;
    const double c = std::cos(theta), s = std::sin(theta);
    double x0 = f.imageWidth, y0 = f.imageHeight, x1 = 0, y1 = 0;
    for (auto [px, py] :
         {std::pair{box.x0, box.y0}, {box.x1, box.y0}, {box.x0, box.y1}, {box.x1, box.y1}}) {
        const double u = (px - f.pageWidth / 2.0) * f.scale;
        const double v = (py - f.pageHeight / 2.0) * f.scale;
        const double x = f.imageWidth / 2.0 + u * c - v * s;
        const double y = f.imageHeight / 2.0 + u * s + v * c;
        x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
    }
    auto clampTo = [](double v, uint32_t limit) {
        return static_cast<int32_t>(std::clamp(v, 0.0, static_cast<double>(limit)));
    };
    return {clampTo(std::floor(x0), f.imageWidth), clampTo(std::floor(y0), f.imageHeight),
            clampTo(std::ceil(x1), f.imageWidth), clampTo(std::ceil(y1), f.imageHeight)};
}

sdk::ImageView BurnedPage::view() const {
    return {
        width, height,        decodedStride, rgb ? uint32_t{SAKSI_PIXEL_RGB24} : SAKSI_PIXEL_GRAY8,
        0,     decoded.data()};
}

BurnedPage burnPage(const sdk::ImageView& image, const std::vector<saksi_box>& boxes, int quality) {
    if (!image.pixels || image.width == 0 || image.height == 0)
        throw std::invalid_argument("page image is empty");
    BurnedPage out;
    out.width = image.width;
    out.height = image.height;
    out.rgb = image.format != SAKSI_PIXEL_GRAY8;
    const uint32_t bpp = sdk::ImageView::bytesPerPixel(image.format);
    PixPtr pix(pixCreate(static_cast<l_int32>(image.width), static_cast<l_int32>(image.height),
                         out.rgb ? 32 : 8));
    if (!pix) throw std::runtime_error("cannot allocate the page image");
    l_uint32* data = pixGetData(pix.get());
    const l_int32 wpl = pixGetWpl(pix.get());
    for (uint32_t y = 0; y < image.height; ++y) {
        const uint8_t* row = image.pixels + std::size_t(y) * image.stride;
        l_uint32* line = data + std::size_t(y) * wpl;
        for (uint32_t x = 0; x < image.width; ++x) {
            if (out.rgb) {
                const uint8_t* p = row + std::size_t(x) * bpp;
                composeRGBPixel(p[0], p[1], p[2], line + x);
            } else {
                SET_DATA_BYTE(line, x, row[x]);
            }
        }
    }
    // Overwrite the pixels under each box: the black stays in the image data.
    // Boxes grow to whole 8x8 JPEG blocks, so no block mixes black with
    // content and the decoded box is one flat black, not ringing.
    const auto w = static_cast<int32_t>(image.width), h = static_cast<int32_t>(image.height);
    for (saksi_box b : boxes) {
        b.x0 = std::clamp(b.x0 / kBlock * kBlock, 0, w);
        b.y0 = std::clamp(b.y0 / kBlock * kBlock, 0, h);
        b.x1 = std::clamp((b.x1 + kBlock - 1) / kBlock * kBlock, 0, w);
        b.y1 = std::clamp((b.y1 + kBlock - 1) / kBlock * kBlock, 0, h);
        if (b.x1 <= b.x0 || b.y1 <= b.y0) continue;
        BOX* box = boxCreate(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
        pixClearInRect(pix.get(), box);
        boxDestroy(&box);
        out.boxes.push_back(b);
    }
    if (out.rgb) pixSetChromaSampling(pix.get(), 0);  // 4:4:4: blocks do not bleed colour
    l_uint8* jpeg = nullptr;
    size_t size = 0;
    if (pixWriteMemJpeg(&jpeg, &size, pix.get(), quality, 0) != 0 || !jpeg)
        throw std::runtime_error("cannot encode the redacted page as JPEG");
    out.jpeg.assign(reinterpret_cast<const char*>(jpeg), size);
    lept_free(jpeg);

    l_int32 warning = 0;
    PixPtr back(pixReadMemJpeg(reinterpret_cast<const l_uint8*>(out.jpeg.data()), out.jpeg.size(),
                               0, 1, &warning, 0));
    if (!back || pixGetWidth(back.get()) != static_cast<l_int32>(out.width) ||
        pixGetHeight(back.get()) != static_cast<l_int32>(out.height))
        throw std::runtime_error("cannot decode the redacted page's JPEG again");
    const bool backRgb = pixGetDepth(back.get()) == 32;
    out.rgb = backRgb;
    out.decodedStride = out.width * (backRgb ? 3 : 1);
    out.decoded.resize(std::size_t(out.decodedStride) * out.height);
    const l_uint32* bdata = pixGetData(back.get());
    const l_int32 bwpl = pixGetWpl(back.get());
    for (uint32_t y = 0; y < out.height; ++y) {
        const l_uint32* line = bdata + std::size_t(y) * bwpl;
        uint8_t* dst = out.decoded.data() + std::size_t(y) * out.decodedStride;
        for (uint32_t x = 0; x < out.width; ++x) {
            if (backRgb) {
                l_int32 r = 0, g = 0, bl = 0;
                extractRGBValues(line[x], &r, &g, &bl);
                uint8_t* px = dst + std::size_t{3} * x;
                px[0] = static_cast<uint8_t>(r);
                px[1] = static_cast<uint8_t>(g);
                px[2] = static_cast<uint8_t>(bl);
            } else {
                dst[x] = static_cast<uint8_t>(GET_DATA_BYTE(line, x));
            }
        }
    }
    return out;
}

}  // namespace saksi::redact
