// Unit tests for the decode_image plugin's logic (no host needed).
#include "image_decoder.hpp"
#include "image_header.hpp"
#include "orientation.hpp"
#include "pix_ptr.hpp"
#include "pixel_buffer.hpp"

#include <saksi/sdk/document.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace saksi::decode_image {
namespace {

using Bytes = std::vector<uint8_t>;

// Encodes a Pix with one of Leptonica's in-memory writers.
Bytes encode(const std::function<l_ok(l_uint8**, size_t*)>& write) {
    l_uint8* data = nullptr;
    size_t size = 0;
    EXPECT_EQ(write(&data, &size), 0);
    Bytes bytes(data, data + size);
    lept_free(data);
    return bytes;
}

Bytes encode(PIX* pix, l_int32 format) {
    return encode([pix, format](l_uint8** d, size_t* s) { return pixWriteMem(d, s, pix, format); });
}

// A w x h 8-bit image whose pixel (x, y) is 10 * y + x, so every pixel is distinct.
PixPtr numbered(int w, int h) {
    PixPtr pix(pixCreate(w, h, 8));
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) pixSetPixel(pix.get(), x, y, static_cast<l_uint32>(10 * y + x));
    return pix;
}

// A gray page with a black square in its top-left quarter, to see orientation.
PixPtr markedPage(int w, int h) {
    PixPtr pix(pixCreate(w, h, 8));
    pixSetAllArbitrary(pix.get(), 255);
    for (int y = 0; y < h / 4; ++y)
        for (int x = 0; x < w / 4; ++x) pixSetPixel(pix.get(), x, y, 0);
    return pix;
}

// An APP1 EXIF segment holding only IFD0 with an Orientation tag.
Bytes exifSegment(uint16_t orientation, bool bigEndian) {
    auto u16 = [bigEndian](Bytes& b, uint16_t v) {
        if (bigEndian) {
            b.push_back(static_cast<uint8_t>(v >> 8));
            b.push_back(static_cast<uint8_t>(v));
        } else {
            b.push_back(static_cast<uint8_t>(v));
            b.push_back(static_cast<uint8_t>(v >> 8));
        }
    };
    auto u32 = [&u16, bigEndian](Bytes& b, uint32_t v) {
        u16(b, static_cast<uint16_t>(bigEndian ? v >> 16 : v));
        u16(b, static_cast<uint16_t>(bigEndian ? v : v >> 16));
    };
    Bytes tiff;
    tiff.push_back(bigEndian ? 'M' : 'I');
    tiff.push_back(bigEndian ? 'M' : 'I');
    u16(tiff, 42);
    u32(tiff, 8);       // IFD0 offset
    u16(tiff, 1);       // one entry
    u16(tiff, 0x0112);  // Orientation
    u16(tiff, 3);       // SHORT
    u32(tiff, 1);       // one component
    u16(tiff, orientation);
    u16(tiff, 0);  // padding of the 4-byte value field
    u32(tiff, 0);  // no next IFD
    Bytes segment = {0xFF, 0xE1};
    const std::size_t length = 2 + 6 + tiff.size();
    segment.push_back(static_cast<uint8_t>(length >> 8));
    segment.push_back(static_cast<uint8_t>(length));
    for (char c : std::string("Exif\0\0", 6)) segment.push_back(static_cast<uint8_t>(c));
    segment.insert(segment.end(), tiff.begin(), tiff.end());
    return segment;
}

Bytes jpegWithOrientation(PIX* pix, uint16_t orientation, bool bigEndian = false) {
    Bytes jpeg =
        encode([pix](l_uint8** d, size_t* s) { return pixWriteMemJpeg(d, s, pix, 95, 0); });
    const Bytes app1 = exifSegment(orientation, bigEndian);
    jpeg.insert(jpeg.begin() + 2, app1.begin(), app1.end());  // right after SOI
    return jpeg;
}

std::vector<DecodedPage> decodeAll(const Bytes& bytes, const DecodeOptions& options = {}) {
    std::vector<DecodedPage> pages;
    decodeImage(bytes, options, [&pages](DecodedPage&& p) { pages.push_back(std::move(p)); });
    return pages;
}

std::string errorCode(const Bytes& bytes, const DecodeOptions& options = {}) {
    try {
        decodeAll(bytes, options);
    } catch (const saksi::sdk::Error& e) {
        return e.code();
    }
    return "";
}

