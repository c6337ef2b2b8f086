// extract.identifiers: each identifier type found and normalised, and the
// look-alikes that must not be.
#include "identifier_finder.hpp"
#include "identifiers_stage.hpp"
#include "nik.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using saksi::identifiers::CivilDate;
using saksi::identifiers::decodeNik;
using saksi::identifiers::FinderOptions;
using saksi::identifiers::IdentifierFinder;
using saksi::identifiers::IdentifierMatch;

const CivilDate kToday{2026, 3, 1};

const IdentifierFinder& finder() {
    static const IdentifierFinder f{FinderOptions{}};
    return f;
}

std::vector<IdentifierMatch> find(const std::string& text, const std::string& type) {
    std::vector<IdentifierMatch> out;
    for (auto& m : finder().find(text, kToday))
        if (m.type == type) out.push_back(m);
    return out;
}

std::string spanText(const std::string& text, const IdentifierMatch& m) {
    return text.substr(m.begin, m.end - m.begin);
}

TEST(Phone, NormalisesToE164WithItsSpan) {
    const std::string text = "Telepon : +62 857-2291-4638 (WA)";
    const auto found = find(text, "phone");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].normalized, "+6285722914638");
    EXPECT_EQ(spanText(text, found[0]), "+62 857-2291-4638");
    EXPECT_TRUE(found[0].sensitive);
}

TEST(Phone, NationalFormatIsIndonesianFirst) {
    const auto found = find("hubungi 0857 2291 4638 ya", "phone");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].normalized, "+6285722914638");
}

TEST(Phone, ALineBreakBetweenDigitGroups) {
    const std::string text = "hubungi Pak Sokha di nomor +855 96\n712 3456 ya.";
    const auto found = find(text, "phone");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].normalized, "+855967123456");
    EXPECT_EQ(spanText(text, found[0]), "+855 96\n712 3456");
}

TEST(Phone, InvalidNumbersAreNot) {
    EXPECT_TRUE(find("nomor +62 12 3 dan 12345", "phone").empty());
    EXPECT_TRUE(find("jam 09:41 tanggal 12/03/1994", "phone").empty());
}

TEST(Phone, AnUnassignedInternationalNumberAtLowerConfidence) {
    // Cambodia's 092 range has 6-digit subscriber numbers: 7 digits are
    // possible by length but unassigned, so libphonenumber calls it invalid.
    const std::string text = "hubungi koordinator di\n+855 92 833 5662.";
    const auto found = find(text, "phone");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].normalized, "+855928335662");
    EXPECT_EQ(spanText(text, found[0]), "+855 92 833 5662");
    EXPECT_LT(found[0].confidence, find("+855 96 712 3456", "phone").at(0).confidence);
    // Too short for a national number: not a phone.
    EXPECT_TRUE(find("skor +62 123 45", "phone").empty());
}

TEST(Phone, UnknownRegionIsRefused) {
    FinderOptions options;
    options.regions = {"ID", "XX"};
    EXPECT_THROW(IdentifierFinder{options}, std::invalid_argument);
}

TEST(Email, FoundAndNotItsDomainAsUrl) {
    const std::string text = "Email: Dewi.Lestari98@Example.com.";
    const auto emails = find(text, "email");
    ASSERT_EQ(emails.size(), 1u);
    EXPECT_EQ(emails[0].normalized, "dewi.lestari98@example.com");
    EXPECT_EQ(spanText(text, emails[0]), "Dewi.Lestari98@Example.com");
    EXPECT_TRUE(find(text, "url").empty());
    EXPECT_TRUE(find("kirim ke dewi@ atau @example", "email").empty());
}

TEST(Email, WithASpaceOcrPutBesideTheAt) {
    const std::string text = "Email: rekrutmen @mitratenaga.example.org\nke dewi@ example.co.id ya";
    const auto emails = find(text, "email");
    ASSERT_EQ(emails.size(), 2u);
    EXPECT_EQ(emails[0].normalized, "rekrutmen@mitratenaga.example.org");
    EXPECT_EQ(spanText(text, emails[0]), "rekrutmen @mitratenaga.example.org");
    EXPECT_EQ(emails[1].normalized, "dewi@example.co.id");
    EXPECT_TRUE(find(text, "url").empty());
    // A handle with an unknown suffix, and a spaced '@' on both sides, are not addresses.
    EXPECT_TRUE(find("follow ig @loker.kamboja", "email").empty());
    EXPECT_TRUE(find("harga 5 @ example.com", "email").empty());
}

