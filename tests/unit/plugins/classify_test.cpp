// classify.layout on small record fixtures: each kind from its cues, and
// "other" (never a confident wrong kind) when the cues are weak or mixed.
#include "classify_config.hpp"
#include "layout_classifier.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
using saksi::classify::ClassifyConfig;
using saksi::classify::classifyRecord;
using saksi::classify::looksLikeMrzLine;

const ClassifyConfig& defaults() {
    static const ClassifyConfig config = ClassifyConfig::fromJson(json::object());
    return config;
}

// A page whose lines each start at the x given for them (page pixels), one
// word box per whitespace-separated word, 40 px per line.
json page(const std::vector<std::pair<std::string, int>>& lines, int width, int height) {
    std::string text;
    json words = json::array();
    int y = 20;
    for (const auto& [line, x0] : lines) {
        std::istringstream in(line);
        std::string word;
        int x = x0;
        while (in >> word) {
            const int w = static_cast<int>(word.size()) * 12;
            words.push_back({{"text", word}, {"bbox", {x, y, x + w, y + 30}}, {"conf", 90}});
            x += w + 12;
        }
        text += line + "\n";
        y += 40;
    }
    return {{"number", 1}, {"width", width}, {"height", height}, {"text", text}, {"words", words}};
}

json record(std::vector<json> pages) {
    return {{"pages", pages}};
}

json textPage(const std::string& text, int width = 2480, int height = 3508) {
    std::vector<std::pair<std::string, int>> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back({line, 200});
    return page(lines, width, height);
}

TEST(ClassifyMrzLine, RecognisesTd3LinesAsOcrReadsThem) {
    EXPECT_TRUE(looksLikeMrzLine("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"));
    EXPECT_TRUE(looksLikeMrzLine("L898902C36UTO7408122F1204159ZE184226B<<<<<10"));
    EXPECT_TRUE(looksLikeMrzLine("U4821907B8UT09403121F3108099ZQ7302591<<<<<68"));
    EXPECT_FALSE(looksLikeMrzLine("Date of expiry/Tanggal habis berlaku"));
    EXPECT_FALSE(looksLikeMrzLine("PKUTOWIRADINATASSRATNASSARI SSS SSS"));  // no '<' left
    EXPECT_FALSE(looksLikeMrzLine("<<<<"));
}

TEST(Classify, PassportFromMrzAndVisualZone) {
    const auto result =
        classifyRecord(record({textPage("PASSPORT / PASPOR\n"
                                        "Surname/Nama\nERIKSSON\n"
                                        "Date of birth\n12 AUG 1974\n"
                                        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                                        "L898902C36UTO7408122F1204159ZE184226B<<<<<10\n",
                                        1596, 1159)}),
                       defaults());
    EXPECT_EQ(result.kind, "passport");
    EXPECT_GE(result.confidence, 0.8);
}

TEST(Classify, PassportFromOneMrzLineWhenTheOtherIsMisread) {
    const auto result =
        classifyRecord(record({textPage("UTOPIA\nPASSPORT / PASPOR\n"
                                        "PKUTOWIRADINATASSRATNASSARI SSS SSS\n"
                                        "U4821907B8UT09403121F3108099ZQ7302591<<<<<68\n",
                                        1596, 1159)}),
                       defaults());
    EXPECT_EQ(result.kind, "passport");
}

TEST(Classify, IdCardFromTd1Mrz) {
    const auto result = classifyRecord(record({textPage("I<UTOD231458907<<<<<<<<<<<<<<<\n"
                                                        "7408122F1204159UTO<<<<<<<<<<<6\n"
                                                        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<\n",
                                                        1012, 638)}),
                                       defaults());
    EXPECT_EQ(result.kind, "id_card");
}

