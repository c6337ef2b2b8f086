// extract.names: persons, organisations and locations found with their
// spans and normal forms, and the look-alikes that must not be; the NER
// model's tokeniser, sentence splitter, file format and recogniser.
#include "name_finder.hpp"
#include "names_stage.hpp"
#include "ner.hpp"
#include "recognizer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using saksi::names::embeddedNameData;
using saksi::names::NameFinder;
using saksi::names::NameMatch;

const NameFinder& finder() {
    static const NameFinder f{embeddedNameData()};
    return f;
}

const saksi::names::Recognizer& recognizer() {
    static const saksi::names::Recognizer r;
    return r;
}

std::vector<NameMatch> find(const std::string& text, const std::string& type) {
    std::vector<NameMatch> out;
    for (auto& m : finder().find(text))
        if (m.type == type) out.push_back(m);
    return out;
}

std::vector<std::string> texts(const std::string& text, const std::string& type) {
    std::vector<std::string> out;
    for (const auto& m : find(text, type)) out.push_back(text.substr(m.begin, m.end - m.begin));
    return out;
}

std::vector<std::string> normalized(const std::string& text, const std::string& type) {
    std::vector<std::string> out;
    for (const auto& m : find(text, type)) out.push_back(m.normalized);
    return out;
}

using Strings = std::vector<std::string>;

TEST(NameData, EmbedsTheGazetteerAndGivenNames) {
    const auto& data = embeddedNameData();
    EXPECT_EQ(data.locations.at("kamboja"), "Cambodia");
    EXPECT_EQ(data.locations.at("filipina"), "Philippines");
    EXPECT_EQ(data.locations.at("uni emirat arab"), "United Arab Emirates");
    EXPECT_EQ(data.locations.at("jawa barat"), "Jawa Barat");
    EXPECT_EQ(data.locations.count("phnom penh"), 1u);
    EXPECT_EQ(data.givenNames.count("Dewi"), 1u);
}

TEST(Organization, LegalFormBeforeTheName) {
    const std::string text =
        "Nama Perusahaan: PT Sinar Mekong Gemilang\nmelalui agen "
        "CV Cahaya Karya Mandiri, Jl. Siliwangi No. 17";
    EXPECT_EQ(texts(text, "organization"),
              (Strings{"PT Sinar Mekong Gemilang", "CV Cahaya Karya Mandiri"}));
}

TEST(Organization, CapitalsAreNormalisedToTheRegisteredForm) {
    const std::string text = "CV CAHAYA KARYA MANDIRI\nAgen Penyalur";
    EXPECT_EQ(normalized(text, "organization"), (Strings{"CV Cahaya Karya Mandiri"}));
}

TEST(Organization, TwoCompaniesOnOneSignatureLine) {
    const std::string text = "PT Sinar Mekong Gemilang CV Cahaya Karya Mandiri\n";
    EXPECT_EQ(texts(text, "organization"),
              (Strings{"PT Sinar Mekong Gemilang", "CV Cahaya Karya Mandiri"}));
}

TEST(Organization, LegalFormAfterTheName) {
    const std::string text =
        "sebagai staf pada Golden Lotus Trading Co., Ltd. yang berlokasi, "
        "lalu ke Sunrise Holdings Sdn Bhd dan Blue Ocean LLC.";
    EXPECT_EQ(texts(text, "organization"), (Strings{"Golden Lotus Trading Co., Ltd.",
                                                    "Sunrise Holdings Sdn Bhd", "Blue Ocean LLC"}));
}

TEST(Organization, NameTheOcrWrappedBeforeItsLegalForm) {
    const std::string text = "Service Online pada Golden Lotus\nTrading Co., Ltd. yang berlokasi";
    EXPECT_EQ(normalized(text, "organization"), (Strings{"Golden Lotus Trading Co., Ltd."}));
}

TEST(Organization, LegalFormAtALineEndAndABankAfterRekening) {
    const std::string text = "ini Sri dari CV\nSumber Rezeki Makmur. Transfer ke rekening Mandiri";
    EXPECT_EQ(texts(text, "organization"), (Strings{"CV\nSumber Rezeki Makmur", "Mandiri"}));
}

