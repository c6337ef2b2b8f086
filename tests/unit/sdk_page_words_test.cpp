// The SDK's span-to-box mapping that extractors rely on.
#include <saksi/sdk/page_words.hpp>

#include <gtest/gtest.h>

namespace {

const nlohmann::json kPage = nlohmann::json::parse(R"({
  "number": 2,
  "text": "Hubungi +855 96\n712 3456 sekarang",
  "words": [
    {"text": "Hubungi", "bbox": [10, 10, 80, 30], "conf": 90},
    {"text": "+855", "bbox": [90, 10, 130, 30], "conf": 91},
    {"text": "96", "bbox": [140, 10, 160, 30], "conf": 92},
    {"text": "712", "bbox": [10, 40, 40, 60], "conf": 93},
    {"text": "3456", "bbox": [50, 40, 90, 60], "conf": 94},
    {"text": "sekarang", "bbox": [100, 40, 180, 60], "conf": 95}]})");

TEST(PageWordsTest, LocatesWordsInTheTextInOrder) {
    const auto page = saksi::sdk::PageWords::fromJson(kPage);
    ASSERT_EQ(page.words().size(), 6u);
    EXPECT_EQ(page.words()[1].begin, 8u);
    EXPECT_EQ(page.words()[3].begin, 16u);
    EXPECT_EQ(page.number(), 2u);
}

TEST(PageWordsTest, ASpanAcrossALineBreakCoversEveryWord) {
    const auto page = saksi::sdk::PageWords::fromJson(kPage);
    const std::size_t begin = page.text().find("+855"), end = page.text().find(" sekarang");
    const auto e = page.entity("phone", begin, end, "+855967123456", 0.9, true);
    EXPECT_EQ(e.text, "+855 96\n712 3456");
    EXPECT_EQ(e.page, 2u);
    EXPECT_EQ(e.bbox.x0, 10);
    EXPECT_EQ(e.bbox.y0, 10);
    EXPECT_EQ(e.bbox.x1, 160);
    EXPECT_EQ(e.bbox.y1, 60);
    EXPECT_EQ(page.wordRange(begin, end), std::make_pair(std::size_t{1}, std::size_t{5}));
}

TEST(PageWordsTest, APartialWordCountsAndEmptySpansHaveNoBox) {
    const auto page = saksi::sdk::PageWords::fromJson(kPage);
    const auto box = page.boxOf(2, 3);  // inside "Hubungi"
    EXPECT_EQ(box.x0, 10);
    EXPECT_EQ(box.x1, 80);
    const auto none = page.boxOf(7, 8);  // the space after "Hubungi"
    EXPECT_EQ(none.x1, 0);
}

TEST(PageWordsTest, OcrDoubtLowersConfidenceAndATextLayerDoesNot) {
    const auto page = saksi::sdk::PageWords::fromJson(kPage);
    EXPECT_DOUBLE_EQ(page.ocrConfidenceFactor(0, 7), 0.5 + 0.5 * 0.90);   // "Hubungi", conf 90
    EXPECT_DOUBLE_EQ(page.ocrConfidenceFactor(8, 24), 0.5 + 0.5 * 0.91);  // least of 91..94
    auto layer = kPage;
    for (auto& w : layer["words"]) w["conf"] = -1;
    EXPECT_DOUBLE_EQ(saksi::sdk::PageWords::fromJson(layer).ocrConfidenceFactor(0, 7), 1.0);
}

}  // namespace
