// The host API over a document: who may write what, and coordinate mapping.
#include "document.hpp"
#include "hashing.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>

namespace saksi {
namespace {

StageDef stageOf(uint32_t kind, uint32_t scope, const std::string& id) {
    StageDef def;
    def.abi.kind = kind;
    def.abi.scope = scope;
    def.id = id;
    return def;
}

class DocumentTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("saksi_document_test_" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
        std::ofstream(dir_ / "doc.bin", std::ios::binary) << "some original bytes";
        doc_ = std::make_unique<Document>(InputItem::file(dir_ / "doc.bin"), dir_ / "out");
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::string json(const char* pointer) { return jsonAt(*doc_, pointer); }
    static std::string jsonAt(const Document& doc, const char* pointer) {
        std::string out;
        const int32_t rc = doc.getJson(
            pointer,
            [](void* u, saksi_str s) { static_cast<std::string*>(u)->assign(s.data, s.size); },
            &out);
        return rc == SAKSI_OK ? out : "<" + std::to_string(rc) + ">";
    }
    int32_t put(StageCall& call, const char* pointer, const std::string& value) {
        return doc_->putJson(call, pointer, {value.data(), value.size()});
    }

    std::filesystem::path dir_;
    std::unique_ptr<Document> doc_;
    StageDef decode_ = stageOf(SAKSI_STAGE_DECODE, SAKSI_SCOPE_DOCUMENT, "decode.test");
    StageDef ocr_ = stageOf(SAKSI_STAGE_OCR, SAKSI_SCOPE_PAGE, "ocr.test");
    StageDef extract_ = stageOf(SAKSI_STAGE_EXTRACT, SAKSI_SCOPE_DOCUMENT, "extract.test");
};

TEST_F(DocumentTest, IdIsTheSha256OfTheOriginal) {
    EXPECT_EQ(doc_->id(), "c365a27f1db27912a21263963d8829d60183cc0f9f3c0045da67b72447abc04b");
    EXPECT_EQ(json("/source/sha256"), "\"" + doc_->id() + "\"");
    EXPECT_EQ(json("/source/size"), "19");
    EXPECT_FALSE(doc_->hasErrors());
}

TEST_F(DocumentTest, UnreadableFileBecomesAnError) {
    Document missing(InputItem::file(dir_ / "nope.png"), dir_ / "out");
    EXPECT_TRUE(missing.hasErrors());
    EXPECT_EQ(missing.errorCodes(), nlohmann::json::array({"input.unreadable"}));
    EXPECT_EQ(missing.id().size(), 64u);
}

// A document's id is the hash of the bytes it was read from: bytes that are
// not those the run received fail it under the id it was received with, and
// bytes overwritten in place while it was decoded are caught before the sinks.
TEST_F(DocumentTest, BytesOtherThanThoseReceivedFailWithInputChanged) {
    InputItem item = InputItem::file(dir_ / "doc.bin");
    item.sha256 = doc_->id();
    std::ofstream(dir_ / "doc.bin", std::ios::binary) << "overwritten bytes!!";
    const Document changed(item, dir_ / "out");
    EXPECT_EQ(changed.id(), item.sha256);
    EXPECT_EQ(changed.errorCodes(), nlohmann::json::array({"input.changed"}));
    EXPECT_FALSE(changed.hasBytes());
    EXPECT_EQ(jsonAt(changed, "/source/sha256"), "\"" + item.sha256 + "\"");

    item.sha256 = sha256Hex(std::string_view("overwritten bytes!!"));
    Document reading(item, dir_ / "out");
    EXPECT_TRUE(reading.checkBytesUnchanged());
    {
        std::fstream f(dir_ / "doc.bin", std::ios::binary | std::ios::in | std::ios::out);
        f << "OVER";  // in place: the mapping sees it
    }
    EXPECT_FALSE(reading.checkBytesUnchanged());
    EXPECT_EQ(reading.id(), item.sha256);
    EXPECT_EQ(reading.errorCodes(), nlohmann::json::array({"input.changed"}));
}

TEST_F(DocumentTest, OnlyDecodersAddPages) {
    StageCall dec{doc_.get(), &decode_, SAKSI_ALL_PAGES, "decode.test@1", 0};
    StageCall ext{doc_.get(), &extract_, SAKSI_ALL_PAGES, "extract.test@1", 0};
    saksi_page_init init{sizeof(saksi_page_init), 100, 50, 300, nullptr, nullptr, 0};
    EXPECT_EQ(doc_->addPage(ext, &init), SAKSI_E_DENIED);
    EXPECT_EQ(doc_->addPage(dec, &init), SAKSI_OK);
    EXPECT_EQ(doc_->pageCount(), 1u);
    EXPECT_EQ(json("/pages/0/number"), "1");
    EXPECT_EQ(json("/pages/0/text_source"), "null");
    saksi_image out{};
    EXPECT_EQ(doc_->pageImage(dec, 0, &out), SAKSI_E_NOT_FOUND) << "a page without an image";
    init.width = 0;
    EXPECT_EQ(doc_->addPage(dec, &init), SAKSI_E_INVALID);
}

TEST_F(DocumentTest, WordBoxesAreMappedBackThroughThePreprocessScale) {
    StageCall dec{doc_.get(), &decode_, SAKSI_ALL_PAGES, "decode.test@1", 0};
    std::vector<uint8_t> pixels(100 * 50, 255);
    saksi_image image{100, 50, 100, SAKSI_PIXEL_GRAY8, 300, pixels.data()};
    saksi_page_init init{sizeof(saksi_page_init), 100, 50, 300, &image, nullptr, 0};
    ASSERT_EQ(doc_->addPage(dec, &init), SAKSI_OK);
    ASSERT_EQ(doc_->addPage(dec, &init), SAKSI_OK);

    StageCall page0{doc_.get(), &ocr_, 0, "ocr.test@1", 0};
    std::vector<uint8_t> big(200 * 100, 128);
    saksi_image scaled{200, 100, 200, SAKSI_PIXEL_GRAY8, 600, big.data()};
    const saksi_page_transform x2{sizeof(saksi_page_transform), 2.0, 0.0};
    EXPECT_EQ(doc_->setPageImage(page0, 1, &scaled, &x2, "x"), SAKSI_E_DENIED)
        << "a page stage keeps to its own page";
    ASSERT_EQ(doc_->setPageImage(page0, 0, &scaled, &x2, "scaled x2"), SAKSI_OK);
    saksi_image view{};
    ASSERT_EQ(doc_->pageImage(page0, 0, &view), SAKSI_OK);
    EXPECT_EQ(view.width, 200u);
    EXPECT_EQ(json("/pages/0/preprocessing"), R"(["scaled x2"])");

    const std::string text = "Dewi Lestari";
    saksi_word words[] = {{{text.data(), 4}, {20, 10, 60, 30}, 91.5f},
                          {{text.data() + 5, 7}, {70, 10, 190, 30}, 88.0f}};
    saksi_page_text pt{
        sizeof(saksi_page_text), SAKSI_TEXT_OCR, {text.data(), text.size()}, words, 2,
        sizeof(saksi_word),      89.75f};
    ASSERT_EQ(doc_->setPageText(page0, 0, &pt), SAKSI_OK);
    const auto page = nlohmann::json::parse(json("/pages/0"));
    EXPECT_EQ(page["text"], "Dewi Lestari");
    EXPECT_EQ(page["text_source"], "ocr");
    EXPECT_EQ(page["words"][0]["bbox"], nlohmann::json::array({10, 5, 30, 15}));
    EXPECT_EQ(page["words"][1]["bbox"], nlohmann::json::array({35, 5, 95, 15}));
    EXPECT_DOUBLE_EQ(page["ocr_confidence"].get<double>(), 89.75);
    EXPECT_EQ(page["width"], 100) << "the page keeps its own size";
}

TEST_F(DocumentTest, WordBoxesAreMappedBackThroughADeskewRotation) {
    StageCall dec{doc_.get(), &decode_, SAKSI_ALL_PAGES, "decode.test@1", 0};
    std::vector<uint8_t> pixels(200 * 100, 255);
    saksi_image image{200, 100, 200, SAKSI_PIXEL_GRAY8, 300, pixels.data()};
    saksi_page_init init{sizeof(saksi_page_init), 200, 100, 300, &image, nullptr, 0};
    ASSERT_EQ(doc_->addPage(dec, &init), SAKSI_OK);
    // Rotating the content 90 degrees clockwise (y down) about the centre
    // (100, 50) takes the page point (150, 50) to (100, 100).
    StageCall page0{doc_.get(), &ocr_, 0, "ocr.test@1", 0};
    const saksi_page_transform quarter{sizeof(saksi_page_transform), 1.0, 90.0};
    ASSERT_EQ(doc_->setPageImage(page0, 0, &image, &quarter, "rotated"), SAKSI_OK);
    const std::string text = "x";
    saksi_word word{{text.data(), 1}, {95, 95, 105, 99}, 90.0f};
    saksi_page_text pt{sizeof(saksi_page_text), SAKSI_TEXT_OCR, {text.data(), 1}, &word, 1,
                       sizeof(saksi_word),      90.0f};
    ASSERT_EQ(doc_->setPageText(page0, 0, &pt), SAKSI_OK);
    EXPECT_EQ(nlohmann::json::parse(json("/pages/0/words/0/bbox")),
              nlohmann::json::array({145, 45, 149, 55}));
}

TEST_F(DocumentTest, StagesWriteOnlyWhereTheyMay) {
    StageCall ext{doc_.get(), &extract_, SAKSI_ALL_PAGES, "extract.test@1.2.0", 0};
    EXPECT_EQ(put(ext, "/document/kind", R"("contract")"), SAKSI_OK);
    EXPECT_EQ(put(ext, "/passport", R"({"mrz": {"valid": true}})"), SAKSI_OK);
    EXPECT_EQ(put(ext, "/provenance/engines/x", R"("1.0")"), SAKSI_OK);
    EXPECT_EQ(put(ext, "/provenance/engines/x", R"(1)"), SAKSI_E_INVALID);
    EXPECT_EQ(put(ext, "/provenance/redaction", R"({"policy": "share"})"), SAKSI_OK);
    EXPECT_EQ(put(ext, "/provenance/redaction", R"("share")"), SAKSI_E_INVALID);
    EXPECT_EQ(put(ext, "/provenance/redaction/policy", R"("x")"), SAKSI_E_DENIED);
    EXPECT_EQ(put(ext, "/entities/-", R"({"type": "phone", "text": "+62"})"), SAKSI_OK);
    EXPECT_EQ(put(ext, "/entities/-", R"([1])"), SAKSI_E_INVALID);
    EXPECT_EQ(put(ext, "/entities/-", R"({"broken": )"), SAKSI_E_INVALID);
    for (const char* denied : {"/status", "/id", "/pages/0", "/source/path", "/errors/-",
                               "/provenance/stages", "/passports", "/entities/0", ""})
        EXPECT_EQ(put(ext, denied, "1"), SAKSI_E_DENIED) << denied;
    EXPECT_EQ(json("/document/kind"), R"("contract")");
    EXPECT_EQ(json("/entities/0/detector"), R"("extract.test@1.2.0")")
        << "the host names the stage that found an entity";
    EXPECT_EQ(json("/nothing/here"), "<" + std::to_string(SAKSI_E_NOT_FOUND) + ">");
    EXPECT_EQ(json("no-slash"), "<" + std::to_string(SAKSI_E_INVALID) + ">");
}

TEST_F(DocumentTest, APageTakesItsLanguagesAndNothingElse) {
    StageCall dec{doc_.get(), &decode_, SAKSI_ALL_PAGES, "decode.test@1", 0};
    saksi_page_init init{sizeof(saksi_page_init), 100, 50, 300, nullptr, nullptr, 0};
    ASSERT_EQ(doc_->addPage(dec, &init), SAKSI_OK);
    ASSERT_EQ(doc_->addPage(dec, &init), SAKSI_OK);
    StageCall ext{doc_.get(), &extract_, SAKSI_ALL_PAGES, "extract.test@1", 0};
    EXPECT_EQ(put(ext, "/pages/1/languages", R"(["ind", "eng"])"), SAKSI_OK);
    EXPECT_EQ(put(ext, "/pages/0/languages", "[]"), SAKSI_OK);
    EXPECT_EQ(json("/pages/1/languages"), R"(["ind","eng"])");
    EXPECT_EQ(json("/pages/0/languages"), "[]");
    EXPECT_EQ(put(ext, "/pages/2/languages", "[]"), SAKSI_E_NOT_FOUND);
    for (const char* bad : {R"(["id"])", R"(["ind", "ind"])", R"("ind")", R"([1])", R"(["IND"])"})
        EXPECT_EQ(put(ext, "/pages/0/languages", bad), SAKSI_E_INVALID) << bad;
    for (const char* denied : {"/pages/0/text", "/pages/00/languages", "/pages/-/languages",
                               "/pages/0/languages/0", "/pages/x/languages"})
        EXPECT_EQ(put(ext, denied, "[]"), SAKSI_E_DENIED) << denied;
    // A page-scope stage writes only its own page's.
    StageCall page1{doc_.get(), &ocr_, 1, "ocr.test@1", 0};
    EXPECT_EQ(put(page1, "/pages/1/languages", R"(["eng"])"), SAKSI_OK);
    EXPECT_EQ(put(page1, "/pages/0/languages", R"(["eng"])"), SAKSI_E_DENIED);
}

TEST_F(DocumentTest, StatusFollowsErrors) {
    doc_->finalize(false, {{"stages", nlohmann::json::array()}});
    EXPECT_EQ(doc_->status(), "ok");
    doc_->addError("extract.test", "extract.confused", "a sentence");
    doc_->addError("extract.test", "Not A Code", "kept, but flagged");
    doc_->finalize(false, {{"stages", nlohmann::json::array()}});
    EXPECT_EQ(doc_->status(), "partial");
    EXPECT_EQ(doc_->errorCodes(),
              nlohmann::json::array({"extract.confused", "stage.bad_error_code"}));
    doc_->finalize(true, {{"stages", nlohmann::json::array()}});
    EXPECT_EQ(doc_->status(), "failed");
}

TEST_F(DocumentTest, IntakeErrorKeepsTheContentHashAndTheContainerChain) {
    InputItem item = InputItem::file(dir_ / "doc.bin");
    item.sourcePath = "/in/seized.zip";
    item.name = "x.png";
    item.container =
        nlohmann::json::array({{{"archive", "/in/seized.zip"}, {"member", "../x.png"}}});
    item.error = IntakeError{"archive.unsafe_path", "member path leaves the archive"};
    Document doc(item, dir_ / "out");
    EXPECT_EQ(doc.errorCodes(), nlohmann::json::array({"archive.unsafe_path"}));
    EXPECT_EQ(doc.id(), doc_->id());  // same bytes, same id
    const auto source = nlohmann::json::parse(jsonAt(doc, "/source"));
    EXPECT_EQ(source["path"], "/in/seized.zip");
    EXPECT_EQ(source["name"], "x.png");
    EXPECT_EQ(source["container"][0]["member"], "../x.png");
}

TEST(InputItemTest, RoundTripsThroughJson) {
    InputItem item = InputItem::file("/tmp/a b.png");
    item.container = nlohmann::json::array({{{"archive", "/in/a.zip"}, {"member", "b.png"}}});
    item.temporary = true;
    item.error = IntakeError{"archive.too_deep", "nested 9 deep"};
    const InputItem back = InputItem::fromJson(item.toJson());
    EXPECT_EQ(back.toJson(), item.toJson());
    EXPECT_EQ(back.display(), "/tmp/a b.png!b.png");
}

}  // namespace
}  // namespace saksi
