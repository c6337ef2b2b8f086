// Unit tests of the ocr_tesseract plugin: page text assembly, configuration,
// and real OCR of small committed pages (data/ocr_sample.png; data/reread_sample.png,
// cut from tests/eval/docs/29_chat_telegram_light.png).
#include "ocr_config.hpp"
#include "ocr_stage.hpp"
#include "page_text.hpp"
#include "tesseract_engine.hpp"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace saksi::ocr {
namespace {

using nlohmann::json;

OcrWord word(std::string text, int block, int paragraph, int line, float conf = 90.0f) {
    return {std::move(text), saksi_box{0, 0, 10, 10}, conf, block, paragraph, line};
}

std::vector<std::string> texts(const std::vector<sdk::Word>& words) {
    std::vector<std::string> out;
    for (const auto& w : words) out.push_back(w.text);
    return out;
}

// Every word appears in the text, in order (the saksi_page_text contract).
void expectWordsInOrder(const PageText& page) {
    std::size_t from = 0;
    for (const auto& w : page.words) {
        const auto at = page.text.find(w.text, from);
        ASSERT_NE(at, std::string::npos) << "'" << w.text << "' not found after byte " << from;
        from = at + w.text.size();
    }
}

// ---- assemblePageText ------------------------------------------------------

TEST(OcrPageText, JoinsWordsLinesAndParagraphs) {
    const std::vector<OcrWord> words = {
        word("PERJANJIAN", 0, 0, 0), word("KERJA", 0, 0, 0),                            // title
        word("Nama", 1, 1, 1),       word("pekerja:", 1, 1, 1), word("Siti", 1, 1, 1),  // block 2
        word("Gaji", 1, 1, 2),       word("pokok", 1, 1, 2),                            // next line
        word("Pasal", 1, 2, 3),      word("1", 1, 2, 3),                                // next para
    };
    const PageText page = assemblePageText(words);
    EXPECT_EQ(page.text, "PERJANJIAN KERJA\n\nNama pekerja: Siti\nGaji pokok\n\nPasal 1");
    EXPECT_EQ(page.words.size(), words.size());
    EXPECT_FLOAT_EQ(page.meanConfidence, 90.0f);
    expectWordsInOrder(page);
}

TEST(OcrPageText, EmptyInputGivesEmptyText) {
    const PageText page = assemblePageText({});
    EXPECT_EQ(page.text, "");
    EXPECT_TRUE(page.words.empty());
    EXPECT_FLOAT_EQ(page.meanConfidence, 0.0f);
}

TEST(OcrPageText, DropsBlankAndLowConfidenceWords) {
    const std::vector<OcrWord> words = {word("  ", 0, 0, 0), word("keep", 0, 0, 0, 80.0f),
                                        word("noise", 0, 0, 0, 10.0f),
                                        word(" trim\n", 0, 0, 1, 60.0f)};
    const PageText page = assemblePageText(words, 30.0f);
    EXPECT_EQ(page.text, "keep\ntrim");
    EXPECT_EQ(texts(page.words), (std::vector<std::string>{"keep", "trim"}));
    EXPECT_FLOAT_EQ(page.meanConfidence, 70.0f);
}

TEST(OcrPageText, LineBreakFollowsTheLastKeptWord) {
    // The dropped word started a new paragraph; the next kept word still does.
    const std::vector<OcrWord> words = {word("a", 0, 0, 0), word("", 0, 1, 1), word("b", 0, 1, 1)};
    EXPECT_EQ(assemblePageText(words).text, "a\n\nb");
}

TEST(OcrPageText, KeepsBoxesAndClampsConfidence) {
    std::vector<OcrWord> words = {word("x", 0, 0, 0, 120.0f), word("y", 0, 0, 0, -5.0f)};
    words[1].bbox = {5, 6, 7, 8};
    const PageText page = assemblePageText(words);
    ASSERT_EQ(page.words.size(), 2u);
    EXPECT_EQ(page.words[0].conf, 100.0f);
    EXPECT_EQ(page.words[1].conf, 0.0f);
    EXPECT_EQ(page.words[1].bbox.x0, 5);
    EXPECT_EQ(page.words[1].bbox.y1, 8);
}

// ---- configuration ---------------------------------------------------------

TEST(OcrConfig, DefaultsMatchTheSchema) {
    const auto schema = json::parse(kConfigSchema);
    const OcrConfig c = OcrConfig::fromJson(json::object());
    EXPECT_EQ(c.languages, schema["languages"]["default"]);
    EXPECT_EQ(c.psm, schema["psm"]["default"]);
    EXPECT_EQ(c.tessdata, schema["tessdata"]["default"]);
    EXPECT_EQ(c.minWordConfidence, schema["min_word_confidence"]["default"]);
    EXPECT_EQ(c.fallbackDpi, schema["fallback_dpi"]["default"]);
    EXPECT_EQ(c.rereadBelowConfidence, schema["reread_below_confidence"]["default"]);
    EXPECT_TRUE(c.variables.empty());
}

TEST(OcrConfig, RejectsBadValues) {
    EXPECT_THROW(OcrConfig::fromJson({{"psm", 0}}), std::invalid_argument);
    EXPECT_THROW(OcrConfig::fromJson({{"psm", 2}}), std::invalid_argument);
    EXPECT_THROW(OcrConfig::fromJson({{"psm", "6"}}), std::invalid_argument);
    EXPECT_THROW(OcrConfig::fromJson({{"languages", "+"}}), std::invalid_argument);
    EXPECT_THROW(OcrConfig::fromJson({{"languages", "../etc/passwd"}}), std::invalid_argument);
    EXPECT_THROW(OcrConfig::fromJson({{"min_word_confidence", 101}}), std::invalid_argument);
    EXPECT_THROW(OcrConfig::fromJson({{"reread_below_confidence", -1}}), std::invalid_argument);
    EXPECT_THROW(OcrConfig::fromJson({{"tesseract_variables", {"novalue"}}}),
                 std::invalid_argument);
    const auto c = OcrConfig::fromJson({{"tesseract_variables", {"tessedit_char_blacklist=|"}}});
    ASSERT_EQ(c.variables.size(), 1u);
    EXPECT_EQ(c.variables[0].first, "tessedit_char_blacklist");
    EXPECT_EQ(c.variables[0].second, "|");
}

TEST(OcrConfig, SplitsLanguages) {
    EXPECT_EQ(splitLanguages("ind+eng"), (std::vector<std::string>{"ind", "eng"}));
    EXPECT_EQ(splitLanguages("+ind++eng+"), (std::vector<std::string>{"ind", "eng"}));
}

// ---- Tesseract -------------------------------------------------------------

constexpr const char* kTessdata = "/usr/share/tesseract-ocr/5/tessdata";

TEST(OcrEngine, MissingLanguageNamesItAndTheFolder) {
    for (const char* languages : {"ind+xyz", "xyz+eng"}) {
        OcrConfig config;
        config.languages = languages;
        config.tessdata = kTessdata;
        try {
            TesseractEngine engine(config);
            FAIL() << languages << " should not load";
        } catch (const std::runtime_error& e) {
            const std::string message = e.what();
            EXPECT_NE(message.find("'xyz'"), std::string::npos) << message;
            EXPECT_NE(message.find(kTessdata), std::string::npos) << message;
            EXPECT_NE(message.find("tesseract-ocr-xyz"), std::string::npos) << message;
            EXPECT_EQ(message.find("'eng'"), std::string::npos) << message;
        }
    }
}

TEST(OcrEngine, UnknownVariableIsAnError) {
    OcrConfig config;
    config.variables = {{"no_such_tesseract_parameter", "1"}};
    EXPECT_THROW(TesseractEngine engine(config), std::runtime_error);
}

// The committed sample page as a GRAY8 buffer.
struct GrayImage {
    uint32_t width = 0, height = 0, dpi = 0;
    std::vector<uint8_t> pixels;