uint8_t grayAt(const PixelBuffer& b, uint32_t x, uint32_t y) {
    return b.pixels[static_cast<std::size_t>(y) * b.stride + x];
}

// ---- pixel conversion -------------------------------------------------------

TEST(PixelBuffer, OneBitBecomesBlackOnWhite) {
    PixPtr pix(pixCreate(5, 3, 1));
    pixSetPixel(pix.get(), 2, 1, 1);  // Leptonica 1 bpp: 1 is black
    PixelBuffer out;
    ASSERT_TRUE(toPixelBuffer(pix.get(), out));
    EXPECT_EQ(out.format, static_cast<uint32_t>(SAKSI_PIXEL_GRAY8));
    EXPECT_EQ(out.width, 5u);
    EXPECT_EQ(out.stride, 5u);
    EXPECT_EQ(grayAt(out, 2, 1), 0);
    EXPECT_EQ(grayAt(out, 0, 0), 255);
    EXPECT_EQ(grayAt(out, 4, 2), 255);
}

TEST(PixelBuffer, EightBitKeepsByteOrderAcrossWords) {
    PixPtr pix = numbered(7, 3);  // 7 pixels: two words, the second partly used
    PixelBuffer out;
    ASSERT_TRUE(toPixelBuffer(pix.get(), out));
    for (uint32_t y = 0; y < 3; ++y)
        for (uint32_t x = 0; x < 7; ++x) EXPECT_EQ(grayAt(out, x, y), 10 * y + x);
}

TEST(PixelBuffer, SixteenBitKeepsHighByte) {
    PixPtr pix(pixCreate(2, 1, 16));
    pixSetPixel(pix.get(), 0, 0, 0xABCD);
    pixSetPixel(pix.get(), 1, 0, 0x00FF);
    PixelBuffer out;
    ASSERT_TRUE(toPixelBuffer(pix.get(), out));
    EXPECT_EQ(out.format, static_cast<uint32_t>(SAKSI_PIXEL_GRAY8));
    EXPECT_EQ(grayAt(out, 0, 0), 0xAB);
    EXPECT_EQ(grayAt(out, 1, 0), 0x00);
}

TEST(PixelBuffer, FourBitGrayIsStretchedToEightBits) {
    PixPtr pix(pixCreate(2, 1, 4));
    pixSetPixel(pix.get(), 0, 0, 0);
    pixSetPixel(pix.get(), 1, 0, 15);
    PixelBuffer out;
    ASSERT_TRUE(toPixelBuffer(pix.get(), out));
    EXPECT_EQ(grayAt(out, 0, 0), 0);
    EXPECT_EQ(grayAt(out, 1, 0), 255);
}

TEST(PixelBuffer, RgbIsPackedRedGreenBlue) {
    PixPtr pix(pixCreate(3, 2, 32));
    pixSetRGBPixel(pix.get(), 1, 1, 10, 20, 30);
    PixelBuffer out;
    ASSERT_TRUE(toPixelBuffer(pix.get(), out));
    EXPECT_EQ(out.format, static_cast<uint32_t>(SAKSI_PIXEL_RGB24));
    EXPECT_EQ(out.stride, 9u);
    const uint8_t* p = out.pixels.data() + 1 * out.stride + 3 * 1;
    EXPECT_EQ(p[0], 10);
    EXPECT_EQ(p[1], 20);
    EXPECT_EQ(p[2], 30);
}

TEST(PixelBuffer, ColorPaletteBecomesRgbAndGrayPaletteGray) {
    PixPtr color(pixCreate(2, 1, 8));
    PIXCMAP* cmap = pixcmapCreate(8);
    pixcmapAddColor(cmap, 255, 0, 0);
    pixcmapAddColor(cmap, 0, 0, 255);
    pixSetColormap(color.get(), cmap);
    pixSetPixel(color.get(), 1, 0, 1);
    PixelBuffer out;
    ASSERT_TRUE(toPixelBuffer(color.get(), out));
    EXPECT_EQ(out.format, static_cast<uint32_t>(SAKSI_PIXEL_RGB24));
    EXPECT_EQ(out.pixels[0], 255);
    EXPECT_EQ(out.pixels[5], 255);

    PixPtr gray(pixCreate(2, 1, 2));
    PIXCMAP* grayMap = pixcmapCreate(2);
    pixcmapAddColor(grayMap, 200, 200, 200);
    pixcmapAddColor(grayMap, 40, 40, 40);
    pixSetColormap(gray.get(), grayMap);
    pixSetPixel(gray.get(), 1, 0, 1);
    ASSERT_TRUE(toPixelBuffer(gray.get(), out));
    EXPECT_EQ(out.format, static_cast<uint32_t>(SAKSI_PIXEL_GRAY8));
    EXPECT_EQ(grayAt(out, 0, 0), 200);
    EXPECT_EQ(grayAt(out, 1, 0), 40);
}