TEST(Organization, StateBodiesAndBanks) {
    const std::string text =
        "melalui Pengadilan Negeri Jakarta Selatan. Lapor ke BP2MI atau "
        "Kedutaan Besar Republik Indonesia. Rekening Bank BRI dan BCA.";
    EXPECT_EQ(texts(text, "organization"),
              (Strings{"Pengadilan Negeri Jakarta Selatan", "BP2MI",
                       "Kedutaan Besar Republik Indonesia", "Bank BRI", "BCA"}));
}

TEST(Organization, FieldLabelBeforeABodyIsNotPartOfIt) {
    const std::string text = "Authority/Kantor IMIGRASI UTOPIA\n";
    EXPECT_EQ(texts(text, "organization"), (Strings{"IMIGRASI UTOPIA"}));
}

TEST(Organization, NotWithoutAName) {
    EXPECT_TRUE(
        find("PT. dan CV harus lengkap. Dinas luar kota. Badan sehat.", "organization").empty());
}

TEST(Location, IndonesianNamesNormaliseToTheGazetteerName) {
    const std::string text = "bekerja di Phnom Penh, Kamboja, lalu ke Filipina dan Uni Emirat Arab";
    EXPECT_EQ(texts(text, "location"),
              (Strings{"Phnom Penh", "Kamboja", "Filipina", "Uni Emirat Arab"}));
    EXPECT_EQ(normalized(text, "location"),
              (Strings{"Phnom Penh", "Cambodia", "Philippines", "United Arab Emirates"}));
}

TEST(Location, LongestNameWins) {
    const std::string text = "Jl. Raya Pasar Minggu No. 88, Jakarta Selatan 12780";
    EXPECT_EQ(texts(text, "location"), (Strings{"Jakarta Selatan"}));
}

TEST(Location, ScamHubsAndAbbreviations) {
    const std::string text = "dikirim dari Sihanoukville ke Myawaddy, lalu ke UAE";
    EXPECT_EQ(normalized(text, "location"),
              (Strings{"Sihanoukville", "Myawaddy", "United Arab Emirates"}));
}

TEST(Location, RegencyPrefixAirportAndPlaceOfBirth) {
    const std::string text =
        "Kab. Sukabumi, Jawa Barat\nberangkat dari Bandara Soekarno-Hatta, "
        "Tangerang.\nPlace of birth/Tempat lahir BANDAR SENTOSA\n";
    EXPECT_EQ(texts(text, "location"), (Strings{"Sukabumi", "Jawa Barat", "Bandara Soekarno-Hatta",
                                                "Tangerang", "BANDAR SENTOSA"}));
}

TEST(Location, NotEverydayWordsCurrenciesOrInsideCompanies) {
    // "Batang" is a regency and a stem; "dolar Singapura" a currency.
    const std::string text =
        "Batang pohon itu besar. Gaji 500 dolar Singapura. "
        "PT Bank Rakyat Indonesia Tbk membayar. Tak ada yang tahu.";
    EXPECT_TRUE(texts(text, "location").empty());
    EXPECT_EQ(texts(text, "organization"), (Strings{"PT Bank Rakyat Indonesia Tbk"}));
    EXPECT_EQ(texts("tinggal di Batang", "location"), (Strings{"Batang"}));
}

TEST(Person, AfterHonorificsAndSingleWord) {
    const std::string text =
        "Ibu Sukarni datang. Hubungi Pak Sokha di nomor ini. "
        "Kepada Yth.\nSdri. Dewi Anggraini Lestari\ndi Sukabumi";
    EXPECT_EQ(texts(text, "person"), (Strings{"Sukarni", "Sokha", "Dewi Anggraini Lestari"}));
    for (const auto& m : find(text, "person")) EXPECT_TRUE(m.sensitive);
}