TEST(Email, AnAtReadAsALetterInALabelledField) {
    const std::string text = "Email : slamet.44Gexample.com\nTelepon";
    const auto emails = find(text, "email");
    ASSERT_EQ(emails.size(), 1u);
    EXPECT_EQ(emails[0].normalized, "slamet.44@example.com");
    EXPECT_EQ(spanText(text, emails[0]), "slamet.44Gexample.com");
    EXPECT_LT(emails[0].confidence, 0.95);
    EXPECT_TRUE(find(text, "url").empty());  // not a web address either
    // Without the label it stays a web address; two readings are ambiguous.
    EXPECT_TRUE(find("lihat slamet.44Gexample.com", "email").empty());
    EXPECT_TRUE(find("E-mail: budiGsariGexample.com", "email").empty());
}

TEST(Url, AWwwOcrShortenedOrDoubled) {
    const std::string text = "https://ww.karyabersama.example.org dan wwww.example.com";
    const auto urls = find(text, "url");
    ASSERT_EQ(urls.size(), 2u);
    EXPECT_EQ(urls[0].normalized, "https://www.karyabersama.example.org");
    EXPECT_EQ(spanText(text, urls[0]), "https://ww.karyabersama.example.org");
    EXPECT_LT(urls[0].confidence, 0.95);
    EXPECT_EQ(urls[1].normalized, "www.example.com");
    EXPECT_EQ(find("https://ww2.example.org", "url")[0].normalized, "https://ww2.example.org");
}

TEST(Url, WithSchemeAndWithout) {
    const std::string text = "Lihat https://loker.example.com/kamboja?id=3, atau www.example.org.";
    const auto urls = find(text, "url");
    ASSERT_EQ(urls.size(), 2u);
    EXPECT_EQ(urls[0].normalized, "https://loker.example.com/kamboja?id=3");
    EXPECT_EQ(urls[1].normalized, "www.example.org");
    EXPECT_FALSE(urls[0].sensitive);
    EXPECT_TRUE(find("Jl. Siliwangi No. 17, Co., Ltd.", "url").empty());
}

TEST(Nik, ForAWomanTheDayCarriesForty) {
    const std::string text = "NIK : 3202155407980003";
    const auto found = find(text, "national_id");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].normalized["nik"], "3202155407980003");
    EXPECT_EQ(found[0].normalized["birth_date"], "1998-07-14");
    EXPECT_EQ(found[0].normalized["sex"], "F");
    EXPECT_EQ(found[0].normalized["province_code"], "32");
    EXPECT_EQ(spanText(text, found[0]), "3202155407980003");
    EXPECT_TRUE(found[0].sensitive);
}

TEST(Nik, ForAManWithOcrSpacesAndThisCentury) {
    const std::string text = "NIK 3171 0112 0510 0002";
    const auto found = find(text, "national_id");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].normalized["nik"], "3171011205100002");
    EXPECT_EQ(found[0].normalized["birth_date"], "2010-05-12");
    EXPECT_EQ(found[0].normalized["sex"], "M");
}

TEST(Nik, ImpossibleDatesAndUnknownProvincesAreRejected) {
    EXPECT_FALSE(decodeNik("3202153102980003", kToday));  // 31 February
    EXPECT_FALSE(decodeNik("3202157202980003", kToday));  // 32 + 40
    EXPECT_FALSE(decodeNik("3202152913980003", kToday));  // month 13
    EXPECT_FALSE(decodeNik("9902155407980003", kToday));  // no province 99
    EXPECT_FALSE(decodeNik("3202155407980000", kToday));  // serial 0000
    EXPECT_TRUE(find("NIK 3202153102980003", "national_id").empty());
    EXPECT_TRUE(find("12345678901234567", "national_id").empty());  // 17 digits
    const auto leap = decodeNik("3202152902000003", kToday);
    ASSERT_TRUE(leap);
    EXPECT_EQ(leap->birthDate.iso(), "2000-02-29");
}

TEST(Passport, AfterItsContextWord) {
    const std::string text = "No. Paspor : C7394518\nPassport No./No. Paspor U4821907B";
    const auto found = find(text, "passport_number");
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].normalized, "C7394518");
    EXPECT_EQ(spanText(text, found[0]), "C7394518");
    EXPECT_EQ(found[1].normalized, "U4821907B");
}

