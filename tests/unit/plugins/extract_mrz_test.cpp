// extract.mrz on the real sample passport: the band located from the
// record's OCR lines covers the generator's MRZ band, and the dedicated
// reader gets every field of the manifest's MRZ from it. Also the visual
// zone cross-check on small texts.
#include "mrz.hpp"
#include "mrz_band.hpp"
#include "mrz_reader.hpp"
#include "visual_zone.hpp"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
using namespace saksi::mrz;

const std::string kSource = SAKSI_SOURCE_DIR;

json readJson(const std::string& path) {
    std::ifstream in(path);
    return json::parse(in);
}

json manifestEntry(const std::string& file) {
    const json manifest = readJson(kSource + "/samples/.generator/manifest.json");
    for (const auto& doc : manifest.at("documents"))
        if (doc.at("file") == file) return doc;
    return nullptr;
}

struct PixDeleter {
    void operator()(PIX* pix) const noexcept { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

// The sample as a GRAY8 buffer: the page itself stands in for the working
// image (same size; not deskewed, which the band margin has to absorb).
struct GrayImage {
    std::vector<uint8_t> pixels;
    saksi::sdk::ImageView view;
};

GrayImage loadGray(const std::string& path) {
    PixPtr pix(pixRead(path.c_str()));
    if (!pix) throw std::runtime_error("cannot read " + path);
    PixPtr gray(pixConvertTo8(pix.get(), 0));
    GrayImage out;
    const int w = pixGetWidth(gray.get()), h = pixGetHeight(gray.get());
    out.pixels.resize(std::size_t(w) * h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            l_uint32 value = 0;
            pixGetPixel(gray.get(), x, y, &value);
            out.pixels[std::size_t(y) * w + x] = static_cast<uint8_t>(value);
        }
    out.view = {uint32_t(w), uint32_t(h), uint32_t(w), SAKSI_PIXEL_GRAY8, 300, out.pixels.data()};
    return out;
}

std::chrono::year_month_day reference() {
    using namespace std::chrono;
    return year_month_day(year(2026), month(1), day(1));
}

TEST(MrzBand, LocatedFromTheRecordLinesOnTheSamplePassport) {
    const json page = readJson(kSource + "/tests/unit/plugins/data/passport_uto_page.json");
    const json truth = manifestEntry("passport_uto.png")["mrz_band_px"];
    const auto band = locateBand(page, page["width"], page["height"]);
    ASSERT_TRUE(band);
    EXPECT_GE(band->linesSeen, 1);
    // Covers the generator's band vertically, without taking half the page.
    EXPECT_LE(band->box.y0, truth[1].get<int>() + 40);
    EXPECT_GE(band->box.y1, truth[3].get<int>() - 40);
    EXPECT_LE(band->box.y1 - band->box.y0, 2 * (truth[3].get<int>() - truth[1].get<int>()));
    EXPECT_GT(band->charHeight, 10);
}

TEST(MrzBand, ScalesToALargerWorkingImage) {
    const json page = readJson(kSource + "/tests/unit/plugins/data/passport_uto_page.json");
    const auto one = locateBand(page, page["width"], page["height"]);
    const auto two =
        locateBand(page, 2 * page["width"].get<uint32_t>(), 2 * page["height"].get<uint32_t>());
    ASSERT_TRUE(one && two);
    EXPECT_NEAR(two->box.y0, 2 * one->box.y0, 4);
    EXPECT_NEAR(two->charHeight, 2 * one->charHeight, 1);
}

TEST(MrzBand, NoneOnATextWithoutMrzLines) {
    const json page = {{"number", 1},
                       {"width", 100},
                       {"height", 100},
                       {"text", "PERJANJIAN KERJA\n"},
                       {"words", {{{"text", "PERJANJIAN"}, {"bbox", {1, 1, 50, 10}}}}}};
    EXPECT_FALSE(locateBand(page, 100, 100));
}

TEST(MrzReader, ReadsEveryFieldOfTheSamplePassport) {
    const json page = readJson(kSource + "/tests/unit/plugins/data/passport_uto_page.json");
    const json expected = manifestEntry("passport_uto.png")["mrz"];
    const GrayImage image = loadGray(kSource + "/samples/passport_uto.png");
    const auto band = locateBand(page, image.view.width, image.view.height);
    ASSERT_TRUE(band);
    MrzReader reader("", "eng");
    auto mrz = reader.read(image.view, *band, reference());
    ASSERT_TRUE(mrz);
    // Names have no check digit: the stage settles them with the printed page.
    reconcileNames(*mrz, page["text"].get<std::string>());
    const json got = toJson(*mrz);
    for (const auto& [key, value] : expected.items()) EXPECT_EQ(got[key], value) << key;
}

TEST(VisualZone, FindsPrintedFieldsOutsideTheMrz) {
    const auto mrz = parse(
        "P<UTOWIRADINATA<<RATNA<SARI<<<<<<<<<<<<<<<<<\n"
        "U4821907B8UTO9403121F3108099ZQ7302591<<<<<68",
        reference());
    ASSERT_TRUE(mrz && mrz->valid);
    const std::string text =
        "Surname\nWIRADINATA\nGiven names\nRATNA SARI\nDate of birth\n12 MAR 1994\n"
        "Date of expiry\n09 AGU/AUG 2031\nPassport No.\nU4821907B\n"
        "P<UTOWIRADINATA<<RATNA<SARI<<<<<<<<<<<<<<<<<\n"
        "U4821907B8UTO9403121F3108099ZQ7302591<<<<<68\n";
    const VisualZone zone = crossCheck(text, *mrz);
    ASSERT_TRUE(zone.documentNumber);
    EXPECT_EQ(*zone.documentNumber, "U4821907B");
    EXPECT_EQ(text.substr(zone.numberBegin, zone.numberEnd - zone.numberBegin), "U4821907B");
    EXPECT_LT(zone.numberBegin, text.find("P<UTO"));  // the printed one, not the MRZ's
    EXPECT_TRUE(zone.numberMatches && zone.surname && zone.givenNames);
    EXPECT_EQ(zone.birthDate, "1994-03-12");
    EXPECT_EQ(zone.expiryDate, "2031-08-09");
}

TEST(VisualZone, APrintedNumberWhoseFirstLetterOcrReadAsASymbol) {
    const auto mrz = parse(
        "P<UTOSURYAPUTRA<<ANDREAS<<<<<<<<<<<<<<<<<<<<\n"
        "C427187775UTO7509177M3404182337753307<<<<<26",
        reference());
    ASSERT_TRUE(mrz && mrz->valid);
    const std::string text = "Passport No./No. Paspor\n\u20ac42718777\nSex\n";
    const VisualZone zone = crossCheck(text, *mrz);
    ASSERT_TRUE(zone.documentNumber);
    EXPECT_EQ(text.substr(zone.numberBegin, zone.numberEnd - zone.numberBegin), "\u20ac42718777");
    EXPECT_FALSE(zone.numberMatches);  // printed as read, not as the MRZ has it
    // A different number after a symbol is not it.
    EXPECT_FALSE(crossCheck("No. \u20ac42718771\n", *mrz).documentNumber);
}

TEST(VisualZone, NamesSettledWithThePrintedPage) {
    // The MRZ line as the general OCR read it (a dash in front, K for '<',
    // too long to look like an MRZ line) is not "printed text": ANDREASK
    // loses its K. NURKAISYAH is two printed names joined by a K.
    auto mrz = parse(
        "P<UTOHALIMATUN<<NURKAISYAH<<<<<<<<<<<<<<<<<<\n"
        "C3825519<9UTO9506192M3403059<<<<<<<<<<<<<<00",
        reference());
    ASSERT_TRUE(mrz && mrz->valid);
    EXPECT_TRUE(reconcileNames(*mrz, "Given names\nNUR AISYAH\nSurname\nHALIMATUN\n"));
    EXPECT_EQ(mrz->givenNames, "NUR AISYAH");
    EXPECT_EQ(mrz->lines[0], "P<UTOHALIMATUN<<NUR<AISYAH<<<<<<<<<<<<<<<<<<");
    auto twice = parse(
        "P<UTOHALIMATUN<<NURKAISYAHK<<<<<<<<<<<<<<<<<\n"
        "C3825519<9UTO9506192M3403059<<<<<<<<<<<<<<00",
        reference());
    ASSERT_TRUE(twice);
    EXPECT_TRUE(reconcileNames(*twice, "NUR AISYAH\nHALIMATUN\n"));
    EXPECT_EQ(twice->givenNames, "NUR AISYAH");

    auto andreas = parse(
        "P<UTOSURYAPUTRA<<ANDREASK<<<<<<<<<<<<<<<<<<<\n"
        "C427187775UTO7509177M3404182337753307<<<<<26",
        reference());
    ASSERT_TRUE(andreas);
    EXPECT_TRUE(reconcileNames(*andreas,
                               "Given names\nANDREAS\n"
                               "\u2014 PSKUTOSURYAPUTRA<<ANDREASK<<<<<<K << KKK KKK KKK KK\n"));
    EXPECT_EQ(andreas->givenNames, "ANDREAS");
    // A name printed as the MRZ has it is kept.
    auto kept = parse(
        "P<UTOHALIMATUN<<NURKAISYAH<<<<<<<<<<<<<<<<<<\n"
        "C3825519<9UTO9506192M3403059<<<<<<<<<<<<<<00",
        reference());
    ASSERT_TRUE(kept);
    EXPECT_FALSE(reconcileNames(*kept, "NURKAISYAH\nNUR AISYAH\n"));
    EXPECT_EQ(kept->givenNames, "NURKAISYAH");
}

TEST(VisualZone, ReportsADifferentPrintedNumber) {
    const auto mrz = parse(
        "P<UTOWIRADINATA<<RATNA<SARI<<<<<<<<<<<<<<<<<\n"
        "U4821907B8UTO9403121F3108099ZQ7302591<<<<<68",
        reference());
    ASSERT_TRUE(mrz);
    const VisualZone zone = crossCheck("Passport No. U4821901B\nBorn 13 MAR 1994\n", *mrz);
    ASSERT_TRUE(zone.documentNumber);
    EXPECT_FALSE(zone.numberMatches);
    EXPECT_FALSE(zone.birthDate);
    EXPECT_FALSE(zone.surname);
    EXPECT_EQ(zone.toJson()["matches_mrz"]["document_number"], false);
}

}  // namespace