TEST(Person, AfterFieldLabels) {
    const std::string text =
        "Nama: Sukarni\nDiwakili oleh: Hendra Wijaya Kusuma, selaku "
        "Direktur\ntransfer ke BCA 5271039382 a.n. Andi Saputra\n"
        "Telah terima dari: Dewi Anggraini Lestari\n";
    EXPECT_EQ(texts(text, "person"), (Strings{"Sukarni", "Hendra Wijaya Kusuma", "Andi Saputra",
                                              "Dewi Anggraini Lestari"}));
}

TEST(Person, SignatureLineSplitsAtGivenNames) {
    const std::string text = "Hendra Wijaya Kusuma Andi Saputra Dewi Anggraini Lestari\n";
    EXPECT_EQ(texts(text, "person"),
              (Strings{"Hendra Wijaya Kusuma", "Andi Saputra", "Dewi Anggraini Lestari"}));
}

TEST(Person, PassportNameFieldsMakeOneName) {
    const std::string text = "Surname/Nama WIRADINATA\nGiven names/Nama depan RATNA SARI\n";
    EXPECT_EQ(texts(text, "person"), (Strings{"WIRADINATA", "RATNA SARI"}));
    EXPECT_EQ(normalized(text, "person"),
              (Strings{"RATNA SARI WIRADINATA", "RATNA SARI WIRADINATA"}));
}

TEST(Person, FieldValueOnTheNextLineWithoutOcrQuotes) {
    // An OCR'd passport: each value under its label, a stray curly quote.
    const std::string text =
        "Surname/Nama\n\nWIRADINATA\n\nGiven names/Nama depan\n\n"
        "\u2018RATNA SARI\n\nPlace of birth/Tempat lahir\nBANDAR SENTOSA\n";
    EXPECT_EQ(texts(text, "person"), (Strings{"WIRADINATA", "RATNA SARI"}));
    EXPECT_EQ(texts(text, "location"), (Strings{"BANDAR SENTOSA"}));
}

TEST(Person, ChatTitleStopsAtOrdinaryWordsAndPlaces) {
    EXPECT_EQ(texts("Rina Loker Kamboja\nonline\n", "person"), (Strings{"Rina"}));
}

TEST(Person, NotRolesCompaniesPlacesOrStreets) {
    const std::string text =
        "Nama Perusahaan: PT Sinar Mekong Gemilang\nselanjutnya disebut PIHAK KEDUA.\n"
        "atas nama PIHAK KEDUA. Halo Bu, kerjanya apa? Berangkatnya kapan Bu? Harus punya\n"
        "Jl. Ahmad Yani No. 5, Bandung. Ibu Kota Jakarta. Dewi sekali lagi.";
    EXPECT_EQ(texts(text, "person"), Strings{});
}

TEST(Person, NotInsideEmailOrWebAddresses) {
    // The local part of an address and a host name are not mentions; the
    // same name outside an address still is.
    const std::string text =
        "Email : Maria.57@example.com\nLihat https://Dewi.example.org/Bandung dan "
        "www.Jakarta-Kerja.com\nNama : Maria Goreti Luan";
    EXPECT_EQ(texts(text, "person"), (Strings{"Maria Goreti Luan"}));
    EXPECT_EQ(texts(text, "location"), Strings{});
}

TEST(Matches, NeverOverlapWithinAType) {
    const std::string text =
        "Bank BRI, PT Bank Rakyat Indonesia (Persero) Tbk, Jakarta Selatan, "
        "Ibu Dewi Dewi Lestari, Kota Kinabalu";
    const auto all = finder().find(text);
    for (std::size_t i = 0; i < all.size(); ++i)
        for (std::size_t j = i + 1; j < all.size(); ++j)
            if (all[i].type == all[j].type) {
                EXPECT_TRUE(all[i].end <= all[j].begin || all[j].end <= all[i].begin)
                    << all[i].normalized << " / " << all[j].normalized;
            }
}

