// The redaction stage's leak verifier: each check catches a planted value
// and passes a clean output.
#include "leak_check.hpp"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <zlib.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace saksi::redact {
namespace {

// ---- normalisation ---------------------------------------------------------

TEST(NormalizeForSearch, FoldsCaseSeparatorsAndCompatibilityForms) {
    EXPECT_EQ(normalizeForSearch("+62 812-3456-7890"), "6281234567890");
    EXPECT_EQ(normalizeForSearch("+62 812-3456-7890", true), "6281234567890");
    EXPECT_EQ(normalizeForSearch("Siti.Aminah@Example.COM"), "sitiaminahexamplecom");
    EXPECT_EQ(normalizeForSearch("\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\x91\xEF\xBC\x92"),
              "ab12");                                                 // full-width "ＡＢ１２"
    EXPECT_EQ(normalizeForSearch("\xEF\xAC\x81le\xC2\xB2"), "file2");  // "ﬁle²"
    EXPECT_EQ(normalizeForSearch("Stra\xC3\x9F"
                                 "e"),
              "strasse");                                   // "Straße"
    EXPECT_EQ(normalizeForSearch("Jos\xC3\xA9"), "jose");   // precomposed é
    EXPECT_EQ(normalizeForSearch("Jose\xCC\x81"), "jose");  // e + combining acute
    EXPECT_EQ(normalizeForSearch("P<UTOWIRADINATA<<RATNA"), "putowiradinataratna");
    EXPECT_EQ(normalizeForSearch("A-12 b", true), "12");
    EXPECT_EQ(normalizeForSearch("\xFF\xFE"
                                 "ok\xE2\x82"),
              "ok");  // malformed UTF-8 skipped
    EXPECT_EQ(normalizeLatin1ForSearch("Caf\xE9 \xB2"), "cafe2");
}

TEST(NormalizeForSearch, OneNumberInEveryNotationFoldsAlike) {
    const std::string e164 = normalizeForSearch("+6281234567890", true);
    EXPECT_EQ(normalizeForSearch("+62 812-3456-7890"), e164);
    EXPECT_EQ(normalizeForSearch("(+62) 812.3456.7890"), e164);
    EXPECT_NE(normalizeForSearch("+62 812-3456-7891"), e164);
}

// ---- JSON ------------------------------------------------------------------

const std::vector<SecretValue> kPhone = {{"phone", "+62 857-2291-4638", true},
                                         {"phone", "+6285722914638", true}};

TEST(JsonLeaks, FindsAValueInAnyStringAndSplitOverWords) {
    EXPECT_EQ(findJsonLeaks(kPhone, R"({"pages":[{"text":"Telepon: +62 857 2291 4638"}]})"),
              (std::vector<Leak>{{"phone", "json"}}));
    // OCR split the number into words; no single string holds it.
    EXPECT_EQ(
        findJsonLeaks(kPhone, R"({"words":[{"text":"+62"},{"text":"857-2291"},{"text":"4638"}]})"),
        (std::vector<Leak>{{"phone", "json"}}));
    EXPECT_EQ(findJsonLeaks(kPhone, R"({"source":{"name":"hp_6285722914638.png"}})"),
              (std::vector<Leak>{{"phone", "json"}}));
}

TEST(JsonLeaks, PassesARedactedRecordAndIgnoresNumbers) {
    EXPECT_TRUE(findJsonLeaks(kPhone, R"({"pages":[{"text":"Telepon: [PHONE]",
        "words":[{"text":"[PHONE]","bbox":[62,857,2291,4638]}]}]})")
                    .empty());
}

TEST(JsonLeaks, UnreadableJsonIsNotCleared) {
    EXPECT_EQ(findJsonLeaks(kPhone, "{\"text\": "), (std::vector<Leak>{{"json", "json"}}));
}

// ---- PDF -------------------------------------------------------------------

std::string deflate(const std::string& data) {
    uLongf size = compressBound(data.size());
    std::string out(size, '\0');
    EXPECT_EQ(compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                        reinterpret_cast<const Bytef*>(data.data()), data.size(), 9),
              Z_OK);
    out.resize(size);
    return out;
}

