// Unit tests of the redact.policy stage's logic: policies, keys, pseudonyms,
// and the record redactor (page text, words, spans, entities, MRZ, sweep).
#include "pdf_writer.hpp"
#include "pseudonym.hpp"
#include "record_redactor.hpp"
#include "redaction_policy.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace saksi::redact;
using nlohmann::json;

namespace {

constexpr const char* kKey = "0123456789abcdef-case-key";

// A one-page record with the given text and one word per whitespace run.
json recordWith(const std::string& text) {
    json words = json::array();
    int x = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\n')) ++i;
        std::size_t j = i;
        while (j < text.size() && text[j] != ' ' && text[j] != '\n') ++j;
        if (j > i) {
            words.push_back(
                {{"text", text.substr(i, j - i)}, {"bbox", {x, 10, x + 50, 30}}, {"conf", 90.0}});
            x += 60;
        }
        i = j;
    }
    return {{"id", std::string(64, 'a')},
            {"source", {{"name", "scan.png"}, {"sha256", std::string(64, 'a')}}},
            {"pages",
             {{{"number", 1},
               {"width", 2000},
               {"height", 100},
               {"dpi", 300},
               {"text", text},
               {"words", words}}}},
            {"entities", json::array()},
            {"redactions", json::array()},
            {"errors", json::array()}};
}

void addEntity(json& record, const std::string& type, const std::string& value,
               const json& normalized) {
    const std::string text = record["pages"][0]["text"];
    const std::size_t at = text.find(value);
    ASSERT_NE(at, std::string::npos) << value;
    record["entities"].push_back({{"type", type},
                                  {"text", value},
                                  {"normalized", normalized},
                                  {"page", 1},
                                  {"bbox", {0, 10, 50, 30}},
                                  {"span", {at, at + value.size()}},
                                  {"confidence", 0.9},
                                  {"detector", "t@1"},
                                  {"sensitive", true}});
}

Policy policyOf(const std::string& toml) {
    return parsePolicy(toml, "test", "test.toml");
}

}  // namespace

TEST(RedactionPolicy, ShippedPoliciesParse) {
    const Policy evidence = loadPolicy("evidence");
    for (const char* type : {"national_id", "passport_number", "phone", "email", "bank_account"})
        EXPECT_EQ(evidence.methodFor(type), Method::mask) << type;
    EXPECT_FALSE(evidence.methodFor("person"));
    EXPECT_EQ(evidence.mrz, Method::mask);
    EXPECT_FALSE(evidence.usesPseudonym());

    const Policy share = loadPolicy("share");
    EXPECT_EQ(share.methodFor("person"), Method::mask);
    EXPECT_EQ(share.methodFor(std::string(kDateOfBirth)), Method::mask);
    EXPECT_EQ(share.methodFor("phone"), Method::mask);
}

TEST(RedactionPolicy, ParsesMethodsKeysAndMrz) {
    const Policy p = policyOf(R"(description = "d"
mrz = "keep"
key_env = "CASE_KEY"
[redact]
phone = "pseudonym"
email = "mask"
)");
    EXPECT_EQ(p.methodFor("phone"), Method::pseudonym);
    EXPECT_EQ(p.methodFor("email"), Method::mask);
    EXPECT_FALSE(p.mrz);
    EXPECT_TRUE(p.usesPseudonym());
    EXPECT_EQ(p.keyEnv, "CASE_KEY");
}

