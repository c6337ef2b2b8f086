// Unit tests for the preprocess plugin's logic (no host needed).
#include "gray_image.hpp"
#include "noise_guard.hpp"
#include "page_preprocessor.hpp"
#include "pix_ptr.hpp"
#include "text_height.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace saksi::preprocess {
namespace {

struct BmfDeleter {
    void operator()(L_BMF* bmf) const noexcept { bmfDestroy(&bmf); }
};

// A white 8-bit page with `lines` lines of black text in Leptonica's built-in
// bitmap font of `fontSize` (4..20), enlarged `zoom` times.
PixPtr textPage(int width, int height, int fontSize, int lines, double zoom = 1.0) {
    std::unique_ptr<L_BMF, BmfDeleter> bmf(bmfCreate(nullptr, fontSize));
    EXPECT_TRUE(bmf);
    PixPtr page(pixCreate(width, height, 8));
    pixSetAllArbitrary(page.get(), 255);
    const std::string text = "Perjanjian kerja antara pekerja dan majikan, gaji bulanan 4.500.000";
    const int lineHeight = bmf->lineheight + bmf->vertlinesep * 3;
    for (int i = 0; i < lines; ++i) {
        l_int32 drawn = 0, overflow = 0;
        pixSetTextline(page.get(), bmf.get(), text.c_str(), 0, 20,
                       20 + bmf->baselinetab[93] + i * lineHeight, &drawn, &overflow);
    }
    if (zoom == 1.0) return page;
    return PixPtr(
        pixScaleGrayLI(page.get(), static_cast<l_float32>(zoom), static_cast<l_float32>(zoom)));
}

PixPtr binaryOf(PIX* gray) {
    return PixPtr(pixThresholdToBinary(gray, 128));
}

l_uint32 pixelAt(PIX* pix, int x, int y) {
    l_uint32 value = 0;
    pixGetPixel(pix, x, y, &value);
    return value;
}

// ---- conversion ---------------------------------------------------------------

TEST(GrayImage, CopiesGrayRowsAcrossStrideAndOddWidths) {
    for (uint32_t width : {1u, 3u, 4u, 5u, 9u}) {
        SCOPED_TRACE(width);
        const uint32_t height = 3, stride = width + 7;
        std::vector<uint8_t> bytes(stride * height, 0xEE);
        for (uint32_t y = 0; y < height; ++y)
            for (uint32_t x = 0; x < width; ++x) bytes[y * stride + x] = uint8_t(20 * y + x);
        const saksi::sdk::ImageView view{width, height,      stride, SAKSI_PIXEL_GRAY8,
                                         300,   bytes.data()};
        PixPtr pix = grayPixFromView(view);
        ASSERT_TRUE(pix);
        EXPECT_EQ(pixGetXRes(pix.get()), 300);
        for (uint32_t y = 0; y < height; ++y)
            for (uint32_t x = 0; x < width; ++x)
                EXPECT_EQ(pixelAt(pix.get(), int(x), int(y)), 20 * y + x);
        const std::vector<uint8_t> back = grayBytesFromPix(pix.get());
        ASSERT_EQ(back.size(), size_t{width} * height);
        for (uint32_t y = 0; y < height; ++y)
            for (uint32_t x = 0; x < width; ++x)
                EXPECT_EQ(back[y * width + x], bytes[y * stride + x]);
    }
}

TEST(GrayImage, ColourBecomesLuminance) {
    const std::vector<uint8_t> rgb = {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0};
    PixPtr pix = grayPixFromView({5, 1, 15, SAKSI_PIXEL_RGB24, 0, rgb.data()});
    ASSERT_TRUE(pix);
    EXPECT_NEAR(pixelAt(pix.get(), 0, 0), 76, 1);
    EXPECT_NEAR(pixelAt(pix.get(), 1, 0), 150, 1);
    EXPECT_NEAR(pixelAt(pix.get(), 2, 0), 29, 1);
    EXPECT_EQ(pixelAt(pix.get(), 3, 0), 255u);
    EXPECT_EQ(pixelAt(pix.get(), 4, 0), 0u);

    const std::vector<uint8_t> rgba = {255, 255, 255, 0, 0, 0, 0, 255};
    pix = grayPixFromView({2, 1, 8, SAKSI_PIXEL_RGBA32, 0, rgba.data()});
    ASSERT_TRUE(pix);
    EXPECT_EQ(pixelAt(pix.get(), 0, 0), 255u);
    EXPECT_EQ(pixelAt(pix.get(), 1, 0), 0u);
}

TEST(GrayImage, RefusesBadViews) {
    const std::vector<uint8_t> bytes(64, 0);
    EXPECT_FALSE(grayPixFromView({4, 4, 4, 99, 0, bytes.data()}));
    EXPECT_FALSE(grayPixFromView({4, 4, 11, SAKSI_PIXEL_RGB24, 0, bytes.data()}));
    EXPECT_FALSE(grayPixFromView({0, 4, 4, SAKSI_PIXEL_GRAY8, 0, bytes.data()}));
    EXPECT_FALSE(grayPixFromView({4, 4, 4, SAKSI_PIXEL_GRAY8, 0, nullptr}));
}

// ---- measurements -------------------------------------------------------------

TEST(Otsu, SplitsTwoTones) {
    PixPtr pix(pixCreate(101, 50, 8));  // odd width: a partial last word
    pixSetAllArbitrary(pix.get(), 220);
    for (int y = 0; y < 50; ++y)
        for (int x = 0; x < 30; ++x) pixSetPixel(pix.get(), x, y, 30);
    const l_int32 threshold = otsuThreshold(pix.get());
    EXPECT_GT(threshold, 30);
    EXPECT_LE(threshold, 220);
}

TEST(TextHeight, FollowsTheSizeOfTheText) {
    PixPtr page = textPage(1400, 600, 10, 12);
    const auto base = estimateTextHeight(binaryOf(page.get()).get());
    ASSERT_TRUE(base);
    EXPECT_GT(base->pixels, 5);
    EXPECT_GT(base->components, 200u);
    for (double zoom : {2.0, 3.0}) {
        SCOPED_TRACE(zoom);
        PixPtr large = textPage(1400, 600, 10, 12, zoom);
        const auto height = estimateTextHeight(binaryOf(large.get()).get());
        ASSERT_TRUE(height);
        EXPECT_NEAR(height->pixels / base->pixels, zoom, 0.2 * zoom);
    }
}

TEST(TextHeight, NoTextNoEstimate) {
    PixPtr blank(pixCreate(800, 600, 1));
    EXPECT_FALSE(estimateTextHeight(blank.get()));
    // Random blotches of every size: not a text line's tidy heights.
    PixPtr blotches(pixCreate(800, 600, 1));
    std::mt19937 random(7);
    for (int i = 0; i < 300; ++i) {
        const int w = 3 + int(random() % 60), h = 3 + int(random() % 70);
        BOX* box = boxCreate(int(random() % 740), int(random() % 520), w, h);
        pixRenderBox(blotches.get(), box, 1, L_SET_PIXELS);
        boxDestroy(&box);
    }
    EXPECT_FALSE(estimateTextHeight(blotches.get()));
    EXPECT_FALSE(estimateTextHeight(nullptr));
}

TEST(ChooseScale, LeavesTextInRangeAndClamps) {
    PreprocessOptions options;
    options.targetTextHeight = 24;  // scale 0.5..3 by default
    EXPECT_EQ(chooseScale(24, 1'000'000, options), 1.0);
    EXPECT_EQ(chooseScale(20, 1'000'000, options), 1.0);
    EXPECT_EQ(chooseScale(45, 1'000'000, options), 1.0);
    EXPECT_EQ(chooseScale(0, 1'000'000, options), 1.0);
    EXPECT_NEAR(chooseScale(16, 1'000'000, options), 1.5, 1e-9);
    EXPECT_EQ(chooseScale(12, 1'000'000, options), 2.0);  // 2x exactly: fast path
    EXPECT_EQ(chooseScale(11, 1'000'000, options), 2.0);
    EXPECT_EQ(chooseScale(4, 1'000'000, options), 3.0);  // max_scale
    EXPECT_NEAR(chooseScale(60, 1'000'000, options), 0.5, 1e-9);
    EXPECT_EQ(chooseScale(200, 1'000'000, options), 0.5);  // min scale
    // The output-size cap: 50 Mpx x 4 would pass 100 Mpx.
    EXPECT_NEAR(chooseScale(8, 50'000'000, options), std::sqrt(2.0), 1e-9);
    EXPECT_EQ(chooseScale(8, 200'000'000, options), 1.0);
}

// ---- the whole page ---------------------------------------------------------

TEST(PreprocessPage, StraightensATiltedPage) {
    PixPtr page = textPage(1600, 1200, 20, 30);
    PixPtr tilted(
        pixRotate(page.get(), 2.0f * 3.14159265f / 180, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));
    PreprocessOptions options;
    options.targetTextHeight = 20;  // keep the size: only the skew is tested
    options.maxScale = 1.0;
    options.minScale = 1.0;
    PreprocessResult result = preprocessPage(tilted.get(), options);
    ASSERT_TRUE(result.skewDegrees);
    EXPECT_NEAR(std::abs(*result.skewDegrees), 2.0, 0.2);
    EXPECT_EQ(pixGetWidth(result.image.get()), 1600);
    EXPECT_EQ(pixGetHeight(result.image.get()), 1200);
    EXPECT_NE(result.note.find("deskewed"), std::string::npos);
    PixPtr binary = binaryOf(result.image.get());
    l_float32 angle = 0, confidence = 0;
    pixFindSkew(binary.get(), &angle, &confidence);
    EXPECT_NEAR(angle, 0.0, 0.2);

    options.deskew = false;
    EXPECT_FALSE(preprocessPage(tilted.get(), options).skewDegrees);
}

TEST(PreprocessPage, EnlargesSmallTextAndReportsTheScale) {
    PixPtr page = textPage(900, 500, 6, 20);
    const PreprocessResult result = preprocessPage(page.get(), PreprocessOptions{});
    ASSERT_TRUE(result.textHeight);
    EXPECT_GT(result.scale, 1.4);
    EXPECT_EQ(pixGetWidth(result.image.get()), std::lround(900 * result.scale));
    EXPECT_NE(result.note.find("scaled x"), std::string::npos);
    // After scaling, the text measures close to the target.
    const auto after = estimateTextHeight(binaryOf(result.image.get()).get());
    ASSERT_TRUE(after);
    EXPECT_GE(after->pixels, 0.8 * PreprocessOptions{}.targetTextHeight);
    EXPECT_LE(after->pixels, 2.0 * PreprocessOptions{}.targetTextHeight);
}

TEST(PreprocessPage, LeavesAGoodPageAlone) {
    PixPtr page = textPage(1600, 1200, 20, 30, 1.5);
    PreprocessOptions options;
    options.targetTextHeight = estimateTextHeight(binaryOf(page.get()).get())->pixels;
    const PreprocessResult result = preprocessPage(page.get(), options);
    EXPECT_EQ(result.scale, 1.0);
    EXPECT_FALSE(result.skewDegrees);
    EXPECT_EQ(result.note, "");
}

TEST(PreprocessPage, BinarizesToBlackAndWhite) {
    PixPtr page = textPage(800, 400, 14, 10);
    PreprocessOptions options;
    options.binarize = true;
    const PreprocessResult result = preprocessPage(page.get(), options);
    EXPECT_TRUE(result.binarized);
    EXPECT_NE(result.note.find("binarized"), std::string::npos);
    const std::vector<uint8_t> bytes = grayBytesFromPix(result.image.get());
    for (uint8_t value : bytes) ASSERT_TRUE(value == 0 || value == 255);
}

TEST(PreprocessPage, TinyAndBlankPagesPassThrough) {
    PixPtr tiny(pixCreate(5, 5, 8));
    EXPECT_EQ(preprocessPage(tiny.get(), {}).note, "");
    PixPtr blank(pixCreate(1000, 800, 8));
    pixSetAllArbitrary(blank.get(), 255);
    const PreprocessResult result = preprocessPage(blank.get(), {});
    EXPECT_EQ(result.note, "");
    EXPECT_EQ(result.scale, 1.0);
}

// ---- the noise guard ------------------------------------------------------------

PixPtr noisePage(int width, int height, uint32_t seed, double inkShare, bool grayNoise) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::normal_distribution<double> normal(128.0, 60.0);
    PixPtr page(pixCreate(width, height, 8));
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const double v = grayNoise ? std::clamp(normal(rng), 0.0, 255.0)
                                       : (uniform(rng) < inkShare ? 20.0 : 235.0);
            pixSetPixel(page.get(), x, y, static_cast<l_uint32>(v));
        }
    return page;
}