std::string streamObject(const std::string& dict, const std::string& data) {
    return "<< " + dict + " /Length " + std::to_string(data.size()) + " >>\nstream\n" + data +
           "\nendstream";
}

// A one-page PDF whose page draws `text` in Helvetica through a Flate
// content stream; `extra` objects follow (numbered from 6), `trailer` is
// added to the trailer dictionary.
std::vector<uint8_t> makePdf(const std::string& text, std::vector<std::string> extra = {},
                             const std::string& trailer = "") {
    const std::string page = std::string("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] ") +
                             "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>";
    std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        streamObject("/Filter /FlateDecode",
                     deflate("BT /F1 12 Tf 72 720 Td (" + text + ") Tj ET"))};
    objects.insert(objects.end(), extra.begin(), extra.end());
    std::string pdf = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (std::size_t offset : offsets) {
        char line[24];
        std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
        pdf += line;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R " + trailer +
           " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return {pdf.begin(), pdf.end()};
}

TEST(PdfLeaks, FindsAValueInACompressedContentStream) {
    const auto pdf = makePdf("Telepon: +62 857-2291-4638");
    EXPECT_EQ(findPdfTextLeaks(kPhone, pdf), (std::vector<Leak>{{"phone", "pdf-text"}}));
    EXPECT_EQ(findPdfByteLeaks(kPhone, pdf), (std::vector<Leak>{{"phone", "pdf-bytes"}}));
}

TEST(PdfLeaks, PassesARedactedPdf) {
    const auto pdf = makePdf("Telepon: [PHONE]");
    EXPECT_TRUE(findPdfTextLeaks(kPhone, pdf).empty());
    EXPECT_TRUE(findPdfByteLeaks(kPhone, pdf).empty());
}

TEST(PdfLeaks, FindsAValueOnlyTheBytesHold) {
    // Metadata no page shows: an Info dictionary and a compressed XMP stream.
    const auto info =
        makePdf("Telepon: [PHONE]", {"<< /Title (HP 0857 2291 4638 +62) >>"}, "/Info 6 0 R");
    const std::vector<SecretValue> local = {{"phone", "0857-2291-4638", true}};
    EXPECT_TRUE(findPdfTextLeaks(local, info).empty());
    EXPECT_EQ(findPdfByteLeaks(local, info), (std::vector<Leak>{{"phone", "pdf-bytes"}}));

    const auto xmp =
        makePdf("Telepon: [PHONE]",
                {streamObject("/Type /Metadata /Subtype /XML /Filter [/AHx /FlateDecode]", [] {
                    std::string hex;
                    for (unsigned char c : deflate("<dc:creator>0857-2291-4638</dc:creator>")) {
                        char h[3];
                        std::snprintf(h, sizeof h, "%02X", c);
                        hex += h;
                    }
                    return hex + ">";
                }())});
    EXPECT_EQ(findPdfByteLeaks(local, xmp), (std::vector<Leak>{{"phone", "pdf-bytes"}}));
}

TEST(PdfLeaks, LeavesImagePixelsToTheReOcr) {
    // Decoded image samples are not text: bytes that spell a value there are
    // not searched (the re-OCR reads the pixels instead).
    const auto pdf =
        makePdf("Telepon: [PHONE]",
                {streamObject("/Type /XObject /Subtype /Image /Width 14 /Height 1 /ColorSpace "
                              "/DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
                              deflate("+6285722914638"))});
    EXPECT_TRUE(findPdfByteLeaks(kPhone, pdf).empty());
}

TEST(PdfLeaks, AStreamThatCannotBeDecodedIsNotCleared) {
    const auto pdf = makePdf("Telepon: [PHONE]",
                             {streamObject("/Filter /LZWDecode", std::string("\x80\x0B\x60", 3))});
    EXPECT_EQ(findPdfByteLeaks(kPhone, pdf), (std::vector<Leak>{{"pdf", "pdf-bytes"}}));
    const std::vector<uint8_t> junk = {'n', 'o', 't', ' ', 'a', ' ', 'p', 'd', 'f'};
    EXPECT_EQ(findPdfTextLeaks(kPhone, junk), (std::vector<Leak>{{"pdf", "pdf"}}));
}