TEST(PixelBuffer, TransparentPixelsShowWhite) {
    PixPtr pix(pixCreate(2, 1, 32));
    pixSetSpp(pix.get(), 4);
    l_uint32 opaqueRed = 0, clear = 0;
    composeRGBAPixel(255, 0, 0, 255, &opaqueRed);
    composeRGBAPixel(0, 0, 0, 0, &clear);
    pixSetPixel(pix.get(), 0, 0, opaqueRed);
    pixSetPixel(pix.get(), 1, 0, clear);
    PixelBuffer out;
    ASSERT_TRUE(toPixelBuffer(pix.get(), out));
    EXPECT_EQ(out.format, static_cast<uint32_t>(SAKSI_PIXEL_RGB24));
    EXPECT_EQ((Bytes{out.pixels.begin(), out.pixels.end()}), (Bytes{255, 0, 0, 255, 255, 255}));
}

// ---- orientation ------------------------------------------------------------

TEST(Orientation, EachTagMapsPixelsAsExifDefines) {
    const int w = 3, h = 2;
    PixPtr pix = numbered(w, h);
    // Where stored pixel (x, y) is displayed, for each orientation.
    struct Case {
        int tag;
        int outW, outH;
        std::function<std::pair<int, int>(int, int)> to;
    };
    const std::vector<Case> cases = {
        {1, w, h,
         [](int x, int y) {
             return std::pair{x, y};
         }},
        {2, w, h,
         [](int x, int y) {
             return std::pair{w - 1 - x, y};
         }},
        {3, w, h,
         [](int x, int y) {
             return std::pair{w - 1 - x, h - 1 - y};
         }},
        {4, w, h,
         [](int x, int y) {
             return std::pair{x, h - 1 - y};
         }},
        {5, h, w,
         [](int x, int y) {
             return std::pair{y, x};
         }},
        {6, h, w,
         [](int x, int y) {
             return std::pair{h - 1 - y, x};
         }},
        {7, h, w,
         [](int x, int y) {
             return std::pair{h - 1 - y, w - 1 - x};
         }},
        {8, h, w,
         [](int x, int y) {
             return std::pair{y, w - 1 - x};
         }},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE("orientation " + std::to_string(c.tag));
        PixPtr out = applyOrientation(pix.get(), c.tag);
        ASSERT_TRUE(out);
        ASSERT_EQ(pixGetWidth(out.get()), c.outW);
        ASSERT_EQ(pixGetHeight(out.get()), c.outH);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const auto [dx, dy] = c.to(x, y);
                l_uint32 value = 0;
                pixGetPixel(out.get(), dx, dy, &value);
                EXPECT_EQ(value, static_cast<l_uint32>(10 * y + x)) << "stored " << x << "," << y;
            }
    }
}

TEST(Orientation, ReadsTagFromJpegInBothByteOrders) {
    PixPtr pix = markedPage(16, 8);
    for (uint16_t tag = 1; tag <= 8; ++tag) {
        EXPECT_EQ(exifOrientation(jpegWithOrientation(pix.get(), tag, false)), tag);
        EXPECT_EQ(exifOrientation(jpegWithOrientation(pix.get(), tag, true)), tag);
    }
}

TEST(Orientation, MissingOrInvalidTagMeansUpright) {
    PixPtr pix = markedPage(16, 8);
    EXPECT_EQ(exifOrientation(encode(pix.get(), IFF_JFIF_JPEG)), 1);
    EXPECT_EQ(exifOrientation(jpegWithOrientation(pix.get(), 9)), 1);
    EXPECT_EQ(exifOrientation(jpegWithOrientation(pix.get(), 0)), 1);
    Bytes truncated = jpegWithOrientation(pix.get(), 6);
    truncated.resize(20);  // cut inside the EXIF segment
    EXPECT_EQ(exifOrientation(truncated), 1);
    EXPECT_EQ(exifOrientation(Bytes{0xFF, 0xD8}), 1);
    EXPECT_EQ(exifOrientation(Bytes{}), 1);
}

// ---- headers ----------------------------------------------------------------