TEST(Classify, IndonesianContract) {
    const auto result = classifyRecord(
        record({textPage("PERJANJIAN KERJA\nNomor: 017/PK/2025\n"
                         "selanjutnya disebut PIHAK PERTAMA.\nselanjutnya disebut PIHAK KEDUA.\n"
                         "Pasal 1 - Jabatan\nPasal 2 - Gaji\nmenerima gaji pokok USD 1.200\n")}),
        defaults());
    EXPECT_EQ(result.kind, "contract");
    EXPECT_GE(result.confidence, 0.9);
}

TEST(Classify, EnglishContract) {
    const auto result = classifyRecord(
        record({textPage("EMPLOYMENT AGREEMENT\nThis contract is made between the First Party\n"
                         "and the Second Party. The salary is USD 800 per month.\n")}),
        defaults());
    EXPECT_EQ(result.kind, "contract");
}

TEST(Classify, ChatScreenshotFromTimesSidesAndAspect) {
    const auto result = classifyRecord(record({page({{"Rina Loker", 120},
                                                     {"online", 120},
                                                     {"Halo kak, masih cari kerja?", 40},
                                                     {"09:41", 400},
                                                     {"Halo Bu, kerjanya apa ya?", 380},
                                                     {"09:43", 900},
                                                     {"Cuma admin online kak.", 40},
                                                     {"09:44", 400},
                                                     {"Berangkatnya kapan Bu?", 380},
                                                     {"09:46", 900},
                                                     {"Minggu depan.", 40},
                                                     {"09:47", 400},
                                                     {"Ketik pesan", 100}},
                                                    1080, 2400)}),
                                       defaults());
    EXPECT_EQ(result.kind, "chat");
    EXPECT_GE(result.confidence, 0.8);
}

TEST(Classify, ALetterWithAFewContractWordsIsOther) {
    // An agency letter: a salary, a passport and a contract mentioned, but
    // no parties, no articles.
    const auto result = classifyRecord(
        record({textPage("SURAT PANGGILAN KERJA\nSaudari diterima bekerja dengan gaji USD 1.200.\n"
                         "Saya bersedia menyerahkan paspor selama masa kontrak kerja.\n"
                         "Rapat pukul 09:00 di kantor.\n")}),
        defaults());
    EXPECT_EQ(result.kind, "other");
    EXPECT_LE(result.confidence, 0.7);
}

TEST(Classify, MixedCuesFallBackToOtherWithLowConfidence) {
    // A contract with a passport's MRZ pasted in: two strong kinds, no margin.
    const auto result = classifyRecord(
        record({textPage("PERJANJIAN KERJA\nPIHAK PERTAMA\nPIHAK KEDUA\nPasal 1\n"
                         "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                         "L898902C36UTO7408122F1204159ZE184226B<<<<<10\nPassport\nSurname\n")}),
        defaults());
    EXPECT_EQ(result.kind, "other");
    EXPECT_LE(result.confidence, 0.3);
}

TEST(Classify, EmptyRecordIsOther) {
    const auto result = classifyRecord(json::object(), defaults());
    EXPECT_EQ(result.kind, "other");
    const auto blank = classifyRecord(record({textPage("")}), defaults());
    EXPECT_EQ(blank.kind, "other");
}

TEST(Classify, TermsMatchWholeWordsOnly) {
    // "pasalnya" ("because", colloquial) is not "pasal"; "contractor" is not "contract".
    const auto result = classifyRecord(
        record({textPage("pasalnya dia contractor\nkontraktor bangunan\n")}), defaults());
    EXPECT_EQ(result.scores.contract, 0.0);
}

TEST(ClassifyConfig, CueListsComeFromConfig) {
    const auto config =
        ClassifyConfig::fromJson({{"contract_strong_terms", {"Kontrak Kerja Laut"}}});
    ASSERT_EQ(config.contractStrongTerms.size(), 1u);
    EXPECT_EQ(config.contractStrongTerms[0], "kontrak kerja laut");
    EXPECT_THROW(ClassifyConfig::fromJson({{"min_margin", 3}}), std::invalid_argument);
    EXPECT_THROW(ClassifyConfig::fromJson({{"chat_terms", "online"}}), std::invalid_argument);
}

}  // namespace