// ---- pixels ----------------------------------------------------------------

// A page image in GRAY8 with its own pixels.
struct GrayPage {
    std::vector<uint8_t> pixels;
    uint32_t width = 0, height = 0, dpi = 0;

    sdk::ImageView view() const {
        return {width, height, width, SAKSI_PIXEL_GRAY8, dpi, pixels.data()};
    }
    void fill(const saksi_box& b, uint8_t value) {
        for (int32_t y = b.y0; y < b.y1; ++y)
            std::fill_n(pixels.begin() + static_cast<std::ptrdiff_t>(y) * width + b.x0, b.x1 - b.x0,
                        value);
    }
};

GrayPage loadGray(const std::string& path) {
    struct PixDeleter {
        void operator()(PIX* p) const { pixDestroy(&p); }
    };
    std::unique_ptr<PIX, PixDeleter> pix(pixRead(path.c_str()));
    if (!pix) throw std::runtime_error("cannot read " + path);
    std::unique_ptr<PIX, PixDeleter> gray(pixConvertTo8(pix.get(), 0));
    GrayPage page;
    page.width = pixGetWidth(gray.get());
    page.height = pixGetHeight(gray.get());
    page.dpi = pixGetXRes(gray.get());
    page.pixels.resize(std::size_t{page.width} * page.height);
    const l_uint32* data = pixGetData(gray.get());
    const int wpl = pixGetWpl(gray.get());
    for (uint32_t y = 0; y < page.height; ++y)
        for (uint32_t x = 0; x < page.width; ++x)
            page.pixels[std::size_t{y} * page.width + x] =
                GET_DATA_BYTE(data + static_cast<std::ptrdiff_t>(y) * wpl, x);
    return page;
}

// Where samples/contract_scan.png prints "+62 857-2291-4638" and, on the
// next line, "dewi.lestari98@example.com" (its generator's layout).
constexpr saksi_box kPhoneBox = {794, 1081, 1165, 1125};
constexpr saksi_box kEmailBox = {794, 1135, 1349, 1186};

class ReOcr : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        checker_ = new LeakChecker(LeakCheckConfig{});
        scan_ = new GrayPage(loadGray(LEAK_CHECK_SAMPLES_DIR "/contract_scan.png"));
    }
    static void TearDownTestSuite() {
        delete checker_;
        delete scan_;
    }
    static LeakChecker* checker_;
    static GrayPage* scan_;
    const std::vector<SecretValue> secrets_ = {{"phone", "+62 857-2291-4638", true},
                                               {"email", "dewi.lestari98@example.com", false}};
};
LeakChecker* ReOcr::checker_ = nullptr;
GrayPage* ReOcr::scan_ = nullptr;

TEST_F(ReOcr, ReadsAValueLeftUnderABoxThatWasNotBurnedIn) {
    const std::vector<RedactedPage> pages = {{1, scan_->view(), {kPhoneBox}}};
    const auto leaks = checker_->findOcrLeaks(secrets_, pages);
    // The email on the next line lies in the phone box's surroundings too.
    EXPECT_EQ(leaks, (std::vector<Leak>{{"phone", "re-ocr:page 1"}, {"email", "re-ocr:page 1"}}));
    EXPECT_EQ(findCoverageLeaks({}, pages), (std::vector<Leak>{{"pixels", "burn:page 1"}}));
}

TEST_F(ReOcr, FindsAValueNextToABurnedBox) {
    GrayPage page = *scan_;
    page.fill(kPhoneBox, 0);
    const std::vector<RedactedPage> pages = {{1, page.view(), {kPhoneBox}}};
    EXPECT_EQ(checker_->findOcrLeaks(secrets_, pages),
              (std::vector<Leak>{{"email", "re-ocr:page 1"}}));
}

TEST_F(ReOcr, PassesBurnedBoxes) {
    GrayPage page = *scan_;
    page.fill(kPhoneBox, 0);
    page.fill(kEmailBox, 0);
    const std::vector<RedactedPage> pages = {{1, page.view(), {kPhoneBox, kEmailBox}}};
    EXPECT_TRUE(checker_->findOcrLeaks(secrets_, pages).empty());
    EXPECT_TRUE(findCoverageLeaks({}, pages).empty());
}