TEST(Passport, OnTheLineUnderItsLabel) {
    // A data page's value under its label, and a chat bubble that OCR split
    // with a blank line after the label.
    const std::string form = "Passport No./No. Paspor\nC3825519\n\nSex/Jenis kelamin\nM";
    const auto under = find(form, "passport_number");
    ASSERT_EQ(under.size(), 1u);
    EXPECT_EQ(under[0].normalized, "C3825519");
    EXPECT_EQ(spanText(form, under[0]), "C3825519");
    const auto chat =
        find("Paspor sudah jadi Bu, No. Paspor\n\nE1994069.\n19:17", "passport_number");
    ASSERT_EQ(chat.size(), 1u);
    EXPECT_EQ(chat[0].normalized, "E1994069");
}

TEST(Passport, NotUnderALabelThatDoesNotEndItsLine) {
    // The label must end its line and the number start the next one.
    EXPECT_TRUE(
        find("Passport No./No. Paspor\nDate 12 MAR 2020 C3825519", "passport_number").empty());
    EXPECT_TRUE(find("Paspor dan tiket sudah siap.\nC3825519", "passport_number").empty());
    EXPECT_TRUE(find("No. Paspor\n\n\n\nC3825519", "passport_number").empty());  // too far
}

TEST(Passport, NotWithoutContextNorTheMrz) {
    EXPECT_TRUE(find("P<UTOWIRADINATA<<RATNA<SARI<<<<<<<<<<<<<<<<<"
                     "\nU4821907B8UTO9403121F3108099ZQ7302591<<<<<68",
                     "passport_number")
                    .empty());
    EXPECT_TRUE(find("Paspor nanti kami uruskan. Kode AB1234567", "passport_number").empty());
}

TEST(BankAccount, WithBankContext) {
    const std::string text = "ke rekening Bank BRI nomor 0921-01-004517-53-6 atas nama PIHAK KEDUA";
    const auto found = find(text, "bank_account");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].normalized, "092101004517536");
    EXPECT_EQ(spanText(text, found[0]), "0921-01-004517-53-6");
    const auto after = find("transfer ke BCA 5271039382 a.n. Andi Saputra", "bank_account");
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].normalized, "5271039382");
}

TEST(BankAccount, OnTheLineAfterItsContext) {
    const std::string text = "transfer ke rekening Mandiri\n\n883-15-9867557-1.\n15:23";
    const auto found = find(text, "bank_account");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].normalized, "8831598675571");
    EXPECT_TRUE(find("ke rekening Mandiri\nNomor surat 5271039382", "bank_account").empty());
}

TEST(BankAccount, NotWithoutContext) {
    EXPECT_TRUE(find("Nomor surat 5271039382 tanggal", "bank_account").empty());
    EXPECT_TRUE(find("CV Cahaya Karya Mandiri, Jawa Barat 43111", "bank_account").empty());
}

TEST(Money, IndonesianThousandsDots) {
    const std::string text =
        "biaya Rp 15.000.000 (lima belas juta), Rp5.000.000,- dan IDR 7.500.000";
    const auto found = find(text, "money");
    ASSERT_EQ(found.size(), 3u);
    EXPECT_EQ(found[0].normalized, "IDR 15000000");
    EXPECT_EQ(spanText(text, found[0]), "Rp 15.000.000");
    EXPECT_EQ(found[1].normalized, "IDR 5000000");
    EXPECT_EQ(spanText(text, found[1]), "Rp5.000.000,-");
    EXPECT_EQ(found[2].normalized, "IDR 7500000");
}

TEST(Money, DollarsInBothNotations) {
    const auto found =
        find("gaji USD 1.200 atau US$ 1,200.50 atau $3.000 atau Rp 7,5 juta", "money");
    ASSERT_EQ(found.size(), 4u);
    EXPECT_EQ(found[0].normalized, "USD 1200");
    EXPECT_EQ(found[1].normalized, "USD 1200.5");
    EXPECT_EQ(found[2].normalized, "USD 3000");
    EXPECT_EQ(found[3].normalized, "IDR 7500000");
}

TEST(Money, TheAmountOnTheNextLine) {
    const std::string text = "kerja di Phnom Penh, gaji US$\n\n1.100 per bulan.";
    const auto found = find(text, "money");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].normalized, "USD 1100");
    EXPECT_EQ(spanText(text, found[0]), "US$\n\n1.100");
    EXPECT_TRUE(find("biaya USD\n\n\n\n1.100", "money").empty());  // too far
}

TEST(Money, NotWithoutCurrency) {
    EXPECT_TRUE(find("sebanyak 4 lembar, 12.000 orang, PRP 5", "money").empty());
}

