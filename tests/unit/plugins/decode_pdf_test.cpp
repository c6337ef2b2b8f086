// Unit tests of the decode.pdf stage: the OCR decision, the text assembly and
// the stage itself on small PDFs (tests/unit/plugins/data/decode_pdf/), run
// through the SDK's boundary against an in-memory host.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ocr_decision.hpp"
#include "pdf_decode_stage.hpp"
#include "pixel_convert.hpp"
#include "text_assembly.hpp"

// Fontconfig, which Poppler loads to find fonts, keeps a process-wide cache
// that it never frees; LeakSanitizer (SAKSI_SANITIZE) would fail the run on it.
extern "C" const char* __lsan_default_suppressions() {
    return "leak:libfontconfig.so\n";
}

namespace saksi::decode_pdf {
namespace {

// ---- The decision rule ------------------------------------------------------

TextLayerStats statsOf(const std::string& text) {
    TextLayerStats stats;
    countText(text, stats);
    return stats;
}

TEST(OcrDecision, CountsNonSpaceCodePoints) {
    const TextLayerStats stats = statsOf("Rp 4.500\n\tjuta ñ é");
    EXPECT_EQ(stats.characters, 13u);
    EXPECT_EQ(stats.unmapped, 0u);
}

TEST(OcrDecision, CountsReplacementControlAndPrivateUseAsUnmapped) {
    EXPECT_EQ(statsOf("\xEF\xBF\xBD").unmapped, 1u);      // U+FFFD
    EXPECT_EQ(statsOf("\x01\x1F").unmapped, 2u);          // C0 controls
    EXPECT_EQ(statsOf("\xC2\x85").unmapped, 1u);          // C1 control U+0085
    EXPECT_EQ(statsOf("\xEE\x80\x80").unmapped, 1u);      // U+E000
    EXPECT_EQ(statsOf("\xF3\xB0\x80\x80").unmapped, 1u);  // U+F0000
    EXPECT_EQ(statsOf("\xFF\xFE").unmapped, 2u);          // not UTF-8
    EXPECT_EQ(statsOf("\xE2\x82").unmapped, 2u);          // broken sequence: each byte
    EXPECT_EQ(statsOf("abc\xE2\x82\xAC").unmapped, 0u);   // "abc€"
}

TEST(OcrDecision, FewCharactersGoToOcr) {
    const OcrPolicy policy;  // 10 characters, 10% unmapped
    EXPECT_EQ(choosePageSource(statsOf(""), policy), PageSource::tooFewChars);
    EXPECT_EQ(choosePageSource(statsOf("123456789"), policy), PageSource::tooFewChars);
    EXPECT_EQ(choosePageSource(statsOf("1234 56789     "), policy), PageSource::tooFewChars);
    EXPECT_EQ(choosePageSource(statsOf("1234567890"), policy), PageSource::textLayer);
}

TEST(OcrDecision, APageWithoutTextIsNeverText) {
    EXPECT_EQ(choosePageSource(statsOf(""), OcrPolicy{0, 1.0}), PageSource::tooFewChars);
    EXPECT_EQ(choosePageSource(statsOf(" \n "), OcrPolicy{0, 1.0}), PageSource::tooFewChars);
    EXPECT_EQ(choosePageSource(statsOf("x"), OcrPolicy{0, 1.0}), PageSource::textLayer);
}

TEST(OcrDecision, UnmappedShareAboveTheLimitGoesToOcr) {
    const OcrPolicy policy;
    // 1 unmapped of 10: 10%, not above the limit.
    EXPECT_EQ(choosePageSource(statsOf("abcdefghi\xEF\xBF\xBD"), policy), PageSource::textLayer);
    // 2 of 10: 20%.
    EXPECT_EQ(choosePageSource(statsOf("abcdefgh\xEF\xBF\xBD\xEE\x80\x81"), policy),
              PageSource::unmappedGlyphs);
    EXPECT_EQ(choosePageSource(statsOf("abcdefgh\xEF\xBF\xBD\xEE\x80\x81"), OcrPolicy{10, 0.5}),
              PageSource::textLayer);
}

// ---- Text assembly ----------------------------------------------------------

PdfWord word(std::string text, double x0, double y0, double x1, double y1, bool spaceAfter = true,
             int rotation = 0) {
    return {std::move(text), x0, y0, x1, y1, rotation, spaceAfter};
}

// Every word appears in the text, in order, at or after the previous one.
void expectWordsInOrder(const AssembledText& text) {
    std::size_t from = 0;
    for (const auto& w : text.words) {
        const std::size_t at = text.text.find(w.text, from);
        ASSERT_NE(at, std::string::npos) << w.text << " missing after " << from;
        from = at + w.text.size();
    }
}

TEST(TextAssembly, JoinsLinesAndBlocks) {
    // 11 pt text, 13 pt leading; a paragraph gap of 2 lines before "Gaji".
    const std::vector<PdfWord> words = {
        word("Nama", 72, 100, 100, 111),      word("pekerja:", 103, 100, 145, 111),
        word("Siti", 148, 100, 165, 111),     word("Jabatan:", 72, 113, 115, 124),
        word("Operator", 118, 113, 160, 124), word("Gaji", 72, 150, 92, 161),
        word("pokok", 95, 150, 125, 161),
    };
    const AssembledText text = assembleText(words, 1.0, 600, 800);
    EXPECT_EQ(text.text, "Nama pekerja: Siti\nJabatan: Operator\n\nGaji pokok");
    ASSERT_EQ(text.words.size(), 7u);
    expectWordsInOrder(text);
}

TEST(TextAssembly, GluesWordsWithoutSpaceAfter) {
    const std::vector<PdfWord> words = {word("Kon", 72, 100, 93, 111, false),
                                        word("trak", 93, 100, 115, 111),
                                        word("ini", 118, 100, 130, 111)};
    EXPECT_EQ(assembleText(words, 1.0, 600, 800).text, "Kontrak ini");
}

TEST(TextAssembly, NoSpaceAfterButApartStillSeparates) {
    const std::vector<PdfWord> words = {word("Total", 72, 100, 100, 111, false),
                                        word("Rp", 300, 100, 315, 111)};
    EXPECT_EQ(assembleText(words, 1.0, 600, 800).text, "Total Rp");
}

TEST(TextAssembly, ToleratesSuperscriptsOnALine) {
    const std::vector<PdfWord> words = {word("Pasal", 72, 100, 100, 111),
                                        word("1", 101, 97, 105, 104),
                                        word("berlaku", 108, 100, 150, 111)};
    EXPECT_EQ(assembleText(words, 1.0, 600, 800).text, "Pasal 1 berlaku");
}

TEST(TextAssembly, ColumnJumpStartsABlock) {
    // Poppler gives the left column, then the right one starting higher up.
    const std::vector<PdfWord> words = {word("kiri", 72, 100, 95, 111),
                                        word("bawah", 72, 113, 100, 124),
                                        word("kanan", 320, 100, 350, 111)};
    EXPECT_EQ(assembleText(words, 1.0, 600, 800).text, "kiri\nbawah\n\nkanan");
}

TEST(TextAssembly, PhysicalOrderPutsLabelsAndValuesOnOneLine) {
    // Poppler reads a form's label column as one block, then the values.
    const std::vector<PdfWord> words = {word("Nama", 72, 100, 100, 111),
                                        word("NIK", 72, 113, 92, 124),
                                        word(":", 160, 100, 163, 111),
                                        word("Dewi", 166, 100, 190, 111),
                                        word("Lestari", 193, 100, 230, 111),
                                        word(":", 160, 113, 163, 124),
                                        word("3202155407980003", 166, 113, 260, 124),
                                        word("Catatan", 72, 150, 110, 161)};
    EXPECT_EQ(assembleText(words, 1.0, 600, 800, ReadingOrder::poppler).text,
              "Nama\nNIK\n\n: Dewi Lestari\n: 3202155407980003\n\nCatatan");
    const AssembledText physical = assembleText(words, 1.0, 600, 800, ReadingOrder::physical);
    EXPECT_EQ(physical.text, "Nama : Dewi Lestari\nNIK : 3202155407980003\n\nCatatan");
    ASSERT_EQ(physical.words.size(), words.size());
    expectWordsInOrder(physical);
}

TEST(TextAssembly, PhysicalOrderKeepsPopplersOrderWithinARun) {
    // Words on one line that run right to left (as a right-to-left script may
    // come): one line, in Poppler's order, not re-sorted by x.
    const std::vector<PdfWord> words = {word("\xD8\xA3", 300, 100, 320, 111),
                                        word("\xD8\xA8", 270, 100, 290, 111),
                                        word("\xD8\xAC", 240, 100, 260, 111)};
    const std::string rtl = assembleText(words, 1.0, 600, 800, ReadingOrder::physical).text;
    EXPECT_EQ(rtl, "\xD8\xA3 \xD8\xA8 \xD8\xAC");
}

TEST(TextAssembly, VerticalTextFormsLines) {
    // Rotation 1: reading downwards; the next line is to the left.
    const std::vector<PdfWord> words = {
        word("atas", 500, 100, 511, 125, true, 1), word("bawah", 500, 128, 511, 160, true, 1),
        word("lagi", 487, 100, 498, 122, true, 1), word("Horizontal", 72, 700, 130, 711)};
    EXPECT_EQ(assembleText(words, 1.0, 600, 800).text, "atas bawah\nlagi\n\nHorizontal");
}

TEST(TextAssembly, DropsBlankWordsAndScalesBoxes) {
    const std::vector<PdfWord> words = {word(" ", 0, 0, 5, 5), word("A", 72.2, 36.1, 80.9, 47.5),
                                        word("edge", 590, 830, 610, 850)};
    const AssembledText text = assembleText(words, 300.0 / 72.0, 2480, 3508);
    EXPECT_EQ(text.text, "A\n\nedge");
    ASSERT_EQ(text.words.size(), 2u);
    const saksi_box a = text.words[0].bbox;
    EXPECT_EQ(a.x0, 300);  // floor(72.2 * 300 / 72)
    EXPECT_EQ(a.y0, 150);
    EXPECT_EQ(a.x1, 338);  // ceil(80.9 * 300 / 72)
    EXPECT_EQ(a.y1, 198);
    EXPECT_FLOAT_EQ(text.words[0].conf, -1.0f);
    const saksi_box edge = text.words[1].bbox;  // clipped to the page, never empty
    EXPECT_EQ(edge.x1, 2480);
    EXPECT_EQ(edge.y1, 3508);
    EXPECT_LT(edge.x0, edge.x1);
    EXPECT_LT(edge.y0, edge.y1);
}

TEST(TextAssembly, EmptyBoxesGrowToOnePixel) {
    const AssembledText text = assembleText({word("x", 10, 10, 10, 10)}, 1.0, 100, 100);
    ASSERT_EQ(text.words.size(), 1u);
    EXPECT_EQ(text.words[0].bbox.x1 - text.words[0].bbox.x0, 1);
    EXPECT_EQ(text.words[0].bbox.y1 - text.words[0].bbox.y0, 1);
}

// ---- Pixels -----------------------------------------------------------------

TEST(PixelConvert, ReadsNativeEndianArgbWithStride) {
    const uint32_t px[] = {0xFFFF0000u, 0xFF00FF00u, 0xDEADBEEFu,  // row 0 + 1 word of padding
                           0xFF0000FFu, 0x00000000u, 0u};          // row 1: blue, transparent
    std::vector<uint8_t> rgb;
    argb32ToRgb24(reinterpret_cast<const uint8_t*>(px), 2, 2, 12, rgb);
    EXPECT_EQ(rgb, (std::vector<uint8_t>{255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255}));
    std::vector<uint8_t> gray;
    argb32ToGray8(reinterpret_cast<const uint8_t*>(px), 2, 2, 12, gray);
    EXPECT_EQ(gray, (std::vector<uint8_t>{76, 150, 29, 255}));
}

// ---- Configuration ----------------------------------------------------------

TEST(PdfDecodeConfig, SchemaDescribesEveryKeyAndMatchesTheDefaults) {
    const auto schema = nlohmann::json::parse(PdfDecodeStage::kConfigSchema);
    nlohmann::json defaults = nlohmann::json::object();
    for (const auto& [key, spec] : schema.items()) {
        EXPECT_TRUE(spec.contains("type")) << key;
        EXPECT_FALSE(spec.value("description", "").empty()) << key;
        defaults[key] = spec.at("default");
    }
    const PdfDecodeConfig parsed = PdfDecodeConfig::fromJson(defaults);
    const PdfDecodeConfig builtIn;
    EXPECT_EQ(parsed.dpi, builtIn.dpi);
    EXPECT_EQ(parsed.ocr.minChars, builtIn.ocr.minChars);
    EXPECT_DOUBLE_EQ(parsed.ocr.maxUnmappedRatio, builtIn.ocr.maxUnmappedRatio);
    EXPECT_EQ(parsed.maxPages, builtIn.maxPages);
    EXPECT_EQ(parsed.maxPagePixels, builtIn.maxPagePixels);
    EXPECT_EQ(parsed.gray, builtIn.gray);
    EXPECT_EQ(parsed.readingOrder, builtIn.readingOrder);
}

TEST(PdfDecodeConfig, RejectsValuesOutOfRange) {
    EXPECT_THROW(PdfDecodeConfig::fromJson({{"dpi", 0}}), std::invalid_argument);
    EXPECT_THROW(PdfDecodeConfig::fromJson({{"max_unmapped_ratio", 1.5}}), std::invalid_argument);
    EXPECT_THROW(PdfDecodeConfig::fromJson({{"max_pages", "many"}}), std::invalid_argument);
    EXPECT_THROW(PdfDecodeConfig::fromJson({{"render_format", "cmyk"}}), std::invalid_argument);
    EXPECT_THROW(PdfDecodeConfig::fromJson({{"reading_order", "random"}}), std::invalid_argument);
    EXPECT_TRUE(PdfDecodeConfig::fromJson({{"render_format", "gray"}}).gray);
    EXPECT_EQ(PdfDecodeConfig::fromJson({{"reading_order", "poppler"}}).readingOrder,
              ReadingOrder::poppler);
}

// ---- The stage on real PDFs, through the SDK boundary -----------------------

struct FakePage {
    uint32_t width = 0, height = 0, dpi = 0;
    std::optional<saksi_image> image;  // pixels point into `pixels`
    std::vector<uint8_t> pixels;
    std::optional<uint32_t> textSource;
    std::string text;
    std::vector<saksi::sdk::Word> words;
    std::string imageSource;  // saksi_page_init.image_source; empty when not said
    bool onDemand = false;    // saksi_page_init.image_on_demand
};

struct FakeDoc {
    std::vector<uint8_t> bytes;
    std::vector<FakePage> pages;
    std::vector<std::pair<std::string, std::string>> errors;  // code, message
    nlohmann::json puts = nlohmann::json::object();
};

std::mutex logMutex;
std::vector<std::pair<int32_t, std::string>> logLines;

FakeDoc& fake(saksi_doc* doc) {
    return *reinterpret_cast<FakeDoc*>(doc);
}
const FakeDoc& fake(const saksi_doc* doc) {
    return *reinterpret_cast<const FakeDoc*>(doc);
}

saksi_host_api makeHost() {
    saksi_host_api host{};
    host.struct_size = sizeof(saksi_host_api);
    host.abi_major = SAKSI_ABI_MAJOR;
    host.abi_minor = SAKSI_ABI_MINOR;
    host.source_path = [](const saksi_doc*) { return saksi_str{"test.pdf", 8}; };
    host.media_type = [](const saksi_doc*) { return saksi_str{"application/pdf", 15}; };
    host.source_bytes = [](const saksi_doc* d, const uint8_t** data, size_t* size) {
        *data = fake(d).bytes.data();
        *size = fake(d).bytes.size();
        return int32_t{SAKSI_OK};
    };
    host.output_dir = [](const saksi_doc*) { return saksi_str{"/tmp", 4}; };
    host.page_count = [](const saksi_doc* d) {
        return static_cast<uint32_t>(fake(d).pages.size());
    };
    host.add_page = [](saksi_doc* d, const saksi_page_init* init) {
        if (init->width == 0 || init->height == 0) return int32_t{SAKSI_E_INVALID};
        FakePage page{init->width,  init->height, init->dpi,
                      std::nullopt, {},           std::nullopt,
                      {},           {},           init->image_source ? init->image_source : ""};
        if (init->image) {
            const saksi_image& im = *init->image;
            if (im.width != init->width || im.height != init->height)
                return int32_t{SAKSI_E_INVALID};
            page.pixels.assign(im.pixels, im.pixels + static_cast<size_t>(im.stride) * im.height);
            page.image = im;
        }
        page.onDemand = init->image_on_demand != 0;
        if (page.onDemand && init->image) return int32_t{SAKSI_E_INVALID};
        fake(d).pages.push_back(std::move(page));
        return int32_t{SAKSI_OK};
    };
    host.page_image = [](const saksi_doc*, uint32_t, saksi_image*) {
        return int32_t{SAKSI_E_NOT_FOUND};
    };
    // Only decode_page hands images over here: of the page's own size, no transform.
    host.set_page_image = [](saksi_doc* d, uint32_t index, const saksi_image* im,
                             const saksi_page_transform* transform, const char* note) {
        if (index >= fake(d).pages.size()) return int32_t{SAKSI_E_NOT_FOUND};
        FakePage& page = fake(d).pages[index];
        if (!page.onDemand || transform || im->width != page.width || im->height != page.height)
            return int32_t{SAKSI_E_INVALID};
        page.pixels.assign(im->pixels, im->pixels + static_cast<size_t>(im->stride) * im->height);
        page.image = *im;
        if (note) page.imageSource = note;
        return int32_t{SAKSI_OK};
    };
    host.get_json = [](const saksi_doc* d, const char* pointer, saksi_str_sink sink, void* user) {
        // decode_page reads its page's size: "/pages/N".
        const std::string where(pointer);
        if (!where.starts_with("/pages/")) return int32_t{SAKSI_E_NOT_FOUND};
        const size_t index = std::stoul(where.substr(7));
        if (index >= fake(d).pages.size()) return int32_t{SAKSI_E_NOT_FOUND};
        const FakePage& page = fake(d).pages[index];
        nlohmann::json json = {{"width", page.width}, {"height", page.height}, {"dpi", page.dpi}};
        json["image_source"] =
            page.imageSource.empty() ? nlohmann::json() : nlohmann::json(page.imageSource);
        const std::string text = json.dump();
        sink(user, {text.data(), text.size()});
        return int32_t{SAKSI_OK};
    };
    host.set_page_text = [](saksi_doc* d, uint32_t index, const saksi_page_text* t) {
        if (index >= fake(d).pages.size()) return int32_t{SAKSI_E_NOT_FOUND};
        FakePage& page = fake(d).pages[index];
        page.textSource = t->source;
        page.text.assign(t->text.data, t->text.size);
        for (size_t i = 0; i < t->word_count; ++i) {
            const saksi_word& w = t->words[i];
            page.words.push_back({std::string(w.text.data, w.text.size), w.bbox, w.conf});
        }
        return int32_t{SAKSI_OK};
    };
    host.put_json = [](saksi_doc* d, const char* pointer, saksi_str json) {
        fake(d).puts[pointer] = nlohmann::json::parse(json.data, json.data + json.size);
        return int32_t{SAKSI_OK};
    };
    host.add_error = [](saksi_doc* d, const char* code, const char* message) {
        fake(d).errors.emplace_back(code, message);
    };
    host.log = [](int32_t level, const char* message) {
        const std::lock_guard lock(logMutex);
        logLines.emplace_back(level, message);
    };
    return host;
}

std::vector<uint8_t> readFile(const std::string& name) {
    std::ifstream in(std::string(DECODE_PDF_TEST_DATA) + "/" + name, std::ios::binary);
    EXPECT_TRUE(in) << name;
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

using Adapter = saksi::sdk::detail::StageAdapter<PdfDecodeStage>;

struct DecodeResult {
    int32_t status = SAKSI_ERROR;
    FakeDoc doc;
    std::string err;
    bool hasError(const std::string& code) const {
        for (const auto& e : doc.errors)
            if (e.first == code) return true;
        return false;
    }
};

// Runs process(), then decode_page() for each page added on demand (only
// `onlyPage` when given), as the host does when stages ask for the images.
DecodeResult decode(std::vector<uint8_t> bytes,
                    const nlohmann::json& config = nlohmann::json::object(),
                    std::optional<uint32_t> onlyPage = std::nullopt) {
    static const saksi_host_api host = makeHost();
    DecodeResult run;
    run.doc.bytes = std::move(bytes);
    const std::string configText = config.dump();
    saksi_stage_instance* instance = nullptr;
    char err[512] = {};
    if (Adapter::descriptor.create(&host, {configText.data(), configText.size()}, &instance, err,
                                   sizeof err) != SAKSI_OK) {
        ADD_FAILURE() << "create failed: " << err;
        return run;
    }
    auto* doc = reinterpret_cast<saksi_doc*>(&run.doc);
    run.status = Adapter::descriptor.process(instance, doc, SAKSI_ALL_PAGES, err, sizeof err);
    run.err = err;
    // As the host does when a stage asks: every page added on demand, decoded.
    for (uint32_t i = 0; run.status == SAKSI_OK && i < run.doc.pages.size(); ++i) {
        if (!run.doc.pages[i].onDemand || (onlyPage && *onlyPage != i)) continue;
        EXPECT_NE(Adapter::descriptor.decode_page, nullptr);
        if (!Adapter::descriptor.decode_page) break;
        if (Adapter::descriptor.decode_page(instance, doc, i, err, sizeof err) != SAKSI_OK)
            run.err = err;
    }
    Adapter::descriptor.destroy(instance);
    return run;
}

uint32_t a4Pixels(double points) {
    return static_cast<uint32_t>(points * 300.0 / 72.0 + 0.5);
}

const saksi::sdk::Word* findWord(const FakePage& page, const std::string& text) {
    for (const auto& w : page.words)
        if (w.text == text) return &w;
    return nullptr;
}

TEST(PdfDecodeStage, DescribesItself) {
    const saksi_stage_descriptor& d = Adapter::descriptor;
    EXPECT_STREQ(d.id, "decode.pdf");
    EXPECT_EQ(d.kind, static_cast<uint32_t>(SAKSI_STAGE_DECODE));
    EXPECT_EQ(d.scope, static_cast<uint32_t>(SAKSI_SCOPE_DOCUMENT));
    ASSERT_NE(d.media_types, nullptr);
    EXPECT_STREQ(d.media_types[0], "application/pdf");
    EXPECT_EQ(d.media_types[1], nullptr);
}

TEST(PdfDecodeStage, DigitalPdfKeepsTheTextLayer) {
    const DecodeResult run = decode(readFile("digital.pdf"));
    ASSERT_EQ(run.status, SAKSI_OK) << run.err;
    EXPECT_TRUE(run.doc.errors.empty());
    EXPECT_FALSE(run.doc.puts.value("/provenance/engines/poppler", "").empty());
    ASSERT_EQ(run.doc.pages.size(), 2u);
    for (const FakePage& page : run.doc.pages) {
        EXPECT_EQ(page.width, a4Pixels(595.276));
        EXPECT_EQ(page.height, a4Pixels(841.89));
        EXPECT_EQ(page.dpi, 300u);
        EXPECT_FALSE(page.image.has_value());
        ASSERT_EQ(page.textSource, static_cast<uint32_t>(SAKSI_TEXT_PDF));
    }
    const FakePage& first = run.doc.pages[0];
    EXPECT_EQ(first.text,
              "PERJANJIAN KERJA\n\nNama pekerja: Siti Rahayu\nJabatan: Operator produksi\n\n"
              "Gaji pokok Rp 4.500.000 per bulan.\nKontrak berlaku dua tahun.");
    EXPECT_EQ(run.doc.pages[1].text, "Halaman kedua: tanda tangan para pihak.");
    expectWordsInOrder({first.text, first.words});

    // "PERJANJIAN" is drawn at x = 72 pt, baseline 770 pt from the bottom, 16 pt.
    const saksi::sdk::Word* title = findWord(first, "PERJANJIAN");
    ASSERT_NE(title, nullptr);
    EXPECT_NEAR(title->bbox.x0, 300, 4);
    EXPECT_NEAR(title->bbox.y1, (841.89 - 770) * 300 / 72, 25);
    EXPECT_GT(title->bbox.y1 - title->bbox.y0, 40);  // about 16 pt tall
    EXPECT_FLOAT_EQ(title->conf, -1.0f);
}

TEST(PdfDecodeStage, ScannedPdfTakesItsImageAsItIs) {
    // scanned.pdf: one gray JPEG of 827 x 1169 pixels (A4 at 100 dpi) over the page.
    const DecodeResult run = decode(readFile("scanned.pdf"), {{"min_embedded_dpi", 0}});
    ASSERT_EQ(run.status, SAKSI_OK) << run.err;
    ASSERT_EQ(run.doc.pages.size(), 1u);
    const FakePage& page = run.doc.pages[0];
    EXPECT_FALSE(page.textSource.has_value());
    EXPECT_EQ(page.imageSource, "embedded");
    ASSERT_TRUE(page.image.has_value());
    EXPECT_EQ(page.image->format, static_cast<uint32_t>(SAKSI_PIXEL_GRAY8));  // gray stays gray
    EXPECT_EQ(page.width, 827u);
    EXPECT_EQ(page.height, 1169u);
    EXPECT_EQ(page.dpi, 100u);
    EXPECT_EQ(page.image->dpi, 100u);
}

TEST(PdfDecodeStage, AScanBelowMinEmbeddedDpiIsRenderedAtDpi) {
    // The 100-dpi image of scanned.pdf, under the default min_embedded_dpi.
    const DecodeResult run = decode(readFile("scanned.pdf"));
    ASSERT_EQ(run.status, SAKSI_OK) << run.err;
    ASSERT_EQ(run.doc.pages.size(), 1u);
    EXPECT_EQ(run.doc.pages[0].imageSource, "render");
    EXPECT_EQ(run.doc.pages[0].dpi, 300u);
}

TEST(PdfDecodeStage, ScannedPdfIsRenderedNeverText) {
    const DecodeResult run = decode(readFile("scanned.pdf"), {{"image_pages", "render"}});
    ASSERT_EQ(run.status, SAKSI_OK) << run.err;
    ASSERT_EQ(run.doc.pages.size(), 1u);
    const FakePage& page = run.doc.pages[0];
    EXPECT_FALSE(page.textSource.has_value());
    EXPECT_EQ(page.imageSource, "render");
    ASSERT_TRUE(page.image.has_value());
    EXPECT_EQ(page.image->format, static_cast<uint32_t>(SAKSI_PIXEL_RGB24));
    EXPECT_EQ(page.image->stride, page.width * 3);
    EXPECT_EQ(page.image->dpi, 300u);
    EXPECT_NEAR(page.width, a4Pixels(595.44), 1);
    EXPECT_NEAR(page.height, a4Pixels(841.68), 1);
    // Mostly white paper with some black text, and gray (R = G = B).
    size_t dark = 0, white = 0, colored = 0;
    for (size_t i = 0; i + 2 < page.pixels.size(); i += 3) {
        const uint8_t r = page.pixels[i], g = page.pixels[i + 1], b = page.pixels[i + 2];
        dark += r < 64;
        white += r > 240;
        colored += r != g || g != b;
    }
    const size_t total = page.pixels.size() / 3;
    EXPECT_GT(dark, 1000u);
    EXPECT_GT(white, total * 9 / 10);
    EXPECT_EQ(colored, 0u);
}

// Mean absolute difference of two images of one size and format, per sample.
double meanDifference(const FakePage& a, const FakePage& b) {
    EXPECT_EQ(a.pixels.size(), b.pixels.size());
    if (a.pixels.size() != b.pixels.size() || a.pixels.empty()) return 255.0;
    double sum = 0;
    for (size_t i = 0; i < a.pixels.size(); ++i)
        sum += std::abs(static_cast<int>(a.pixels[i]) - static_cast<int>(b.pixels[i]));
    return sum / static_cast<double>(a.pixels.size());
}

TEST(PdfDecodeStage, ImagePagesMatchPopplersRenderAtTheirOwnResolution) {
    // make_data.py image_pages(): one filter a page (JPEG, Flate RGB with
    // /Rotate 90, Flate 1-bit, CCITT G4, JPEG 2000 with /Rotate 270, a JPEG
    // stored inverted), then pages that must be rendered (a line over the
    // image, two images, JBIG2).
    struct Expected {
        uint32_t width, height, dpi;
    };
    auto a4At = [](uint32_t dpi, bool turned) {
        const auto w = static_cast<uint32_t>(std::lround(595.0 * dpi / 72));
        const auto h = static_cast<uint32_t>(std::lround(842.0 * dpi / 72));
        return turned ? Expected{h, w, dpi} : Expected{w, h, dpi};
    };
    const Expected embedded[] = {a4At(150, false), a4At(120, true), a4At(200, false),
                                 a4At(200, false), a4At(100, true), a4At(150, false)};
    for (const char* format : {"gray", "rgb"}) {
        SCOPED_TRACE(format);
        const DecodeResult run = decode(readFile("image_pages.pdf"),
                                        {{"render_format", format}, {"min_embedded_dpi", 0}});
        ASSERT_EQ(run.status, SAKSI_OK) << run.err;
        ASSERT_EQ(run.doc.pages.size(), 9u);
        for (size_t i = 0; i < 6; ++i) {
            SCOPED_TRACE("page " + std::to_string(i + 1));
            const FakePage& page = run.doc.pages[i];
            EXPECT_EQ(page.imageSource, "embedded");
            EXPECT_EQ(page.width, embedded[i].width);
            EXPECT_EQ(page.height, embedded[i].height);
            EXPECT_EQ(page.dpi, embedded[i].dpi);
            ASSERT_TRUE(page.image.has_value());
            // Poppler's render of the same page at the image's resolution is
            // the reference: same size, same pixels (give or take resampling).
            const DecodeResult render = decode(
                readFile("image_pages.pdf"),
                {{"image_pages", "render"}, {"dpi", page.dpi}, {"render_format", format}}, i);
            ASSERT_EQ(render.doc.pages.size(), 9u);
            const FakePage& reference = render.doc.pages[i];
            ASSERT_TRUE(reference.image.has_value());
            ASSERT_EQ(reference.width, page.width);
            ASSERT_EQ(reference.height, page.height);
            if (std::string(format) == "gray") {
                EXPECT_EQ(page.image->format, static_cast<uint32_t>(SAKSI_PIXEL_GRAY8));
            } else if (i == 1 || i == 4) {  // the RGB scans stay RGB
                EXPECT_EQ(page.image->format, static_cast<uint32_t>(SAKSI_PIXEL_RGB24));
            }
            if (page.image->format != reference.image->format) continue;
            EXPECT_LT(meanDifference(page, reference), 6.0);
        }
        for (size_t i = 6; i < 9; ++i) {
            SCOPED_TRACE("page " + std::to_string(i + 1));
            EXPECT_EQ(run.doc.pages[i].imageSource, "render");
            EXPECT_EQ(run.doc.pages[i].dpi, 300u);
        }
    }
}

TEST(PdfDecodeStage, ImagePagesLargerThanTheLimitAreRendered) {
    const DecodeResult run =
        decode(readFile("image_pages.pdf"),
               {{"max_page_pixels", 1000000}, {"dpi", 72}, {"min_embedded_dpi", 0}});
    ASSERT_EQ(run.status, SAKSI_OK) << run.err;
    ASSERT_EQ(run.doc.pages.size(), 9u);
    // 1240 x 1754 > 1e6 pixels: rendered at 72 dpi; 827 x 1170 (100 dpi) < 1e6: taken.
    EXPECT_EQ(run.doc.pages[0].imageSource, "render");
    EXPECT_EQ(run.doc.pages[0].dpi, 72u);
    EXPECT_EQ(run.doc.pages[4].imageSource, "embedded");
}

TEST(PdfDecodeStage, DecidesPerPage) {
    const DecodeResult run = decode(readFile("mixed.pdf"), {{"render_format", "gray"}});
    ASSERT_EQ(run.status, SAKSI_OK) << run.err;
    ASSERT_EQ(run.doc.pages.size(), 2u);
    EXPECT_EQ(run.doc.pages[0].textSource, static_cast<uint32_t>(SAKSI_TEXT_PDF));
    EXPECT_FALSE(run.doc.pages[0].image.has_value());
    EXPECT_FALSE(run.doc.pages[1].textSource.has_value());
    ASSERT_TRUE(run.doc.pages[1].image.has_value());
    EXPECT_EQ(run.doc.pages[1].image->format, static_cast<uint32_t>(SAKSI_PIXEL_GRAY8));
    EXPECT_EQ(run.doc.pages[1].pixels.size(),
              static_cast<size_t>(run.doc.pages[1].width) * run.doc.pages[1].height);
}

TEST(PdfDecodeStage, UnmappedGlyphsAreRendered) {
    const DecodeResult run = decode(readFile("unmapped.pdf"));
    ASSERT_EQ(run.status, SAKSI_OK) << run.err;
    ASSERT_EQ(run.doc.pages.size(), 1u);
    EXPECT_FALSE(run.doc.pages[0].textSource.has_value());
    EXPECT_TRUE(run.doc.pages[0].image.has_value());
    // Accepting any share keeps the text layer.
    const DecodeResult lenient = decode(readFile("unmapped.pdf"), {{"max_unmapped_ratio", 1.0}});
    ASSERT_EQ(lenient.doc.pages.size(), 1u);
    EXPECT_EQ(lenient.doc.pages[0].textSource, static_cast<uint32_t>(SAKSI_TEXT_PDF));
}

TEST(PdfDecodeStage, RotatedCroppedPageBoxesMatchTheRender) {
    // Crop box 523 x 406 pt at (36, 400), /Rotate 90: displayed 406 wide, 523 tall.
    const DecodeResult text = decode(readFile("rotated.pdf"));
    ASSERT_EQ(text.status, SAKSI_OK) << text.err;
    ASSERT_EQ(text.doc.pages.size(), 2u);
    const FakePage& page = text.doc.pages[0];
    EXPECT_EQ(page.width, a4Pixels(406));
    EXPECT_EQ(page.height, a4Pixels(523));
    ASSERT_EQ(page.textSource, static_cast<uint32_t>(SAKSI_TEXT_PDF));
    EXPECT_NE(page.text.find("PERJANJIAN KERJA"), std::string::npos) << page.text;
    const saksi::sdk::Word* title = findWord(page, "PERJANJIAN");
    ASSERT_NE(title, nullptr);
    // Text now runs top to bottom: taller than wide.
    EXPECT_GT(title->bbox.y1 - title->bbox.y0, title->bbox.x1 - title->bbox.x0);

    // The same page rendered (no text is enough): the same frame, and ink
    // inside the title's box.
    const DecodeResult rendered =
        decode(readFile("rotated.pdf"), {{"min_chars", 1000000}, {"render_format", "gray"}});
    ASSERT_EQ(rendered.status, SAKSI_OK) << rendered.err;
    const FakePage& image = rendered.doc.pages[0];
    ASSERT_TRUE(image.image.has_value());
    EXPECT_EQ(image.width, page.width);
    EXPECT_EQ(image.height, page.height);
    size_t inkInside = 0;
    for (int32_t y = title->bbox.y0; y < title->bbox.y1; ++y)
        for (int32_t x = title->bbox.x0; x < title->bbox.x1; ++x)
            inkInside += image.pixels[static_cast<size_t>(y) * image.width + x] < 128;
    const auto area = static_cast<size_t>(title->bbox.x1 - title->bbox.x0) *
                      static_cast<size_t>(title->bbox.y1 - title->bbox.y0);
    EXPECT_GT(inkInside, area / 10);
}

TEST(PdfDecodeStage, EncryptedPdfFails) {
    const DecodeResult run = decode(readFile("encrypted.pdf"));
    EXPECT_EQ(run.status, SAKSI_ERROR);
    EXPECT_TRUE(run.hasError("pdf.encrypted"));
    EXPECT_TRUE(run.doc.pages.empty());
}

TEST(PdfDecodeStage, OwnerPasswordOnlyIsReadable) {
    const DecodeResult run = decode(readFile("owner_password.pdf"));
    ASSERT_EQ(run.status, SAKSI_OK) << run.err;
    ASSERT_EQ(run.doc.pages.size(), 2u);
    EXPECT_EQ(run.doc.pages[1].text, "Halaman kedua: tanda tangan para pihak.");
}

TEST(PdfDecodeStage, TruncatedPdfFailsQuietly) {
    std::vector<uint8_t> bytes = readFile("digital.pdf");
    bytes.resize(bytes.size() / 3);
    testing::internal::CaptureStderr();
    const DecodeResult run = decode(bytes);
    const std::string stderrText = testing::internal::GetCapturedStderr();
    EXPECT_EQ(run.status, SAKSI_ERROR);
    EXPECT_TRUE(run.hasError("pdf.corrupt"))
        << (run.doc.errors.empty() ? "" : run.doc.errors[0].first);
    EXPECT_EQ(stderrText, "");
    // Poppler's complaints went to the host's log instead, at debug level.
    const std::lock_guard lock(logMutex);
    bool routed = false;
    for (const auto& [level, line] : logLines)
        routed |= level == 0 && line.starts_with("poppler: ");
    EXPECT_TRUE(routed);
}

TEST(PdfDecodeStage, DamagedPageIsKeptEmptyAndReported) {
    // Overwrites page 1's object in the page tree: Poppler still finds two
    // pages but can read only one.
    std::vector<uint8_t> bytes = readFile("digital.pdf");
    ASSERT_GT(bytes.size(), 450u);
    std::fill(bytes.begin() + 300, bytes.begin() + 450, 'X');
    const DecodeResult run = decode(bytes, {{"dpi", 72}});
    ASSERT_EQ(run.status, SAKSI_OK) << run.err;
    ASSERT_EQ(run.doc.pages.size(), 2u);
    EXPECT_TRUE(run.hasError("pdf.page_corrupt"));
    size_t empty = 0;
    for (const FakePage& page : run.doc.pages)
        empty += !page.textSource.has_value() && !page.image.has_value();
    EXPECT_EQ(empty, 1u);
}

TEST(PdfDecodeStage, GarbageAndEmptyInputAreCorrupt) {
    EXPECT_TRUE(decode({}).hasError("pdf.corrupt"));
    EXPECT_TRUE(decode(std::vector<uint8_t>(4096, 0x5A)).hasError("pdf.corrupt"));
    const std::string notPdf = "%PDF-1.7\nthis is not a pdf\n%%EOF\n";
    EXPECT_TRUE(decode({notPdf.begin(), notPdf.end()}).hasError("pdf.corrupt"));
}

TEST(PdfDecodeStage, TooManyPages) {
    const DecodeResult run = decode(readFile("digital.pdf"), {{"max_pages", 1}});
    EXPECT_EQ(run.status, SAKSI_ERROR);
    EXPECT_TRUE(run.hasError("pdf.too_many_pages"));
    EXPECT_TRUE(run.doc.pages.empty());
}

TEST(PdfDecodeStage, LargePagesUseALowerDpi) {
    const DecodeResult run =
        decode(readFile("scanned.pdf"), {{"max_page_pixels", 2000000}, {"min_embedded_dpi", 0}});
    ASSERT_EQ(run.status, SAKSI_OK) << run.err;
    const FakePage& page = run.doc.pages.at(0);
    EXPECT_LE(static_cast<uint64_t>(page.width) * page.height, 2000000u);
    EXPECT_LT(page.dpi, 300u);
    EXPECT_EQ(page.image->dpi, page.dpi);
}

}  // namespace
}  // namespace saksi::decode_pdf