TEST(ImageHeader, SizesGifAndBmpWithoutDecoding) {
    PixPtr pix = markedPage(37, 21);
    const auto gif = readGifSize(encode(pix.get(), IFF_GIF));
    ASSERT_TRUE(gif);
    EXPECT_EQ(gif->width, 37u);
    EXPECT_EQ(gif->height, 21u);
    const auto bmp = readBmpSize(encode(pix.get(), IFF_BMP));
    ASSERT_TRUE(bmp);
    EXPECT_EQ(bmp->width, 37u);
    EXPECT_EQ(bmp->height, 21u);
    EXPECT_FALSE(readGifSize(Bytes{'G', 'I', 'F', '8', '9', 'a'}));
    EXPECT_FALSE(readBmpSize(Bytes{'B', 'M', 0, 0}));
}

TEST(ImageHeader, GifCountsEveryFrameItWouldDecode) {
    // GIF89a, 1x1 screen, no colour table, then two 60000x60000 frames whose
    // data is a single empty sub-block: small file, enormous decode.
    Bytes gif = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0};
    for (int frame = 0; frame < 2; ++frame) {
        const Bytes descriptor = {0x2C, 0, 0, 0, 0, 0x60, 0xEA, 0x60, 0xEA, 0, 2, 0};
        gif.insert(gif.end(), descriptor.begin(), descriptor.end());
    }
    gif.push_back(0x3B);
    const auto size = readGifSize(gif);
    ASSERT_TRUE(size);
    EXPECT_EQ(size->width, 60000u);
    EXPECT_EQ(size->cost(), 2ull * 60000 * 60000);
    EXPECT_EQ(errorCode(gif), "image.too_large");
}

TEST(ImageHeader, CountsTiffPagesUpToTheLimit) {
    PixPtr a = markedPage(20, 10), b = markedPage(30, 15), c = markedPage(40, 20);
    PIXA* pixa = pixaCreate(3);
    pixaAddPix(pixa, a.get(), L_COPY);
    pixaAddPix(pixa, b.get(), L_COPY);
    pixaAddPix(pixa, c.get(), L_COPY);
    const Bytes tiff =
        encode([pixa](l_uint8** d, size_t* s) { return pixaWriteMemMultipageTiff(d, s, pixa); });
    pixaDestroy(&pixa);
    const auto all = readImageHeader(tiff, 10);
    ASSERT_TRUE(all);
    ASSERT_EQ(all->pages.size(), 3u);
    EXPECT_EQ(all->pages[2].width, 40u);
    const auto capped = readImageHeader(tiff, 1);
    ASSERT_TRUE(capped);
    EXPECT_EQ(capped->pages.size(), 2u);  // limit + 1: enough to refuse
}

// ---- whole decode -------------------------------------------------------------

TEST(DecodeImage, EveryFormatRoundTrips) {
    PixPtr page = markedPage(64, 32);
    const std::vector<std::pair<const char*, Bytes>> files = {
        {"png", encode(page.get(), IFF_PNG)},
        {"jpeg", encode(page.get(), IFF_JFIF_JPEG)},
        {"tiff", encode(page.get(), IFF_TIFF_ZIP)},
        {"bmp", encode(page.get(), IFF_BMP)},
        {"gif", encode(page.get(), IFF_GIF)},
        {"webp", encode([&page](l_uint8** d, size_t* s) {
             return pixWriteMemWebP(d, s, page.get(), 90, 1);
         })},
    };
    for (const auto& [name, bytes] : files) {
        SCOPED_TRACE(name);
        const auto pages = decodeAll(bytes);
        ASSERT_EQ(pages.size(), 1u);
        const PixelBuffer& image = pages[0].image;
        ASSERT_EQ(image.width, 64u);
        ASSERT_EQ(image.height, 32u);
        const uint32_t bpp = image.format == SAKSI_PIXEL_RGB24 ? 3 : 1;
        EXPECT_LT(image.pixels[0], 40) << "top-left is black";
        EXPECT_GT(image.pixels[static_cast<std::size_t>(31) * image.stride + 63 * bpp], 215)
            << "bottom-right is white";
    }
}

TEST(DecodeImage, JpegIsTurnedUprightByExif) {
    // Stored sideways: the mark is at the top-left of a 32x64 image, and
    // orientation 6 says "rotate clockwise to view": it ends up top-right.
    PixPtr stored = markedPage(32, 64);
    const auto pages = decodeAll(jpegWithOrientation(stored.get(), 6));
    ASSERT_EQ(pages.size(), 1u);
    const PixelBuffer& image = pages[0].image;
    EXPECT_EQ(image.width, 64u);
    EXPECT_EQ(image.height, 32u);
    EXPECT_LT(grayAt(image, 60, 2), 40);
    EXPECT_GT(grayAt(image, 2, 2), 215);
}

