// classify.language's detector: CLD2 on Indonesian, English, mixed,
// near-empty and garbled text; ISO 639-3 codes out.
#include "language_detector.hpp"

#include <gtest/gtest.h>

namespace saksi::language {
namespace {

using Codes = std::vector<std::string>;

const DetectorConfig kDefaults{};

// Invented texts in the style of what Saksi reads: a recruiter's chat, a
// contract clause, an English agency letter.
constexpr char kIndonesian[] =
    "Halo kak, masih cari kerja? Ada lowongan kerja di luar negeri, gaji besar per bulan, "
    "tiket dan mess ditanggung perusahaan. Cukup kirim foto KTP dan bayar biaya proses saja.";
constexpr char kIndonesianContract[] =
    "Pihak Kedua wajib bekerja delapan jam sehari dan berhak atas upah bulanan sesuai perjanjian "
    "kerja ini. Paspor Pihak Kedua tidak boleh ditahan oleh Pihak Pertama selama masa kontrak.";
constexpr char kEnglish[] =
    "This letter confirms that the worker named below has been offered a position as a "
    "housekeeper. The employer will provide accommodation, meals and return air tickets.";

TEST(LanguageDetector, Indonesian) {
    EXPECT_EQ(detectLanguages(kIndonesian, kDefaults), Codes{"ind"});
    EXPECT_EQ(detectLanguages(kIndonesianContract, kDefaults), Codes{"ind"});
}

TEST(LanguageDetector, English) {
    EXPECT_EQ(detectLanguages(kEnglish, kDefaults), Codes{"eng"});
}

TEST(LanguageDetector, MixedTextNamesBothMostFirst) {
    const std::string mostlyIndonesian =
        std::string(kIndonesian) + " " + kIndonesianContract + " " + kEnglish;
    EXPECT_EQ(detectLanguages(mostlyIndonesian, kDefaults), (Codes{"ind", "eng"}));
    const std::string mostlyEnglish = std::string(kEnglish) + " " + kEnglish + " " + kIndonesian;
    const Codes found = detectLanguages(mostlyEnglish, kDefaults);
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0], "eng");
    EXPECT_EQ(found[1], "ind");
}

TEST(LanguageDetector, AFewEnglishWordsInIndonesianAreNotALanguage) {
    const std::string text = std::string(kIndonesian) + " " + kIndonesianContract + " Thank you.";
    EXPECT_EQ(detectLanguages(text, kDefaults), Codes{"ind"});
}

TEST(LanguageDetector, NoLanguageWhenTooShortToTell) {
    for (const char* text : {"", " ", "Halo", "Oke Bu, terima kasih.", "09:41", "P<UTO",
                             "Rp 4.500.000", "+62 812 3456 7890", "Passport No. X1234567"})
        EXPECT_EQ(detectLanguages(text, kDefaults), Codes{}) << '"' << text << '"';
}

TEST(LanguageDetector, NoLanguageForDigitsAndMachineText) {
    const std::string mrz =
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<"
        "10\n"
        "3172 0112 3456 0001 883-15-9867557-1 0822-3882-9301 12.05.2025 09:41 09:43 09:44";
    EXPECT_EQ(detectLanguages(mrz, kDefaults), Codes{});
}

TEST(LanguageDetector, InvalidUtf8IsSkippedNotFatal) {
    const std::string text = std::string(kIndonesian) + "\xff\xfe" + kIndonesianContract;
    EXPECT_EQ(detectLanguages(text, kDefaults), Codes{"ind"});
    EXPECT_EQ(detectLanguages("\xff\xfe\xfd", kDefaults), Codes{});
}

TEST(LanguageDetector, ThresholdsAreConfigurable) {
    DetectorConfig strict;
    strict.minBytes = 100000;
    EXPECT_EQ(detectLanguages(kIndonesian, strict), Codes{});
}

TEST(Iso639, FromCld2Codes) {
    EXPECT_EQ(iso639_3("id"), "ind");
    EXPECT_EQ(iso639_3("en"), "eng");
    EXPECT_EQ(iso639_3("ms"), "msa");
    EXPECT_EQ(iso639_3("jw"), "jav");  // CLD2's withdrawn ISO 639-1 code
    EXPECT_EQ(iso639_3("iw"), "heb");
    EXPECT_EQ(iso639_3("zh-Hant"), "zho");
    EXPECT_EQ(iso639_3("ceb"), "ceb");
    EXPECT_EQ(iso639_3("un"), std::nullopt);
    EXPECT_EQ(iso639_3("xxx"), std::nullopt);
    EXPECT_EQ(iso639_3("xx-Latn"), std::nullopt);
    EXPECT_EQ(iso639_3("zzb"), std::nullopt);
}

}  // namespace
}  // namespace saksi::language
