// Tests for plugins/extract_mrz/mrz.hpp: ICAO 9303 specimens, long document
// numbers, empty optional data, OCR repairs and the cases that must not verify.
#include "mrz.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

namespace {

using namespace std::chrono_literals;
using saksi::mrz::Format;
using saksi::mrz::Mrz;

// A fixed processing date keeps century resolution reproducible.
constexpr std::chrono::year_month_day kReference{2025y / std::chrono::June / 1d};

Mrz parseOk(const std::string& text) {
    auto mrz = saksi::mrz::parse(text, kReference);
    EXPECT_TRUE(mrz.has_value()) << text;
    return mrz.value_or(Mrz{});
}

bool hasRepair(const Mrz& mrz, const std::string& field, const std::string& reason) {
    return std::any_of(mrz.repairs.begin(), mrz.repairs.end(), [&](const saksi::mrz::Repair& r) {
        return r.field == field && r.reason == reason;
    });
}

// TD3 line 2 with correct check digits, for tests that need other dates.
std::string td3Line2(const std::string& birth, const std::string& expiry) {
    using saksi::mrz::checkDigit;
    const std::string number = "L898902C3";
    const std::string personal = "ZE184226B<<<<<";
    std::string line = number + checkDigit(number) + "UTO" + birth + checkDigit(birth) + "F" +
                       expiry + checkDigit(expiry) + personal + checkDigit(personal);
    line += checkDigit(line.substr(0, 10) + line.substr(13, 7) + line.substr(21, 22));
    return line;
}

const std::string kTd3Line1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
const std::string kTd3Line2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";

// ---- check digits ------------------------------------------------------------

TEST(MrzCheckDigit, MatchesTheIcaoSpecimens) {
    EXPECT_EQ(saksi::mrz::checkDigit("L898902C3"), '6');
    EXPECT_EQ(saksi::mrz::checkDigit("740812"), '2');
    EXPECT_EQ(saksi::mrz::checkDigit("120415"), '9');
    EXPECT_EQ(saksi::mrz::checkDigit("ZE184226B<<<<<"), '1');
    EXPECT_EQ(saksi::mrz::checkDigit("D23145890734"), '9');
}

// ---- the ICAO 9303 specimens (Utopia, ERIKSSON ANNA MARIA) -------------------

TEST(MrzSpecimen, Td1) {
    const Mrz mrz = parseOk(
        "I<UTOD231458907<<<<<<<<<<<<<<<\n"
        "7408122F1204159UTO<<<<<<<<<<<6\n"
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
    EXPECT_EQ(mrz.format, Format::TD1);
    EXPECT_EQ(mrz.documentCode, "I");
    EXPECT_EQ(mrz.documentNumber, "D23145890");
    EXPECT_EQ(mrz.issuingCountry, "UTO");
    EXPECT_EQ(mrz.nationality, "UTO");
    EXPECT_EQ(mrz.surname, "ERIKSSON");
    EXPECT_EQ(mrz.givenNames, "ANNA MARIA");
    EXPECT_EQ(mrz.birthDate, "1974-08-12");
    EXPECT_EQ(mrz.expiryDate, "2012-04-15");
    EXPECT_EQ(mrz.sex, "F");
    EXPECT_EQ(mrz.personalNumber, "");
    EXPECT_TRUE(mrz.checks.documentNumber);
    EXPECT_TRUE(mrz.checks.birthDate);
    EXPECT_TRUE(mrz.checks.expiryDate);
    EXPECT_FALSE(mrz.checks.personalNumber.has_value());
    EXPECT_EQ(mrz.checks.composite, true);
    EXPECT_TRUE(mrz.valid);
    EXPECT_FALSE(mrz.ambiguous);
    EXPECT_TRUE(mrz.repairs.empty());
}

TEST(MrzSpecimen, Td2) {
    const Mrz mrz = parseOk(
        "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
        "D231458907UTO7408122F1204159<<<<<<<6");
    EXPECT_EQ(mrz.format, Format::TD2);
    EXPECT_EQ(mrz.documentNumber, "D23145890");
    EXPECT_EQ(mrz.surname, "ERIKSSON");
    EXPECT_EQ(mrz.givenNames, "ANNA MARIA");
    EXPECT_EQ(mrz.birthDate, "1974-08-12");
    EXPECT_EQ(mrz.expiryDate, "2012-04-15");
    EXPECT_EQ(mrz.sex, "F");
    EXPECT_FALSE(mrz.checks.personalNumber.has_value());
    EXPECT_EQ(mrz.checks.composite, true);
    EXPECT_TRUE(mrz.valid);
    EXPECT_TRUE(mrz.repairs.empty());
}

TEST(MrzSpecimen, Td3) {
    const Mrz mrz = parseOk(kTd3Line1 + "\n" + kTd3Line2);
    EXPECT_EQ(mrz.format, Format::TD3);
    EXPECT_EQ(mrz.documentCode, "P");
    EXPECT_EQ(mrz.documentNumber, "L898902C3");
    EXPECT_EQ(mrz.issuingCountry, "UTO");
    EXPECT_EQ(mrz.nationality, "UTO");
    EXPECT_EQ(mrz.surname, "ERIKSSON");
    EXPECT_EQ(mrz.givenNames, "ANNA MARIA");
    EXPECT_EQ(mrz.birthDate, "1974-08-12");
    EXPECT_EQ(mrz.expiryDate, "2012-04-15");
    EXPECT_EQ(mrz.sex, "F");
    EXPECT_EQ(mrz.personalNumber, "ZE184226B");
    EXPECT_EQ(mrz.checks.personalNumber, true);
    EXPECT_EQ(mrz.checks.composite, true);
    EXPECT_TRUE(mrz.valid);
    EXPECT_FALSE(mrz.ambiguous);
    EXPECT_TRUE(mrz.repairs.empty());
    EXPECT_EQ(mrz.lines, (std::vector<std::string>{kTd3Line1, kTd3Line2}));
}

// ICAO 9303 part 7's visa specimen; the "6" after the expiry check digit is
// part of the 16 characters of optional data, which MRV-A does not check.
TEST(MrzSpecimen, MrvA) {
    const Mrz mrz = parseOk(
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
        "L8988901C4XXX4009078F96121096ZE184226B<<<<<<");
    EXPECT_EQ(mrz.format, Format::MRVA);
    EXPECT_EQ(mrz.documentCode, "V");
    EXPECT_EQ(mrz.documentNumber, "L8988901C");
    EXPECT_EQ(mrz.nationality, "XXX");
    EXPECT_EQ(mrz.surname, "ERIKSSON");
    EXPECT_EQ(mrz.givenNames, "ANNA MARIA");
    EXPECT_EQ(mrz.birthDate, "1940-09-07");
    EXPECT_EQ(mrz.expiryDate, "1996-12-10");
    EXPECT_EQ(mrz.sex, "F");
    EXPECT_EQ(mrz.personalNumber, "6ZE184226B");
    EXPECT_FALSE(mrz.checks.personalNumber.has_value());
    EXPECT_FALSE(mrz.checks.composite.has_value());
    EXPECT_TRUE(mrz.valid);
}

TEST(MrzSpecimen, MrvB) {
    const Mrz mrz = parseOk(
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
        "L8988901C4XXX4009078F9612109<<<<<<<<");
    EXPECT_EQ(mrz.format, Format::MRVB);
    EXPECT_EQ(mrz.documentNumber, "L8988901C");
    EXPECT_EQ(mrz.birthDate, "1940-09-07");
    EXPECT_EQ(mrz.expiryDate, "1996-12-10");
    EXPECT_EQ(mrz.personalNumber, "");
    EXPECT_FALSE(mrz.checks.composite.has_value());
    EXPECT_TRUE(mrz.valid);
}

// ---- long document numbers ---------------------------------------------------

// ICAO 9303 part 11, appendix D.2: a 12-character number; '<' in place of the
// check digit, "734" opens the optional data, then its check digit 9.
TEST(MrzLongNumber, Td1) {
    const Mrz mrz = parseOk(
        "I<UTOD23145890<7349<<<<<<<<<<<\n"
        "3407127M9507122UTO<<<<<<<<<<<2\n"
        "STEVENSON<<PETER<JOHN<<<<<<<<<");
    EXPECT_EQ(mrz.format, Format::TD1);
    EXPECT_EQ(mrz.documentNumber, "D23145890734");
    EXPECT_TRUE(mrz.checks.documentNumber);
    EXPECT_EQ(mrz.personalNumber, "");
    EXPECT_EQ(mrz.surname, "STEVENSON");
    EXPECT_EQ(mrz.givenNames, "PETER JOHN");
    EXPECT_EQ(mrz.birthDate, "1934-07-12");
    EXPECT_EQ(mrz.expiryDate, "1995-07-12");
    EXPECT_EQ(mrz.sex, "M");
    EXPECT_EQ(mrz.checks.composite, true);
    EXPECT_TRUE(mrz.valid);
}

TEST(MrzLongNumber, Td2) {
    const Mrz mrz = parseOk(
        "I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<\n"
        "D23145890<UTO3407127M95071227349<<<8");
    EXPECT_EQ(mrz.format, Format::TD2);
    EXPECT_EQ(mrz.documentNumber, "D23145890734");
    EXPECT_TRUE(mrz.checks.documentNumber);
    EXPECT_EQ(mrz.checks.composite, true);
    EXPECT_TRUE(mrz.valid);
}

TEST(MrzLongNumber, WrongExtensionCheckDigitFails) {
    const Mrz mrz = parseOk(
        "I<UTOD23145890<7348<<<<<<<<<<<\n"
        "3407127M9507122UTO<<<<<<<<<<<2\n"
        "STEVENSON<<PETER<JOHN<<<<<<<<<");
    EXPECT_FALSE(mrz.checks.documentNumber);
    EXPECT_FALSE(mrz.valid);
}

// ---- empty optional data -------------------------------------------------------

// No personal number: fourteen fillers, and '<' (or '0') as its check digit.
TEST(MrzEmptyOptionalData, FillerCheckDigit) {
    const std::string line2 = "L898902C36UTO7408122F1204159" + std::string(14, '<') + "<8";
    const Mrz mrz = parseOk(kTd3Line1 + "\n" + line2);
    EXPECT_EQ(mrz.personalNumber, "");
    EXPECT_EQ(mrz.checks.personalNumber, true);
    EXPECT_EQ(mrz.checks.composite, true);
    EXPECT_TRUE(mrz.valid);
    EXPECT_TRUE(mrz.repairs.empty());
}

TEST(MrzEmptyOptionalData, ZeroCheckDigit) {
    const std::string line2 = "L898902C36UTO7408122F1204159" + std::string(14, '<') + "08";
    const Mrz mrz = parseOk(kTd3Line1 + "\n" + line2);
    EXPECT_EQ(mrz.checks.personalNumber, true);
    EXPECT_TRUE(mrz.valid);
}

TEST(MrzEmptyOptionalData, NonEmptyFieldNeedsARealCheckDigit) {
    std::string line2 = kTd3Line2;
    line2[42] = '<';  // ZE184226B<<<<< is not empty: '<' is no check digit for it
    const Mrz mrz = parseOk(kTd3Line1 + "\n" + line2);
    EXPECT_EQ(mrz.checks.personalNumber, false);
    EXPECT_FALSE(mrz.valid);
}

// ---- OCR damage that repairs to the right value -----------------------------------

TEST(MrzRepair, LetterOForZeroInDates) {
    const Mrz mrz = parseOk(kTd3Line1 + "\nL898902C36UTO74O8122F12O4159ZE184226B<<<<<1O");
    EXPECT_TRUE(mrz.valid);
    EXPECT_EQ(mrz.birthDate, "1974-08-12");
    EXPECT_EQ(mrz.expiryDate, "2012-04-15");
    EXPECT_EQ(mrz.lines[1], kTd3Line2);
    EXPECT_TRUE(hasRepair(mrz, "birth_date", "ocr.confusion"));
    EXPECT_TRUE(hasRepair(mrz, "expiry_date", "ocr.confusion"));
    EXPECT_TRUE(hasRepair(mrz, "composite check digit", "ocr.confusion"));
}

TEST(MrzRepair, LetterOForZeroInDocumentNumber) {
    // Only O->0 at index 5 brings the check digit back to 6.
    const Mrz mrz = parseOk(kTd3Line1 + "\nL8989O2C36UTO7408122F1204159ZE184226B<<<<<10");
    EXPECT_TRUE(mrz.valid);
    EXPECT_FALSE(mrz.ambiguous);
    EXPECT_EQ(mrz.documentNumber, "L898902C3");
    EXPECT_TRUE(hasRepair(mrz, "document_number", "ocr.confusion"));
}

TEST(MrzRepair, DigitsInNamesAndCountryCodes) {
    const Mrz mrz = parseOk("P<UT0ER1KSSON<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<\n" + kTd3Line2);
    EXPECT_TRUE(mrz.valid);
    EXPECT_EQ(mrz.issuingCountry, "UTO");
    EXPECT_EQ(mrz.surname, "ERIKSSON");
    EXPECT_EQ(mrz.givenNames, "ANNA MARIA");
}

TEST(MrzRepair, KForFillerInPersonalNumber) {
    // K is worth 20, 0 modulo 10 under any weight: the check digits pass with
    // K or '<' alike, so the padding rule decides (a K after a '<' with only
    // padding behind it).
    const Mrz mrz = parseOk(kTd3Line1 + "\nL898902C36UTO7408122F1204159ZE184226B<<K<<10");
    EXPECT_TRUE(mrz.valid);
    EXPECT_EQ(mrz.personalNumber, "ZE184226B");
    EXPECT_EQ(mrz.lines[1], kTd3Line2);
    EXPECT_TRUE(hasRepair(mrz, "personal_number", "optional.filler"));
}

TEST(MrzRepair, KRightAfterTheDataStays) {
    const std::string personal = "ZE184226BK<<<<";
    std::string line2 = kTd3Line2;
    line2.replace(28, 14, personal);
    line2[42] = saksi::mrz::checkDigit(personal);
    line2[43] =
        saksi::mrz::checkDigit(line2.substr(0, 10) + line2.substr(13, 7) + line2.substr(21, 22));
    const Mrz mrz = parseOk(kTd3Line1 + "\n" + line2);
    EXPECT_TRUE(mrz.valid);
    EXPECT_EQ(mrz.personalNumber, "ZE184226BK");
}

TEST(MrzRepair, CForFillerInTd1OptionalDataPadding) {
    const Mrz mrz = parseOk(
        "I<UTOD231458907<<<<<<<<<<<<<<<\n"
        "7408122F1204159UTO<<<<C<<<<<<6\n"
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
    EXPECT_TRUE(mrz.valid);
    EXPECT_EQ(mrz.optionalData2, "");
    EXPECT_EQ(mrz.lines[1], "7408122F1204159UTO<<<<<<<<<<<6");
    EXPECT_TRUE(hasRepair(mrz, "optional_data_2", "optional.filler"));
}

TEST(MrzRepair, Td1OptionalDataThroughComposite) {
    // Optional data 1 "AB12345<<<<<<<<" has no check digit of its own; read
    // as "AB1234S", only S -> 5 restores the composite.
    const std::string line1 = "I<UTOD231458907AB12345<<<<<<<<";
    std::string line2 = "7408122F1204159UTO<<<<<<<<<<<";
    line2 += saksi::mrz::checkDigit(line1.substr(5) + line2.substr(0, 7) + line2.substr(8, 7) +
                                    line2.substr(18, 11));
    std::string damaged = line1;
    damaged[21] = 'S';
    const Mrz mrz = parseOk(damaged + "\n" + line2 + "\nERIKSSON<<ANNA<MARIA<<<<<<<<<<");
    EXPECT_TRUE(mrz.valid);
    EXPECT_FALSE(mrz.ambiguous);
    EXPECT_EQ(mrz.personalNumber, "AB12345");
    EXPECT_EQ(mrz.lines[0], line1);
    EXPECT_TRUE(hasRepair(mrz, "personal_number", "ocr.confusion"));
}

TEST(MrzRepair, KForFillerInTd1OptionalData) {
    const Mrz mrz = parseOk(
        "I<UTOD231458907<<<<<<K<<<<<<<<\n"
        "7408122F1204159UTO<<<<K<<<<<<6\n"
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
    EXPECT_TRUE(mrz.valid);
    EXPECT_EQ(mrz.personalNumber, "");
    EXPECT_EQ(mrz.optionalData2, "");
    EXPECT_EQ(mrz.lines[0], "I<UTOD231458907<<<<<<<<<<<<<<<");
    EXPECT_EQ(mrz.lines[1], "7408122F1204159UTO<<<<<<<<<<<6");
}

TEST(MrzRepair, KForFillerInNames) {
    const Mrz mrz = parseOk("P<UTOERIKSSON<<ANNA<MARIA<<<<<<K<<<<<<<<KKK<\n" + kTd3Line2);
    EXPECT_TRUE(mrz.valid);
    EXPECT_EQ(mrz.givenNames, "ANNA MARIA");
    EXPECT_EQ(mrz.lines[0], kTd3Line1);
    EXPECT_TRUE(hasRepair(mrz, "surname/given_names", "name.filler"));
}

TEST(MrzRepair, KKKAfterASingleFiller) {
    const Mrz mrz = parseOk("P<UTOERIKSSON<<ANNA<MARIA<KKK<<<<<<<<<<<<<<<\n" + kTd3Line2);
    EXPECT_EQ(mrz.givenNames, "ANNA MARIA");
}

TEST(MrzRepair, RealNamesMadeOfKCELAreKept) {
    // LEE follows "<<" (the one separator) and ELLE a single '<': real names.
    const Mrz mrz = parseOk("P<UTOPARK<<LEE<ELLE<<<<<<<<<<<<<<<<<<<<<<<<<\n" + kTd3Line2);
    EXPECT_EQ(mrz.surname, "PARK");
    EXPECT_EQ(mrz.givenNames, "LEE ELLE");
    EXPECT_FALSE(hasRepair(mrz, "surname/given_names", "name.filler"));
}

TEST(MrzRepair, LowercaseSpacesStrayCharactersAndShortLines) {
    // Line 1: lower case, one filler dropped (43 characters).
    // Line 2: a space inserted, one filler of the personal number dropped, a
    // stray full stop: the filler run is the only place that verifies.
    const Mrz mrz = parseOk(
        "p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<\r\n"
        "L898902C36 UTO7408122F1204159ZE184226B<<<<10.\n");
    EXPECT_TRUE(mrz.valid);
    EXPECT_EQ(mrz.lines, (std::vector<std::string>{kTd3Line1, kTd3Line2}));
    EXPECT_TRUE(hasRepair(mrz, "line 1", "line.length"));
    EXPECT_TRUE(hasRepair(mrz, "line 2", "line.length"));
    EXPECT_TRUE(hasRepair(mrz, "line 2", "text.space"));
    EXPECT_TRUE(hasRepair(mrz, "line 2", "text.stray"));
}

TEST(MrzRepair, NameLineWithItsPaddingCutShort) {
    // OCR dropped nine of the name line's trailing fillers: the line has no
    // check digit, the second line decides the format, the padding returns.
    const Mrz mrz = parseOk("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<\n" + kTd3Line2);
    EXPECT_EQ(mrz.format, Format::TD3);
    EXPECT_TRUE(mrz.valid);
    EXPECT_EQ(mrz.givenNames, "ANNA MARIA");
    EXPECT_EQ(mrz.lines, (std::vector<std::string>{kTd3Line1, kTd3Line2}));
    EXPECT_TRUE(hasRepair(mrz, "line 1", "line.length"));
}

TEST(MrzRepair, NoPaddingForACutNameOrACheckedLine) {
    // Not ending in fillers, or far too short: no MRZ.
    EXPECT_FALSE(
        saksi::mrz::parse("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<KK\n" + kTd3Line2, kReference));
    EXPECT_FALSE(saksi::mrz::parse("P<UTOERIKSSON<<ANNA<<\n" + kTd3Line2, kReference));
    // The line with check digits is never padded.
    EXPECT_FALSE(
        saksi::mrz::parse(kTd3Line1 + "\nL898902C36UTO7408122F1204159ZE1842<<", kReference));
}

TEST(MrzRepair, SpacesStandingForFillers) {
    const Mrz mrz = parseOk(
        "I<UTOD231458907<<<<<<<<<<<<<<<\n"
        "7408122F1204159UTO<<<<<<<<<<<6\n"
        "ERIKSSON  ANNA MARIA          ");
    EXPECT_TRUE(mrz.valid);
    EXPECT_EQ(mrz.givenNames, "ANNA MARIA");
    EXPECT_EQ(mrz.lines[2], "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
}

TEST(MrzRepair, GuillemetForFillers) {
    const Mrz mrz = parseOk(kTd3Line1 + "\nL898902C36UTO7408122F1204159ZE184226B«««<10");
    EXPECT_TRUE(mrz.valid);
    EXPECT_EQ(mrz.lines[1], kTd3Line2);
}

TEST(MrzRepair, InsertedCharacterMidLine) {
    // An extra '2' in the birth date; deleting it is the one fix that verifies.
    const Mrz mrz = parseOk(kTd3Line1 + "\nL898902C36UTO74081222F1204159ZE184226B<<<<<10");
    EXPECT_TRUE(mrz.valid);
    EXPECT_EQ(mrz.lines[1], kTd3Line2);
}

TEST(MrzRepair, TooLongTd1Line) {
    const Mrz mrz = parseOk(
        "I<UTOD231458907<<<<<<<<<<<<<<<<\n"
        "7408122F1204159UTO<<<<<<<<<<<6\n"
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<");
    EXPECT_TRUE(mrz.valid);
    EXPECT_EQ(mrz.lines[0], "I<UTOD231458907<<<<<<<<<<<<<<<");
    EXPECT_EQ(mrz.lines[2], "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
}

TEST(MrzRepair, SexFillerAsX) {
    std::string line2 = kTd3Line2;
    line2[20] = '<';
    const Mrz mrz = parseOk(kTd3Line1 + "\n" + line2);
    EXPECT_EQ(mrz.sex, "X");
    EXPECT_TRUE(mrz.valid);
}

// ---- negative cases ------------------------------------------------------------

TEST(MrzNegative, WrongCheckDigitNoRepairFixes) {
    // Birth date check digit 3 instead of 2: the date is all digits, so no
    // reading of it can change, and the check fails.
    const Mrz mrz = parseOk(kTd3Line1 + "\nL898902C36UTO7408123F1204159ZE184226B<<<<<10");
    EXPECT_FALSE(mrz.checks.birthDate);
    EXPECT_TRUE(mrz.checks.documentNumber);
    EXPECT_FALSE(mrz.valid);
    EXPECT_FALSE(mrz.ambiguous);
}

TEST(MrzNegative, RepairsThatTheCompositeRejectsAreNotAmbiguous) {
    // Document check digit read as 7 (printed 6). Two confusion repairs of the
    // number reach 7 ("L89B902C3", "L89890ZC3"), but the composite, computed
    // over the number and its true check digit 6, rejects both: no repair
    // passes every check, so the MRZ is invalid, and not ambiguous.
    const Mrz mrz = parseOk(kTd3Line1 + "\nL898902C37UTO7408122F1204159ZE184226B<<<<<10");
    EXPECT_FALSE(mrz.checks.documentNumber);
    EXPECT_EQ(mrz.checks.composite, false);
    EXPECT_EQ(mrz.documentNumber, "L898902C3");
    EXPECT_FALSE(mrz.ambiguous);
    EXPECT_FALSE(mrz.valid);
}

TEST(MrzNegative, TwoRepairsPassIsAmbiguous) {
    // True number L898902C3 (check 6); the 8 at index 3 was read as B:
    // "L89B902C3", whose weighted sum ends in 7, so the check fails.
    // Two single confusion repairs each bring the sum back to ...6:
    //   index 3 (weight 7): B(11) -> 8  changes the sum by -3*7 = -21 = -1 mod 10
    //   index 1 (weight 3): 8 -> B(11)  changes the sum by +3*3 = +9  = -1 mod 10
    // so both "L898902C3" and "LB9B902C3" verify. The document number heads
    // the composite with the same 7,3,1 phase, so the composite agrees with
    // both as well (it passes with either; as read, it does not). Neither may
    // be picked.
    const Mrz mrz = parseOk(kTd3Line1 + "\nL89B902C36UTO7408122F1204159ZE184226B<<<<<10");
    EXPECT_EQ(saksi::mrz::checkDigit("L898902C3"), '6');
    EXPECT_EQ(saksi::mrz::checkDigit("LB9B902C3"), '6');
    EXPECT_EQ(saksi::mrz::checkDigit("L89B902C3"), '7');
    EXPECT_TRUE(mrz.ambiguous);
    EXPECT_FALSE(mrz.valid);
    EXPECT_FALSE(mrz.checks.documentNumber);
    EXPECT_EQ(mrz.documentNumber, "L89B902C3");  // as read: no repair chosen
    EXPECT_EQ(mrz.lines[1], "L89B902C36UTO7408122F1204159ZE184226B<<<<<10");
    EXPECT_FALSE(hasRepair(mrz, "document_number", "ocr.confusion"));
}

TEST(MrzNegative, NotAnMrz) {
    EXPECT_FALSE(saksi::mrz::parse("REPUBLIK INDONESIA\nPASPOR", kReference).has_value());
    EXPECT_FALSE(saksi::mrz::parse("", kReference).has_value());
    EXPECT_FALSE(
        saksi::mrz::parse(kTd3Line1 + "\n" + kTd3Line2.substr(0, 36 + 3), kReference).has_value());
}

// ---- centuries -------------------------------------------------------------------

TEST(MrzCentury, BirthNeverInTheFuture) {
    Mrz mrz = parseOk(kTd3Line1 + "\n" + td3Line2("250101", "300101"));
    EXPECT_TRUE(mrz.valid);
    EXPECT_EQ(mrz.birthDate, "2025-01-01");
    mrz = parseOk(kTd3Line1 + "\n" + td3Line2("250602", "300101"));
    EXPECT_EQ(mrz.birthDate, "1925-06-02");
    mrz = parseOk(kTd3Line1 + "\n" + td3Line2("250601", "300101"));
    EXPECT_EQ(mrz.birthDate, "2025-06-01");
}

TEST(MrzCentury, ExpiryWindowPlus20Minus80) {
    Mrz mrz = parseOk(kTd3Line1 + "\n" + td3Line2("900101", "441231"));
    EXPECT_EQ(mrz.expiryDate, "2044-12-31");
    mrz = parseOk(kTd3Line1 + "\n" + td3Line2("900101", "450101"));
    EXPECT_EQ(mrz.expiryDate, "1945-01-01");
}

TEST(MrzCentury, ImpossibleDateIsNull) {
    const Mrz mrz = parseOk(kTd3Line1 + "\n" + td3Line2("901332", "300101"));
    EXPECT_FALSE(mrz.birthDate.has_value());
    EXPECT_TRUE(saksi::mrz::toJson(mrz)["birth_date"].is_null());
}

// ---- JSON --------------------------------------------------------------------------

TEST(MrzJson, Td3UsesTheRecordNames) {
    const nlohmann::json j = saksi::mrz::toJson(parseOk(kTd3Line1 + "\n" + kTd3Line2));
    const nlohmann::json expected = {{"format", "TD3"},
                                     {"lines", {kTd3Line1, kTd3Line2}},
                                     {"document_number", "L898902C3"},
                                     {"issuing_country", "UTO"},
                                     {"nationality", "UTO"},
                                     {"surname", "ERIKSSON"},
                                     {"given_names", "ANNA MARIA"},
                                     {"birth_date", "1974-08-12"},
                                     {"sex", "F"},
                                     {"expiry_date", "2012-04-15"},
                                     {"personal_number", "ZE184226B"},
                                     {"checks",
                                      {{"document_number", true},
                                       {"birth_date", true},
                                       {"expiry_date", true},
                                       {"personal_number", true},
                                       {"composite", true}}},
                                     {"valid", true},
                                     {"ambiguous", false}};
    EXPECT_EQ(j, expected) << j.dump(2);
}

TEST(MrzJson, AbsentChecksAreLeftOut) {
    const nlohmann::json td1 =
        saksi::mrz::toJson(parseOk("I<UTOD231458907<<<<<<<<<<<<<<<\n"
                                   "7408122F1204159UTO<<<<<<<<<<<6\n"
                                   "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"));
    EXPECT_EQ(td1["format"], "TD1");
    EXPECT_FALSE(td1["checks"].contains("personal_number"));
    EXPECT_EQ(td1["checks"]["composite"], true);
    EXPECT_TRUE(td1["personal_number"].is_null());

    const nlohmann::json mrvb =
        saksi::mrz::toJson(parseOk("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
                                   "L8988901C4XXX4009078F9612109<<<<<<<<"));
    EXPECT_EQ(mrvb["format"], "MRV-B");
    EXPECT_FALSE(mrvb["checks"].contains("composite"));
    EXPECT_FALSE(mrvb["checks"].contains("personal_number"));
}

}  // namespace