    sdk::ImageView view() const {
        return {width, height, width, SAKSI_PIXEL_GRAY8, dpi, pixels.data()};
    }
};

GrayImage loadSample(const std::string& name = "ocr_sample.png") {
    struct PixDeleter {
        void operator()(PIX* pix) const { pixDestroy(&pix); }
    };
    const std::string path = std::string(OCR_TEST_DATA_DIR) + "/" + name;
    std::unique_ptr<PIX, PixDeleter> pix(pixRead(path.c_str()));
    if (!pix) throw std::runtime_error("cannot read " + path);
    std::unique_ptr<PIX, PixDeleter> gray(pixConvertTo8(pix.get(), 0));
    GrayImage image;
    image.width = pixGetWidth(gray.get());
    image.height = pixGetHeight(gray.get());
    image.dpi = pixGetYRes(gray.get());
    image.pixels.resize(std::size_t{image.width} * image.height);
    const l_uint32* data = pixGetData(gray.get());
    const int wpl = pixGetWpl(gray.get());
    for (uint32_t y = 0; y < image.height; ++y)
        for (uint32_t x = 0; x < image.width; ++x)
            image.pixels[y * image.width + x] =
                static_cast<uint8_t>(GET_DATA_BYTE(data + y * wpl, static_cast<int>(x)));
    return image;
}

const std::vector<std::string> kSampleWords = {
    "PERJANJIAN", "KERJA", "Nama", "pekerja:",  "Siti", "Aminah",
    "Gaji",       "pokok", "Rp",   "5.000.000", "per",  "bulan"};

TEST(OcrEngine, RecognisesTheSamplePage) {
    const GrayImage image = loadSample();
    ASSERT_EQ(image.dpi, 200u);
    TesseractEngine engine(OcrConfig::fromJson(json::object()));
    EXPECT_EQ(engine.languages(), (std::vector<std::string>{"ind", "eng"}));

    const auto words = engine.recognize(image.view(), image.dpi);
    const PageText page = assemblePageText(words);
    EXPECT_EQ(texts(page.words), kSampleWords) << page.text;
    EXPECT_EQ(page.text.substr(0, 18), "PERJANJIAN KERJA\n\n") << page.text;
    EXPECT_NE(page.text.find("Nama pekerja: Siti Aminah\nGaji pokok Rp 5.000.000 per bulan"),
              std::string::npos)
        << page.text;
    EXPECT_GT(page.meanConfidence, 80.0f);
    expectWordsInOrder(page);

    // "Siti" sits on the second line, left of "Aminah", at x ~ 310 of 1100.
    const saksi_box siti = page.words[4].bbox;
    const saksi_box aminah = page.words[5].bbox;
    EXPECT_GT(siti.x0, 250);
    EXPECT_LT(siti.x1, aminah.x0);
    EXPECT_GT(siti.y0, 150);
    EXPECT_LT(siti.y1, 230);

    // The engine is reused: a second page gives the same words.
    EXPECT_EQ(texts(assemblePageText(engine.recognize(image.view(), 0)).words), kSampleWords);
}

TEST(OcrEngine, OneEnginePerThread) {
    // The host's model: instances created and used on their own threads at once.
    const GrayImage image = loadSample();
    std::vector<std::vector<std::string>> results(2);
    std::vector<std::thread> threads;
    for (auto& result : results)
        threads.emplace_back([&image, &result] {
            TesseractEngine engine(OcrConfig::fromJson({{"languages", "eng"}}));
            result = texts(assemblePageText(engine.recognize(image.view(), image.dpi)).words);
        });
    for (auto& thread : threads) thread.join();
    for (const auto& result : results) EXPECT_EQ(result, kSampleWords);
}

TEST(OcrEngine, TransparentRgbaIsReadOnWhite) {
    // Black ink on a fully transparent background whose colour is black too:
    // read naively, the whole page would be ink.
    const GrayImage gray = loadSample();
    std::vector<uint8_t> rgba(gray.pixels.size() * 4);
    for (std::size_t i = 0; i < gray.pixels.size(); ++i) {
        rgba[4 * i + 0] = rgba[4 * i + 1] = rgba[4 * i + 2] = 0;
        rgba[4 * i + 3] = static_cast<uint8_t>(255 - gray.pixels[i]);
    }
    const sdk::ImageView view{gray.width,         gray.height, gray.width * 4,
                              SAKSI_PIXEL_RGBA32, 200,         rgba.data()};
    TesseractEngine engine(OcrConfig::fromJson({{"languages", "eng"}}));
    EXPECT_EQ(texts(assemblePageText(engine.recognize(view, view.dpi)).words), kSampleWords);
}

TEST(OcrEngine, RereadsAnUnsureWordOnItsOwn) {
    // In its line Tesseract drops the "C" at the bubble's edge and scores the
    // rest near 0; read alone, the word is whole.
    const GrayImage image = loadSample("reread_sample.png");
    auto wordsWith = [&](const json& config) {
        TesseractEngine engine(OcrConfig::fromJson(config));
        return texts(assemblePageText(engine.recognize(image.view(), image.dpi)).words);
    };
    const auto reread = wordsWith(json::object());
    EXPECT_NE(std::find(reread.begin(), reread.end(), "C6856977."), reread.end())
        << testing::PrintToString(reread);
    const auto inLine = wordsWith({{"reread_below_confidence", 0}});
    EXPECT_NE(std::find(inLine.begin(), inLine.end(), "6856977."), inLine.end())
        << "Tesseract now reads the line right; this test no longer exercises the re-read: "
        << testing::PrintToString(inLine);
    // Confident words are not touched.
    ASSERT_EQ(reread.size(), inLine.size());
    for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(reread[i], inLine[i]);
}

TEST(OcrEngine, RejectsMalformedImages) {
    TesseractEngine engine(OcrConfig::fromJson({{"languages", "eng"}}));
    const std::vector<uint8_t> pixels(64, 255);
    const sdk::ImageView shortStride{8, 8, 4, SAKSI_PIXEL_GRAY8, 0, pixels.data()};
    EXPECT_THROW(engine.recognize(shortStride, 0), sdk::Error);
    const sdk::ImageView badFormat{8, 8, 8, 99, 0, pixels.data()};
    EXPECT_THROW(engine.recognize(badFormat, 0), sdk::Error);
    const sdk::ImageView blank{8, 8, 8, SAKSI_PIXEL_GRAY8, 0, pixels.data()};
    EXPECT_TRUE(engine.recognize(blank, 0).empty());
}

TEST(OcrStage, WorkingDpiFollowsThePreprocessScale) {
    const sdk::ImageView image{1100, 320, 1100, SAKSI_PIXEL_GRAY8, 300, nullptr};
    EXPECT_EQ(workingImageDpi({{"width", 550}, {"dpi", 100}}, image), 200u);  // enlarged 2x
    EXPECT_EQ(workingImageDpi({{"width", 1100}, {"dpi", 200}}, image), 200u);
    EXPECT_EQ(workingImageDpi(json::object(), image), 300u);  // the image's own
    EXPECT_EQ(workingImageDpi({{"width", 1100}, {"dpi", 0}}, image), 300u);
    EXPECT_EQ(workingImageDpi(nullptr, image), 300u);
}

// ---- the stage, through a minimal host -------------------------------------

struct FakePage {
    std::optional<GrayImage> image;
    json record = json::object();  // what /pages/<i> holds
    std::vector<std::string> wordTexts;
    std::string text;
    uint32_t source = 0;
    float confidence = -1.0f;
};

struct FakeDoc {
    std::vector<FakePage> pages;
    json record = {{"document", json::object()}, {"provenance", {{"engines", json::object()}}}};
    std::vector<std::string> errors;
};

FakeDoc& fake(const saksi_doc* doc) {
    return *reinterpret_cast<FakeDoc*>(const_cast<saksi_doc*>(doc));
}

saksi_host_api fakeHost() {
    saksi_host_api host{};
    host.struct_size = sizeof host;
    host.abi_major = SAKSI_ABI_MAJOR;
    host.abi_minor = SAKSI_ABI_MINOR;
    host.page_count = [](const saksi_doc* doc) {
        return static_cast<uint32_t>(fake(doc).pages.size());
    };
    host.page_image = [](const saksi_doc* doc, uint32_t page, saksi_image* out) -> int32_t {
        const FakeDoc& d = fake(doc);
        if (page >= d.pages.size() || !d.pages[page].image) return SAKSI_E_NOT_FOUND;
        *out = d.pages[page].image->view().toAbi();
        return SAKSI_OK;
    };
    host.set_page_text = [](saksi_doc* doc, uint32_t page, const saksi_page_text* t) -> int32_t {
        FakePage& p = fake(doc).pages.at(page);
        p.text.assign(t->text.data, t->text.size);
        p.source = t->source;
        p.confidence = t->confidence;
        for (std::size_t i = 0; i < t->word_count; ++i)
            p.wordTexts.emplace_back(t->words[i].text.data, t->words[i].text.size);
        return SAKSI_OK;
    };
    host.get_json = [](const saksi_doc* doc, const char* pointer, saksi_str_sink sink,
                       void* user) -> int32_t {
        const FakeDoc& d = fake(doc);
        json record = d.record;
        record["pages"] = json::array();
        for (const auto& p : d.pages) record["pages"].push_back(p.record);
        const json::json_pointer ptr(pointer);
        if (!record.contains(ptr)) return SAKSI_E_NOT_FOUND;
        const std::string text = record.at(ptr).dump();
        sink(user, {text.data(), text.size()});
        return SAKSI_OK;
    };
    host.put_json = [](saksi_doc* doc, const char* pointer, saksi_str value) -> int32_t {
        fake(doc).record[json::json_pointer(pointer)] =
            json::parse(value.data, value.data + value.size);
        return SAKSI_OK;
    };
    host.add_error = [](saksi_doc* doc, const char* code, const char* message) {
        fake(doc).errors.push_back(std::string(code) + ": " + message);
    };
    host.log = [](int32_t, const char*) {};
    return host;
}

TEST(OcrStage, OcrsImagePagesOnly) {
    FakeDoc d;
    d.pages.resize(3);
    d.pages[0].image = loadSample();  // scanned page: OCR
    d.pages[1].image = loadSample();  // PDF text page: keep its text
    d.pages[1].record["text_source"] = "pdf-text";
    d.pages[2].record["text_source"] = nullptr;  // no image: nothing to read
    const saksi_host_api host = fakeHost();
    sdk::Document doc(&host, reinterpret_cast<saksi_doc*>(&d));

    TesseractOcrStage stage(json::object());
    for (uint32_t page = 0; page < 3; ++page) stage.process(doc, page);

    EXPECT_TRUE(d.errors.empty());
    EXPECT_EQ(d.pages[0].source, uint32_t{SAKSI_TEXT_OCR});
    EXPECT_EQ(d.pages[0].wordTexts, kSampleWords);
    EXPECT_NE(d.pages[0].text.find("Siti Aminah"), std::string::npos);
    EXPECT_GT(d.pages[0].confidence, 80.0f);
    EXPECT_EQ(d.pages[1].source, 0u);
    EXPECT_EQ(d.pages[2].source, 0u);
    // The text's languages are classify.language's: OCR does not echo its own.
    EXPECT_FALSE(d.record.contains("document") && d.record["document"].contains("languages"));
    EXPECT_EQ(d.record["provenance"]["engines"]["tesseract"], TesseractEngine::version());
}

}  // namespace
}  // namespace saksi::ocr