TEST(Stage, EntitiesCarryPageSpanAndBox) {
    nlohmann::json page = {{"number", 2},
                           {"text", "Ibu Sukarni di Kamboja"},
                           {"words",
                            {{{"text", "Ibu"}, {"bbox", {0, 0, 30, 10}}, {"conf", 90}},
                             {{"text", "Sukarni"}, {"bbox", {35, 0, 100, 10}}, {"conf", 80}},
                             {{"text", "di"}, {"bbox", {105, 0, 120, 10}}, {"conf", 95}},
                             {{"text", "Kamboja"}, {"bbox", {125, 0, 200, 12}}, {"conf", 100}}}}};
    const auto words = saksi::sdk::PageWords::fromJson(page);
    const auto entities =
        saksi::names::pageEntities(words, recognizer(), {"person", "organization", "location"});
    ASSERT_EQ(entities.size(), 2u);
    EXPECT_EQ(entities[0].type, "person");
    EXPECT_EQ(entities[0].text, "Sukarni");
    EXPECT_EQ(entities[0].page, 2u);
    EXPECT_EQ(entities[0].spanBegin, 4u);
    EXPECT_EQ(entities[0].bbox.x0, 35);
    EXPECT_TRUE(entities[0].sensitive);
    EXPECT_LT(entities[0].confidence, 0.85);
    EXPECT_EQ(entities[1].type, "location");
    EXPECT_EQ(entities[1].normalized, "Cambodia");
    EXPECT_EQ(entities[1].bbox.x1, 200);
    EXPECT_FALSE(entities[1].sensitive);
}

std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    for (const auto& w : saksi::names::ner::tokenize(text))
        out.push_back(text.substr(w.begin, w.end - w.begin));
    return out;
}

TEST(NerTokenize, PunctuationApartAbbreviationsAndNumbersWhole) {
    EXPECT_EQ(words("a.n. Hendra\nWijaya, (Rp1.000,50) Soekarno-Hatta \u201cJum'at\u201d"),
              (Strings{"a.n", ".", "Hendra", "Wijaya", ",", "(", "Rp1.000,50", ")",
                       "Soekarno-Hatta", "\u201c", "Jum'at", "\u201d"}));
    EXPECT_EQ(words("ini,itu -- Kompas.com"), (Strings{"ini", ",", "itu", "-", "-", "Kompas.com"}));
}

TEST(NerSentences, EndAtAStopBeforeACapitalNotAfterAnAbbreviationOrALineBreak) {
    const std::string text =
        "Ia tiba di Phnom\nPenh. Bpk. Sokha menjemput a.n. Dewi. lalu pergi\n\nBaru";
    const auto w = saksi::names::ner::tokenize(text);
    std::vector<std::string> got;
    for (const auto& [first, last] : saksi::names::ner::sentences(text, w))
        got.push_back(text.substr(w[first].begin, w[last - 1].end - w[first].begin));
    EXPECT_EQ(got, (Strings{"Ia tiba di Phnom\nPenh.", "Bpk. Sokha menjemput a.n. Dewi. lalu pergi",
                            "Baru"}));
}

TEST(NerModel, FileRoundTripsAndBadFilesAreRefused) {
    using saksi::names::ner::kTags;
    using saksi::names::ner::Model;
    std::array<float, (kTags + 1) * kTags> transitions{};
    std::vector<float> weights(2 * kTags, 0.0f);
    weights[0 * kTags + saksi::names::ner::B_LOC] = 5.0f;  // feature 10: a place
    weights[1 * kTags + saksi::names::ner::O] = 5.0f;      // feature 20: not a name
    const std::string bytes = Model::toBytes({10, 20}, weights, transitions);
    const auto model = Model::fromBytes(bytes);
    EXPECT_EQ(model.featureCount(), 2u);
    EXPECT_EQ(model.tag({{20}, {10}, {10, 30}}),
              (std::vector<int>{saksi::names::ner::O, saksi::names::ner::B_LOC,
                                saksi::names::ner::B_LOC}));
    EXPECT_THROW(Model::fromBytes(bytes.substr(0, bytes.size() - 1)), std::runtime_error);
    EXPECT_THROW(Model::fromBytes("SKNER00X" + bytes.substr(8)), std::runtime_error);
    EXPECT_THROW(Model::fromBytes(Model::toBytes({20, 10}, weights, transitions)),
                 std::runtime_error);
}