TEST(DecodeImage, MultiPageTiffGivesEveryPage) {
    PIXA* pixa = pixaCreate(3);
    for (int i = 1; i <= 3; ++i) {
        PixPtr page = markedPage(10 * i, 10);
        pixaAddPix(pixa, page.get(), L_COPY);
    }
    const Bytes tiff =
        encode([pixa](l_uint8** d, size_t* s) { return pixaWriteMemMultipageTiff(d, s, pixa); });
    pixaDestroy(&pixa);
    const auto pages = decodeAll(tiff);
    ASSERT_EQ(pages.size(), 3u);
    for (uint32_t i = 0; i < 3; ++i) EXPECT_EQ(pages[i].image.width, 10 * (i + 1));
    EXPECT_EQ(errorCode(tiff, {.maxPixels = 1'000'000, .maxPages = 2, .defaultDpi = 300}),
              "image.too_many_pages");
}

TEST(DecodeImage, ResolutionFromFileOrDefault) {
    PixPtr page = markedPage(40, 20);
    pixSetResolution(page.get(), 200, 200);
    EXPECT_EQ(decodeAll(encode(page.get(), IFF_PNG))[0].dpi, 200u);
    PixPtr unknown = markedPage(40, 20);  // a new Pix records no resolution
    EXPECT_EQ(decodeAll(encode(unknown.get(), IFF_PNG), {.defaultDpi = 240})[0].dpi, 240u);
    EXPECT_EQ(chooseDpi(1, 1, 300), 300u);
    EXPECT_EQ(chooseDpi(0, 150, 300), 150u);
    EXPECT_EQ(chooseDpi(100000, 0, 300), 300u);
}

TEST(DecodeImage, FaxPixelsAreMadeSquare) {
    PixPtr page = markedPage(200, 50);
    pixSetResolution(page.get(), 204, 98);
    const auto pages = decodeAll(encode(page.get(), IFF_TIFF_ZIP));
    ASSERT_EQ(pages.size(), 1u);
    EXPECT_EQ(pages[0].image.width, 200u);
    EXPECT_NEAR(pages[0].image.height, 104, 1);
    EXPECT_EQ(pages[0].dpi, 204u);
}

TEST(DecodeImage, RefusesLargePagesBeforeDecoding) {
    PixPtr page = markedPage(100, 100);
    for (const l_int32 format : {IFF_PNG, IFF_JFIF_JPEG, IFF_TIFF, IFF_BMP, IFF_GIF}) {
        SCOPED_TRACE(format);
        EXPECT_EQ(errorCode(encode(page.get(), format), {.maxPixels = 9999}), "image.too_large");
        EXPECT_EQ(errorCode(encode(page.get(), format), {.maxPixels = 10000}), "");
    }
}

TEST(DecodeImage, DamagedFilesFailWithCodes) {
    EXPECT_EQ(errorCode(Bytes{}), "image.decode_failed");
    EXPECT_EQ(errorCode(Bytes(100, 0x42)), "image.unsupported_format");
    const Bytes pdf = {'%', 'P',  'D',  'F',  '-',  '1',  '.', '4', '\n',
                       '%', 0xE2, 0xE3, 0xCF, 0xD3, '\n', '1', ' ', '0'};
    EXPECT_EQ(errorCode(pdf), "image.unsupported_format");
    PixPtr page = markedPage(300, 300);
    for (const l_int32 format : {IFF_PNG, IFF_JFIF_JPEG, IFF_TIFF_ZIP, IFF_GIF, IFF_BMP}) {
        SCOPED_TRACE(format);
        Bytes bytes = encode(page.get(), format);
        bytes.resize(bytes.size() / 3);
        const std::string code = errorCode(bytes);
        // libjpeg pads a truncated scan with gray rather than failing; that
        // page decodes, which is what every viewer shows as well.
        if (format != IFF_JFIF_JPEG) {
            EXPECT_EQ(code, "image.decode_failed");
        }
        Bytes header = encode(page.get(), format);
        header.resize(18);
        EXPECT_NE(errorCode(header), "");
    }
}

}  // namespace
}  // namespace saksi::decode_image