TEST(NoiseGuard, NoiseOfEveryKindIsNoise) {
    struct Case {
        const char* what;
        double ink;
        bool gray;
    };
    for (const Case c :
         {Case{"uniform gray noise", 0, true}, Case{"half the pixels ink", 0.5, false},
          Case{"salt and pepper 8%", 0.08, false}}) {
        SCOPED_TRACE(c.what);
        PixPtr page = noisePage(1240, 1754, 7, c.ink, c.gray);
        const NoiseMeasure m = measureNoise(page.get());
        EXPECT_GT(m.componentsPerMegapixel, 25000) << c.what;
        EXPECT_TRUE(isNoise(m, 25000));
    }
}

TEST(NoiseGuard, TextOfAnySizeIsNot) {
    // Leptonica's smallest bitmap fonts, lines packed down the page, and larger text.
    for (int font : {4, 6, 10, 20}) {
        SCOPED_TRACE(font);
        PixPtr page = textPage(1400, 1000, font, 1000 / (font * 2));
        const NoiseMeasure m = measureNoise(page.get());
        EXPECT_GT(m.componentsPerMegapixel, 100) << "the text was drawn";
        EXPECT_FALSE(isNoise(m, 25000)) << m.componentsPerMegapixel;
    }
    // The repository's scans, screenshot and passport, as decoders hand them over.
    for (const char* name : {"contract_scan.png", "chat_whatsapp.png", "passport_uto.png"}) {
        SCOPED_TRACE(name);
        PixPtr color(pixRead((std::string(SAKSI_SAMPLES_DIR) + "/" + name).c_str()));
        ASSERT_TRUE(color);
        PixPtr gray(pixConvertTo8(color.get(), 0));
        ASSERT_TRUE(gray);
        const NoiseMeasure m = measureNoise(gray.get());
        EXPECT_FALSE(isNoise(m, 25000)) << m.componentsPerMegapixel;
    }
}

TEST(NoiseGuard, BlankPagesAreNotNoise) {
    PixPtr blank(pixCreate(800, 600, 8));
    pixSetAllArbitrary(blank.get(), 255);
    EXPECT_FALSE(isNoise(measureNoise(blank.get()), 25000));
}

}  // namespace
}  // namespace saksi::preprocess