TEST(Date, IndonesianAndEnglish) {
    const std::string text =
        "tanggal 6 Maret 2023, lahir 06 MAR 1996, 12/03/1994, 10 AGU/AUG 2021, sampai 14\nMaret "
        "2026, March 5, 2024";
    const auto found = find(text, "date");
    ASSERT_EQ(found.size(), 6u);
    EXPECT_EQ(found[0].normalized, "2023-03-06");
    EXPECT_EQ(spanText(text, found[0]), "6 Maret 2023");
    EXPECT_EQ(found[1].normalized, "1996-03-06");
    EXPECT_EQ(found[2].normalized, "1994-03-12");
    EXPECT_EQ(found[3].normalized, "2021-08-10");
    EXPECT_EQ(spanText(text, found[3]), "10 AGU/AUG 2021");
    EXPECT_EQ(found[4].normalized, "2026-03-14");
    EXPECT_EQ(found[5].normalized, "2024-03-05");
}

TEST(Date, ImpossibleDatesAreRejected) {
    EXPECT_TRUE(
        find("31 April 2023, 29 Februari 2023, 32/01/2020, 10 JAN/FEB 2021", "date").empty());
    EXPECT_EQ(find("29 Februari 2024", "date").size(), 1u);
}

TEST(Finder, NoOverlapsAndConfigurableTypes) {
    const std::string text = "NIK 3202155407980003 Telp +62 857-2291-4638 a.n. Dewi";
    const auto all = finder().find(text, kToday);
    for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LE(all[i - 1].end, all[i].begin);
    FinderOptions options;
    options.types = {"email"};
    EXPECT_TRUE(IdentifierFinder(options).find(text, kToday).empty());
    options.types = {"fax"};
    EXPECT_THROW(IdentifierFinder{options}, std::invalid_argument);
}

TEST(Stage, EntitiesCarryPageSpanAndBox) {
    const nlohmann::json page = {
        {"number", 2},
        {"text", "No. HP : +62 857-2291-4638\nNIK : 3202155407980003"},
        {"words",
         {{{"text", "No."}, {"bbox", {10, 10, 40, 30}}, {"conf", 95}},
          {{"text", "HP"}, {"bbox", {45, 10, 70, 30}}, {"conf", 95}},
          {{"text", ":"}, {"bbox", {75, 10, 80, 30}}, {"conf", 95}},
          {{"text", "+62"}, {"bbox", {85, 10, 120, 30}}, {"conf", 90}},
          {{"text", "857-2291-4638"}, {"bbox", {125, 12, 260, 32}}, {"conf", 40}},
          {{"text", "NIK"}, {"bbox", {10, 50, 40, 70}}, {"conf", 95}},
          {{"text", ":"}, {"bbox", {45, 50, 50, 70}}, {"conf", 95}},
          {{"text", "3202155407980003"}, {"bbox", {55, 48, 250, 71}}, {"conf", 100}}}}};
    const auto words = saksi::sdk::PageWords::fromJson(page);
    const auto entities = saksi::identifiers::pageEntities(words, finder(), kToday);
    ASSERT_EQ(entities.size(), 2u);
    const auto& phone = entities[0];
    EXPECT_EQ(phone.type, "phone");
    EXPECT_EQ(phone.page, 2u);
    EXPECT_EQ(phone.spanBegin, 9u);
    EXPECT_EQ(phone.spanEnd, 26u);
    EXPECT_EQ(phone.text, "+62 857-2291-4638");
    EXPECT_EQ(phone.bbox.x0, 85);
    EXPECT_EQ(phone.bbox.y0, 10);
    EXPECT_EQ(phone.bbox.x1, 260);
    EXPECT_EQ(phone.bbox.y1, 32);
    EXPECT_LT(phone.confidence, entities[1].confidence);  // a word read at 40%
    EXPECT_GT(phone.confidence, 0.0);
    const auto& nik = entities[1];
    EXPECT_EQ(nik.type, "national_id");
    EXPECT_EQ(nik.text, "3202155407980003");
    EXPECT_EQ(nik.bbox.x0, 55);
    EXPECT_EQ(nik.bbox.y1, 71);
    EXPECT_TRUE(nik.sensitive);
}

}  // namespace

namespace {

TEST(Finder, LongUnbrokenTokensNeitherCrashNorMatchWhole) {
    const std::string text = std::string(20000, 'a') + "@example.com https://" +
                             std::string(10000, 'x') + " Rp " + std::string(5000, '9');
    const auto all = finder().find(text, kToday);
    for (const auto& m : all) EXPECT_LE(m.end - m.begin, 600u);
}

}  // namespace