TEST(NerModel, EmbeddedModelLoads) {
    EXPECT_GT(
        saksi::names::ner::Model::fromBytes(saksi::names::ner::embeddedModel()).featureCount(),
        10000u);
}

std::vector<std::string> recognized(const std::string& text, const std::string& type) {
    std::vector<std::string> out;
    for (const auto& m : recognizer().find(text))
        if (m.type == type) out.push_back(text.substr(m.begin, m.end - m.begin));
    return out;
}

TEST(Recognizer, NewsSentenceCasedAndLowerCased) {
    const std::string text =
        "Wakil Ketua DPRD Jawa Tengah Sutrisno Hadi menerima laporan Serikat Buruh Migran "
        "Indonesia tentang 12 warga Cilacap yang ditahan di Sihanoukville.";
    EXPECT_EQ(recognized(text, "person"), (Strings{"Sutrisno Hadi"}));
    EXPECT_EQ(recognized(text, "organization"),
              (Strings{"DPRD Jawa Tengah", "Serikat Buruh Migran Indonesia"}));
    EXPECT_EQ(recognized(text, "location"), (Strings{"Cilacap", "Sihanoukville"}));
    std::string lower = text;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto persons = recognized(lower, "person");
    EXPECT_NE(std::find(persons.begin(), persons.end(), "sutrisno hadi"), persons.end());
    const auto places = recognized(lower, "location");
    EXPECT_NE(std::find(places.begin(), places.end(), "cilacap"), places.end());
    EXPECT_NE(std::find(places.begin(), places.end(), "sihanoukville"), places.end());
}

TEST(Recognizer, FieldLabelsAndLegalFormsFixTheSpanNoDuplicates) {
    const std::string text =
        "PIHAK KEDUA\nNama : Maria Goreti Luan\nbekerja pada PT Sinar Mekong Gemilang di "
        "Phnom Penh.";
    EXPECT_EQ(recognized(text, "person"), (Strings{"Maria Goreti Luan"}));
    EXPECT_EQ(recognized(text, "organization"), (Strings{"PT Sinar Mekong Gemilang"}));
    EXPECT_EQ(recognized(text, "location"), (Strings{"Phnom Penh"}));
    const auto all = recognizer().find(text);
    for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LE(all[i - 1].end, all[i].begin);
}

TEST(Stage, NameAcrossALineBreakIsOneEntityOverBothLinesWords) {
    nlohmann::json page = {{"number", 1},
                           {"text", "Transfer ke BCA a.n. Hendra\nWijaya ya"},
                           {"words",
                            {{{"text", "Transfer"}, {"bbox", {0, 0, 60, 10}}},
                             {{"text", "ke"}, {"bbox", {65, 0, 80, 10}}},
                             {{"text", "BCA"}, {"bbox", {85, 0, 110, 10}}},
                             {{"text", "a.n."}, {"bbox", {115, 0, 135, 10}}},
                             {{"text", "Hendra"}, {"bbox", {140, 0, 190, 10}}},
                             {{"text", "Wijaya"}, {"bbox", {0, 14, 50, 24}}},
                             {{"text", "ya"}, {"bbox", {55, 14, 70, 24}}}}}};
    const auto entities =
        saksi::names::pageEntities(saksi::sdk::PageWords::fromJson(page), recognizer(), {"person"});
    ASSERT_EQ(entities.size(), 1u);
    EXPECT_EQ(entities[0].text, "Hendra\nWijaya");
    EXPECT_EQ(entities[0].normalized, "Hendra Wijaya");
    EXPECT_EQ(entities[0].bbox.x0, 0);
    EXPECT_EQ(entities[0].bbox.y0, 0);
    EXPECT_EQ(entities[0].bbox.x1, 190);
    EXPECT_EQ(entities[0].bbox.y1, 24);
}

TEST(Stage, RejectsAnUnknownType) {
    EXPECT_THROW(saksi::names::NamesStage(nlohmann::json{{"types", {"person", "planet"}}}),
                 std::invalid_argument);
}

}  // namespace