TEST(RedactionPolicy, RejectsUnknownTypesMethodsAndKeysWithTheLine) {
    auto message = [](const std::string& toml) {
        try {
            policyOf(toml);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(
        message("[redact]\nphne = \"mask\"\n").find("test.toml:2: unknown entity type 'phne'"),
        std::string::npos);
    EXPECT_NE(message("[redact]\nphone = \"blur\"\n").find("test.toml:2:"), std::string::npos);
    EXPECT_NE(message("colour = 1\n").find("unknown key 'colour'"), std::string::npos);
    EXPECT_NE(message("mrz = \"pseudonym\"\n").find("'mrz' must be"), std::string::npos);
    EXPECT_THROW(loadPolicy("no-such-policy"), std::invalid_argument);
}

TEST(CaseKey, ComesFromAFileOrTheEnvironmentAndMustBeLongEnough) {
    const auto file = std::filesystem::temp_directory_path() / "saksi_redact_test.key";
    std::ofstream(file) << "a-file-key-of-32-bytes-exactly!!\n";
    EXPECT_EQ(loadCaseKey("", file.string()), "a-file-key-of-32-bytes-exactly!!");
    std::filesystem::remove(file);
    EXPECT_THROW(loadCaseKey("", file.string()), std::invalid_argument);

    ::setenv("SAKSI_REDACT_TEST_KEY", "short", 1);
    EXPECT_THROW(loadCaseKey("SAKSI_REDACT_TEST_KEY", ""), std::invalid_argument);
    ::setenv("SAKSI_REDACT_TEST_KEY", kKey, 1);
    EXPECT_EQ(loadCaseKey("SAKSI_REDACT_TEST_KEY", ""), kKey);
    ::unsetenv("SAKSI_REDACT_TEST_KEY");
    EXPECT_THROW(loadCaseKey("SAKSI_REDACT_TEST_KEY", ""), std::invalid_argument);
    EXPECT_THROW(loadCaseKey("", ""), std::invalid_argument);
}

TEST(Pseudonym, IsStableAcrossSpellingsAndChangesWithTheKey) {
    const std::string a = pseudonymToken(kKey, "phone", "+62 812-3456-7890");
    EXPECT_EQ(a, pseudonymToken(kKey, "phone", "6281234567890"));
    EXPECT_EQ(a.size(), std::string("PHONE_").size() + 8);
    EXPECT_EQ(a.rfind("PHONE_", 0), 0u);
    EXPECT_NE(a, pseudonymToken("another-case-key-0123456789", "phone", "6281234567890"));
    EXPECT_NE(a, pseudonymToken(kKey, "phone", "6281234567891"));
    EXPECT_NE(a, pseudonymToken(kKey, "bank_account", "6281234567890"));
    EXPECT_EQ(pseudonymToken(kKey, "email", "Ana.Sari@Mail.com"),
              pseudonymToken(kKey, "email", "ana.sari@mail.com"));
}

TEST(Mask, IsATypedPlaceholder) {
    EXPECT_EQ(maskPlaceholder("national_id"), "[NATIONAL_ID]");
    EXPECT_EQ(comparableForm("+62 812-3456-7890"), "6281234567890");
    EXPECT_EQ(comparableForm("Ana.Sari@Mail.com"), "anasarimailcom");
}

TEST(RecordRedactor, ReplacesSpansAndKeepsLaterSpansAndWordsInStep) {
    json record = recordWith("Hubungi 0812-3456-7890 atau ana@mail.com segera Jakarta");
    addEntity(record, "phone", "0812-3456-7890", "+6281234567890");
    addEntity(record, "email", "ana@mail.com", "ana@mail.com");
    addEntity(record, "location", "Jakarta", "Jakarta");
    const Policy policy = loadPolicy("evidence");
    const RedactionResult r = redactRecord(record, policy, {4, ""});
    const json& page = r.record["pages"][0];
    EXPECT_EQ(page["text"], "Hubungi [PHONE] atau [EMAIL] segera Jakarta");
    for (const json& e : r.record["entities"]) {
        const std::size_t b = e["span"][0], en = e["span"][1];
        EXPECT_EQ(page["text"].get<std::string>().substr(b, en - b), e["text"]) << e.dump();
    }
    EXPECT_EQ(r.record["entities"][0]["normalized"], "[PHONE]");
    EXPECT_EQ(r.record["entities"][2]["text"], "Jakarta");
    std::vector<std::string> words;
    for (const json& w : page["words"]) words.push_back(w["text"]);
    EXPECT_EQ(words, (std::vector<std::string>{"Hubungi", "[PHONE]", "atau", "[EMAIL]", "segera",
                                               "Jakarta"}));
    ASSERT_EQ(r.redactions.size(), 2u);
    EXPECT_EQ(r.redactions[0].type, "phone");
    // The burned box covers the word with the margin.
    EXPECT_EQ(r.redactions[0].box.x0, 60 - 4);
    EXPECT_EQ(r.redactions[0].box.x1, 110 + 4);
    EXPECT_EQ(r.record["redactions"].size(), 2u);
}

TEST(RecordRedactor, FindsOtherSpellingsOfARedactedValueEverywhere) {
    json record = recordWith("Telp +62 812 3456 7890 lalu 081234567890 lagi");
    addEntity(record, "phone", "+62 812 3456 7890", "+6281234567890");
    record["contract"] = {{"worker_phone", "0812.3456.7890"}, {"note", "no secret here 2025"}};
    record["source"]["name"] = "hp_081234567890.png";
    const RedactionResult r = redactRecord(record, loadPolicy("evidence"), {0, ""});
    EXPECT_EQ(r.record["pages"][0]["text"], "Telp [PHONE] lalu [PHONE] lagi");
    EXPECT_EQ(r.record["contract"]["worker_phone"], "[PHONE]");
    EXPECT_EQ(r.record["contract"]["note"], "no secret here 2025");
    EXPECT_EQ(r.record["source"]["name"], "hp_[PHONE].png");
    EXPECT_EQ(r.record["id"], std::string(64, 'a'));
    // Both occurrences are burned in, not only the detected one.
    EXPECT_EQ(r.redactions.size(), 2u);
}

TEST(RecordRedactor, PseudonymLinksTheSameValueAndHidesIt) {
    json record = recordWith("A 0812-3456-7890 B +62 812 3456 7890");
    addEntity(record, "phone", "0812-3456-7890", "+6281234567890");
    addEntity(record, "phone", "+62 812 3456 7890", "+6281234567890");
    const Policy policy = policyOf("[redact]\nphone = \"pseudonym\"\n");
    const RedactionResult r = redactRecord(record, policy, {0, kKey});
    const std::string token = pseudonymToken(kKey, "phone", "+6281234567890");
    EXPECT_EQ(r.record["pages"][0]["text"], "A " + token + " B " + token);
    EXPECT_EQ(r.record["entities"][0]["normalized"], token);
    EXPECT_EQ(r.redactions[0].method, Method::pseudonym);
}

TEST(RecordRedactor, RemovesTheWholeMrzAndItsFieldsElsewhere) {
    json record = recordWith(
        "Passport No. U4821907B\nP<UTOWIRADINATA<<RATNA<SARI<<<<<<<<<<<<<<<<<\n"
        "U4821907B8UTO9403121F3108099ZQ7302591<<<<<68");
    record["passport"] = {{"mrz",
                           {{"format", "TD3"},
                            {"lines",
                             {"P<UTOWIRADINATA<<RATNA<SARI<<<<<<<<<<<<<<<<<",
                              "U4821907B8UTO9403121F3108099ZQ7302591<<<<<68"}},
                            {"document_number", "U4821907B"},
                            {"surname", "WIRADINATA"},
                            {"birth_date", "1994-03-12"},
                            {"personal_number", "ZQ7302591"},
                            {"valid", true}}},
                          {"visual_zone", {{"passport_number", "U4821907B"}}}};
    const RedactionResult r = redactRecord(record, loadPolicy("evidence"), {4, ""});
    EXPECT_EQ(r.record["pages"][0]["text"], "Passport No. [PASSPORT_NUMBER]\n[MRZ]\n[MRZ]");
    const json& mrz = r.record["passport"]["mrz"];
    EXPECT_EQ(mrz["lines"][0], std::string(44, '<'));
    EXPECT_TRUE(mrz["document_number"].is_null());
    EXPECT_TRUE(mrz["surname"].is_null());
    EXPECT_EQ(mrz["valid"], true);
    EXPECT_EQ(r.record["passport"]["visual_zone"]["passport_number"], "[PASSPORT_NUMBER]");
    // MRZ lines burn across the page.
    int mrzBoxes = 0;
    for (const Redaction& red : r.redactions)
        if (red.type == "mrz") {
            ++mrzBoxes;
            EXPECT_EQ(red.box.x0, 0);
            EXPECT_EQ(red.box.x1, 2000);
        }
    EXPECT_EQ(mrzBoxes, 2);
}

TEST(RecordRedactor, AnMrzMissingFromThePageTextIsAProblem) {
    json record = recordWith("Passport No. U4821907B");
    record["passport"] = {{"mrz",
                           {{"lines",
                             {"P<UTOWIRADINATA<<RATNA<SARI<<<<<<<<<<<<<<<<<",
                              "U4821907B8UTO9403121F3108099ZQ7302591<<<<<68"}}}}};
    EXPECT_FALSE(redactRecord(record, loadPolicy("evidence"), {0, ""}).problems.empty());
    EXPECT_TRUE(redactRecord(record, policyOf("mrz = \"keep\""), {0, ""}).problems.empty());
}

TEST(RecordRedactor, DatesOfBirthByContextOrMrz) {
    json record = recordWith("Tempat/Tgl. Lahir: Sukabumi, 14 Juli 1998 mulai 1 Maret 2025");
    addEntity(record, "date", "14 Juli 1998", "1998-07-14");
    addEntity(record, "date", "1 Maret 2025", "2025-03-01");
    const std::string text = record["pages"][0]["text"];
    EXPECT_TRUE(isBirthDate(record["entities"][0], text, ""));
    EXPECT_FALSE(isBirthDate(record["entities"][1], text, ""));
    EXPECT_TRUE(isBirthDate(record["entities"][1], text, "2025-03-01"));
    const RedactionResult r = redactRecord(record, loadPolicy("share"), {0, ""});
    EXPECT_EQ(r.record["pages"][0]["text"],
              "Tempat/Tgl. Lahir: Sukabumi, [DATE_OF_BIRTH] mulai 1 Maret 2025");
    EXPECT_EQ(r.redactions.at(0).type, "date");
    // The evidence policy keeps dates.
    EXPECT_EQ(redactRecord(record, loadPolicy("evidence"), {0, ""}).record["pages"][0]["text"],
              text);
}

TEST(RecordRedactor, SharePolicyHidesNamesAndTheirParts) {
    json record = recordWith("Pekerja Dewi Anggraini Lestari ditelepon oleh Dewi kemarin");
    addEntity(record, "person", "Dewi Anggraini Lestari", "Dewi Anggraini Lestari");
    record["chat"] = {{"messages", {{{"sender", "Dewi"}, {"text", "halo Lestari"}}}}};
    const RedactionResult r = redactRecord(record, loadPolicy("share"), {0, ""});
    EXPECT_EQ(r.record["pages"][0]["text"], "Pekerja [PERSON] ditelepon oleh [PERSON] kemarin");
    EXPECT_EQ(r.record["chat"]["messages"][0]["sender"], "[PERSON]");
    EXPECT_EQ(r.record["chat"]["messages"][0]["text"], "halo [PERSON]");
}

TEST(RecordRedactor, AShortNameIsHiddenWhereverItIsAWholeWord) {
    // A chat title names the sender; the name entity comes from a message.
    json record = recordWith("Sri Agen\nSelamat pagi, ini Sri dari CV Srikandi");
    const std::size_t at = record["pages"][0]["text"].get<std::string>().find("ini Sri") + 4;
    addEntity(record, "person", "Sri", "Sri");
    record["entities"][0]["span"] = {at, at + 3};
    record["chat"] = {{"title", "Sri Agen"}};
    const RedactionResult r = redactRecord(record, loadPolicy("share"), {0, ""});
    EXPECT_EQ(r.record["pages"][0]["text"],
              "[PERSON] Agen\nSelamat pagi, ini [PERSON] dari CV Srikandi");
    EXPECT_EQ(r.record["chat"]["title"], "[PERSON] Agen");
    // Both words are burned: the title's "Sri" is the first word, at x 0..50.
    ASSERT_EQ(r.redactions.size(), 2u);
    EXPECT_EQ(r.redactions[0].box.x0, 0);
    EXPECT_EQ(r.redactions[0].box.x1, 50);
}

TEST(MrzLine, LooksLikeMrz) {
    EXPECT_TRUE(looksLikeMrzLine("P<UTOWIRADINATA<<RATNA<SARI<<<<<<<<<<<<<<<<<"));
    EXPECT_TRUE(looksLikeMrzLine("U4821907B8UTO9403121F3108099ZQ7302591<<<<<68"));
    EXPECT_FALSE(looksLikeMrzLine("Passport No./No. Paspor"));
    EXPECT_FALSE(looksLikeMrzLine("<<"));
}

TEST(PdfWriter, OneRevisionNoInfo) {
    const std::string jpeg = "\xFF\xD8 not really a jpeg \xFF\xD9";
    const std::string pdf = writeImagePdf({{&jpeg, 10, 10, false, 72.0, 72.0}});
    EXPECT_EQ(pdf.rfind("%PDF-1.4", 0), 0u);
    EXPECT_EQ(pdf.find("%%EOF"), pdf.rfind("%%EOF"));
    EXPECT_EQ(pdf.find("/Info"), std::string::npos);
    EXPECT_NE(pdf.find("/DCTDecode"), std::string::npos);
    EXPECT_THROW(writeImagePdf({}), std::invalid_argument);
}

TEST(RecordRedactor, HidesAThingsSpellingAndKeyWhenItsMentionsAreHidden) {
    json record = recordWith("Nama WIRADINATA RATNA SARI Telepon 0812-3456-7890 Kota Sukabumi");
    addEntity(record, "person", "WIRADINATA RATNA SARI", "WIRADINATA RATNA SARI");
    addEntity(record, "phone", "0812-3456-7890", "+6281234567890");
    addEntity(record, "location", "Sukabumi", "Sukabumi");
    // As extract.consolidate writes them: the MRZ's spelling of the name, a
    // lower-case sorted key, and a worker named only by the contract.
    record["things"] = {{{"type", "person"},
                         {"name", "RATNA SARI WIRADINATA"},
                         {"key", "ratna sari wiradinata"},
                         {"mentions", {0}},
                         {"pages", {1}},
                         {"role", "holder"},
                         {"holder", nullptr},
                         {"from", {"entities", "mrz"}}},
                        {{"type", "phone"},
                         {"name", "+6281234567890"},
                         {"key", "+6281234567890"},
                         {"mentions", {1}},
                         {"pages", {1}},
                         {"role", nullptr},
                         {"holder", 0},
                         {"from", {"entities"}}},
                        {{"type", "location"},
                         {"name", "Sukabumi"},
                         {"key", "sukabumi"},
                         {"mentions", {2}},
                         {"pages", {1}},
                         {"role", nullptr},
                         {"holder", nullptr},
                         {"from", {"entities"}}},
                        {{"type", "person"},
                         {"name", "Andi Saputra"},
                         {"key", "andi saputra"},
                         {"mentions", json::array()},
                         {"pages", json::array()},
                         {"role", "worker"},
                         {"holder", nullptr},
                         {"from", {"contract"}}}};
    const RedactionResult r = redactRecord(record, loadPolicy("share"), {0, ""});
    const json& things = r.record["things"];
    for (int i : {0, 3}) {
        EXPECT_EQ(things[i]["name"], "[PERSON]");
        EXPECT_EQ(things[i]["key"], "[PERSON]");
    }
    EXPECT_EQ(things[1]["name"], "[PHONE]");
    EXPECT_EQ(things[1]["key"], "[PHONE]");
    EXPECT_EQ(things[2]["name"], "Sukabumi");
    EXPECT_EQ(things[1]["holder"], 0);
    const std::string dumped = r.record.dump();
    for (const char* secret : {"RATNA", "ratna", "6281234567890", "andi saputra", "Andi"})
        EXPECT_EQ(dumped.find(secret), std::string::npos) << secret;
    // The contract-only name is a secret of its own, for the leak check.
    bool andi = false;
    for (const SecretValue& v : secretValues(r.secrets)) andi = andi || v.value == "Andi Saputra";
    EXPECT_TRUE(andi);
    // The evidence policy keeps names and places, hides the phone.
    const json kept = redactRecord(record, loadPolicy("evidence"), {0, ""}).record["things"];
    EXPECT_EQ(kept[0]["name"], "RATNA SARI WIRADINATA");
    EXPECT_EQ(kept[1]["key"], "[PHONE]");
}