TEST_F(ReOcr, AllChecksTogether) {
    GrayPage page = *scan_;
    page.fill(kPhoneBox, 0);
    page.fill(kEmailBox, 0);
    const std::vector<RedactedPage> pages = {{1, page.view(), {kPhoneBox, kEmailBox}}};
    const std::vector<RedactedEntity> entities = {
        {"phone", 1, {{798, 1088, 866, 1119}, {882, 1085, 1161, 1118}}},
        {"email", 1, {{798, 1139, 1345, 1182}}}};
    const std::string json = R"({"pages":[{"text":"Telepon : [PHONE]\nEmail : [EMAIL]"}]})";
    EXPECT_TRUE(
        checker_->findLeaks(secrets_, json, makePdf("Telepon : [PHONE]"), pages, entities).empty());

    const auto leaks = checker_->findLeaks(
        secrets_, json, makePdf("Email: dewi.lestari98@example.com"), pages, entities);
    EXPECT_EQ(leaks, (std::vector<Leak>{{"email", "pdf-text"}, {"email", "pdf-bytes"}}));
    EXPECT_EQ(describeLeaks(leaks), "2 leaks: email in pdf-text, email in pdf-bytes");
}

// ---- coverage --------------------------------------------------------------

TEST(CoverageLeaks, FlagsAnEntityWhoseSecondWordHasNoBox) {
    GrayPage page{std::vector<uint8_t>(std::size_t{400} * 100, 255), 400, 100, 200};
    const saksi_box first = {10, 10, 90, 40}, second = {100, 10, 190, 40};
    page.fill({8, 8, 92, 42}, 0);
    const std::vector<RedactedPage> pages = {{1, page.view(), {{8, 8, 92, 42}}}};
    const std::vector<RedactedEntity> entity = {{"person", 1, {first, second}}};
    EXPECT_EQ(findCoverageLeaks(entity, pages), (std::vector<Leak>{{"person", "coverage:page 1"}}));
}

TEST(CoverageLeaks, AcceptsWordsCoveredByTheUnionOfBoxes) {
    GrayPage page{std::vector<uint8_t>(std::size_t{400} * 100, 255), 400, 100, 200};
    page.fill({8, 8, 100, 42}, 0);
    page.fill({100, 8, 192, 42}, 0);
    const std::vector<RedactedPage> pages = {
        {1, page.view(), {{8, 8, 100, 42}, {100, 8, 192, 42}}}};
    // The second word straddles the two boxes.
    const std::vector<RedactedEntity> entity = {
        {"person", 1, {{10, 10, 90, 40}, {95, 10, 190, 40}}}};
    EXPECT_TRUE(findCoverageLeaks(entity, pages).empty());
    // A box one pixel short leaves a column of the word.
    const std::vector<RedactedEntity> wider = {
        {"person", 1, {{10, 10, 90, 40}, {95, 10, 193, 40}}}};
    EXPECT_EQ(findCoverageLeaks(wider, pages), (std::vector<Leak>{{"person", "coverage:page 1"}}));
}

TEST(CoverageLeaks, FlagsAnEntityOnAPageThatWasNotRendered) {
    const std::vector<RedactedEntity> entity = {{"phone", 2, {{10, 10, 90, 40}}}};
    EXPECT_EQ(findCoverageLeaks(entity, {}), (std::vector<Leak>{{"phone", "coverage:page 2"}}));
}

TEST(CoverageLeaks, FlagsABoxDrawnAsAFrameOnly) {
    GrayPage page{std::vector<uint8_t>(std::size_t{400} * 100, 255), 400, 100, 200};
    page.fill({8, 8, 92, 10}, 0);  // only the top edge overwritten
    const std::vector<RedactedPage> pages = {{1, page.view(), {{8, 8, 92, 42}}}};
    EXPECT_EQ(findCoverageLeaks({}, pages), (std::vector<Leak>{{"pixels", "burn:page 1"}}));
}

}  // namespace
}  // namespace saksi::redact
