// extract.consolidate: match keys of names and identifiers, and things[]
// from hand-built records (a contract's party blocks, a passport's MRZ and
// visual zone, a chat's messages).
#include "things.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
using saksi::consolidate::consolidate;
using saksi::consolidate::identifierKey;
using saksi::consolidate::nameKey;

// A record of one page of `text` with an entity at each (type, text,
// normalized) in order of appearance (the first occurrence at or after the
// previous entity's end).
json recordOf(const std::string& text,
              const std::vector<std::tuple<std::string, std::string, std::string>>& found) {
    json entities = json::array();
    std::size_t from = 0;
    for (const auto& [type, value, normalized] : found) {
        const std::size_t at = text.find(value, from);
        EXPECT_NE(at, std::string::npos) << value;
        entities.push_back({{"type", type},
                            {"text", value},
                            {"normalized", normalized.empty() ? json(value) : json(normalized)},
                            {"page", 1},
                            {"bbox", {0, 0, 10, 10}},
                            {"span", {at, at + value.size()}},
                            {"confidence", 0.9},
                            {"detector", "test.stage@1"},
                            {"sensitive", true}});
        from = at + value.size();
    }
    return {{"pages", {{{"number", 1}, {"text", text}}}}, {"entities", entities}};
}

const json* thingOf(const json& things, const std::string& type, const std::string& key) {
    for (const auto& t : things)
        if (t["type"] == type && t["key"] == key) return &t;
    return nullptr;
}

TEST(ConsolidateNameKey, MatchesCaseSpacingHonorificsAndOrder) {
    const std::string dewi = nameKey("person", "Dewi Anggraini Lestari");
    EXPECT_EQ(dewi, "anggraini dewi lestari");
    EXPECT_EQ(nameKey("person", "DEWI ANGGRAINI LESTARI"), dewi);
    EXPECT_EQ(nameKey("person", "Dewi  Anggraini\nLestari"), dewi);
    EXPECT_EQ(nameKey("person", "Ibu Dewi Anggraini Lestari"), dewi);
    EXPECT_EQ(nameKey("person", "Sdri. Dewi Anggraini Lestari,"), dewi);
    EXPECT_EQ(nameKey("person", "LESTARI DEWI ANGGRAINI"), dewi);
    EXPECT_EQ(nameKey("person", "Pak Sokha"), "sokha");
    // A lone honorific-like word is the name itself.
    EXPECT_EQ(nameKey("person", "Bu"), "bu");
    // What it must not join: another person, a dropped or changed word.
    EXPECT_NE(nameKey("person", "Dewi Lestari"), dewi);
    EXPECT_NE(nameKey("person", "Dewi Anggraeni Lestari"), dewi);
    EXPECT_NE(nameKey("person", "Andi Saputra"), nameKey("person", "Andi Saputro"));
}

TEST(ConsolidateNameKey, OrganisationsLoseLegalFormsNotOrder) {
    const std::string smg = nameKey("organization", "PT Sinar Mekong Gemilang");
    EXPECT_EQ(smg, "sinar mekong gemilang");
    EXPECT_EQ(nameKey("organization", "PT. SINAR MEKONG GEMILANG"), smg);
    EXPECT_EQ(nameKey("organization", "Sinar Mekong Gemilang, Tbk"), smg);
    EXPECT_EQ(nameKey("organization", "Golden Lotus Trading Co., Ltd."), "golden lotus trading");
    EXPECT_NE(nameKey("organization", "Gemilang Mekong Sinar"), smg);
    EXPECT_EQ(nameKey("organization", "PT"), "pt");
}

TEST(ConsolidateIdentifierKey, NormalisesNotation) {
    EXPECT_EQ(identifierKey("+6285722914638"), "+6285722914638");
    EXPECT_EQ(identifierKey("0921-01-004517-53-6"), "092101004517536");
    EXPECT_EQ(identifierKey("c7394518"), "C7394518");
    EXPECT_EQ(identifierKey("Dewi.Lestari98@Example.com"), "dewi.lestari98@example.com");
    EXPECT_EQ(identifierKey(" - "), "");
}

TEST(Consolidate, TiesAPartyBlockToItsPerson) {
    const std::string text =
        "Diwakili oleh: Hendra Wijaya Kusuma, selaku Direktur\n"
        "selanjutnya disebut PIHAK PERTAMA.\n"
        "Nama: Dewi Anggraini Lestari\n"
        "Tempat/Tgl. Lahir: Sukabumi, 14 Juli 1998\n"
        "NIK: 3202155407980003\n"
        "Telepon: +62 857-2291-4638\n"
        "melalui agen yang diwakili oleh Andi Saputra (telepon +62 821-1734-5590).\n"
        "Ditandatangani: DEWI ANGGRAINI LESTARI dan Sdri. Dewi\n";
    json record = recordOf(text, {{"person", "Hendra Wijaya Kusuma", ""},
                                  {"person", "Dewi Anggraini Lestari", ""},
                                  {"location", "Sukabumi", ""},
                                  {"national_id", "3202155407980003", ""},
                                  {"phone", "+62 857-2291-4638", "+6285722914638"},
                                  {"person", "Andi Saputra", ""},
                                  {"phone", "+62 821-1734-5590", "+6282117345590"},
                                  {"person", "DEWI ANGGRAINI LESTARI", ""},
                                  {"person", "Sdri. Dewi", "Sdri. Dewi"}});
    record["contract"] = {{"worker", "Dewi Anggraini Lestari"},
                          {"employer", "PT Sinar Mekong Gemilang"},
                          {"agency", nullptr}};
    const json things = consolidate(record);

    const json* dewi = thingOf(things, "person", "anggraini dewi lestari");
    ASSERT_NE(dewi, nullptr) << things.dump(1);
    EXPECT_EQ((*dewi)["mentions"], json({1, 7, 8}));
    EXPECT_EQ((*dewi)["name"], "Dewi Anggraini Lestari");
    EXPECT_EQ((*dewi)["role"], "worker");
    const auto index = [&](const json* t) {
        for (std::size_t i = 0; i < things.size(); ++i)
            if (&things[i] == t) return static_cast<int>(i);
        return -1;
    };
    const json* nik = thingOf(things, "national_id", "3202155407980003");
    ASSERT_NE(nik, nullptr);
    EXPECT_EQ((*nik)["holder"], index(dewi));
    const json* phone = thingOf(things, "phone", "+6285722914638");
    ASSERT_NE(phone, nullptr);
    EXPECT_EQ((*phone)["holder"], index(dewi));
    EXPECT_EQ((*phone)["name"], "+6285722914638");
    const json* agentPhone = thingOf(things, "phone", "+6282117345590");
    ASSERT_NE(agentPhone, nullptr);
    EXPECT_EQ((*agentPhone)["holder"], index(thingOf(things, "person", "andi saputra")));
    // The employer is named only in contract.employer: a thing without mentions.
    const json* employer = thingOf(things, "organization", "sinar mekong gemilang");
    ASSERT_NE(employer, nullptr);
    EXPECT_EQ((*employer)["mentions"], json::array());
    EXPECT_EQ((*employer)["role"], "employer");
    EXPECT_EQ((*employer)["from"], json({"contract"}));
    // Hendra has no identifier after him; the location is no one's.
    EXPECT_EQ((*thingOf(things, "location", "sukabumi"))["holder"], nullptr);
}

TEST(Consolidate, AnIdentifierFarFromAnyNameHasNoHolder) {
    std::string text = "Nama: Andi Saputra\n";
    for (int i = 0; i < 9; ++i) text += "Pasal " + std::to_string(i) + " berlaku.\n";
    text += "rekening nomor 0921-01-004517-53-6\n";
    const json things =
        consolidate(recordOf(text, {{"person", "Andi Saputra", ""},
                                    {"bank_account", "0921-01-004517-53-6", "092101004517536"}}));
    const json* account = thingOf(things, "bank_account", "092101004517536");
    ASSERT_NE(account, nullptr);
    EXPECT_EQ((*account)["holder"], nullptr);
}

TEST(Consolidate, PartialNamesJoinOnlyAnUnambiguousPerson) {
    const std::string text = "Andi Saputra, Andi Wijaya dan Andi. Lalu Saputra datang.";
    const json things = consolidate(recordOf(text, {{"person", "Andi Saputra", ""},
                                                    {"person", "Andi Wijaya", ""},
                                                    {"person", "Andi", ""},
                                                    {"person", "Saputra", ""}}));
    EXPECT_EQ((*thingOf(things, "person", "andi saputra"))["mentions"], json({0, 3}));
    EXPECT_EQ((*thingOf(things, "person", "andi wijaya"))["mentions"], json({1}));
    EXPECT_EQ((*thingOf(things, "person", "andi"))["mentions"], json({2}));
}

TEST(Consolidate, TheMrzHolderIsTheVisualZonesPerson) {
    const std::string text =
        "PASPOR / PASSPORT\nNama / Name WIRADINATA RATNA SARI\nNo. Paspor U4821907B\n";
    json record = recordOf(
        text, {{"person", "WIRADINATA RATNA SARI", ""}, {"passport_number", "U4821907B", ""}});
    record["passport"] = {{"mrz",
                           {{"document_number", "U4821907B"},
                            {"surname", "WIRADINATA"},
                            {"given_names", "RATNA SARI"},
                            {"personal_number", "ZQ7302591"}}}};
    const json things = consolidate(record);
    ASSERT_EQ(things.size(), 3u) << things.dump(1);
    EXPECT_EQ(things[0]["type"], "person");
    EXPECT_EQ(things[0]["role"], "holder");
    EXPECT_EQ(things[0]["mentions"], json({0}));
    EXPECT_EQ(things[0]["from"], json({"entities", "mrz"}));
    EXPECT_EQ(things[1]["type"], "passport_number");
    EXPECT_EQ(things[1]["holder"], 0);
    // The personal number is read from the MRZ only.
    EXPECT_EQ(things[2]["type"], "national_id");
    EXPECT_EQ(things[2]["name"], "ZQ7302591");
    EXPECT_EQ(things[2]["mentions"], json::array());
    EXPECT_EQ(things[2]["holder"], 0);
}

TEST(Consolidate, AChatNumberBelongsOnlyToANameInItsMessage) {
    const std::string text =
        "hubungi Pak Sokha di nomor +855 96 712 3456 ya.\n"
        "Baik Bu, nomor saya +62 857-2291-4638\n";
    json record = recordOf(text, {{"person", "Pak Sokha", "Sokha"},
                                  {"phone", "+855 96 712 3456", "+855967123456"},
                                  {"phone", "+62 857-2291-4638", "+6285722914638"}});
    record["entities"][0]["bbox"] = {100, 100, 200, 130};
    record["entities"][1]["bbox"] = {300, 100, 500, 130};
    record["entities"][2]["bbox"] = {600, 300, 800, 330};
    record["chat"] = {{"messages",
                       {{{"page", 1}, {"bbox", {50, 80, 700, 150}}},
                        {{"page", 1}, {"bbox", {400, 280, 1000, 350}}}}}};
    const json things = consolidate(record);
    EXPECT_EQ((*thingOf(things, "phone", "+855967123456"))["holder"], 0);
    EXPECT_EQ((*thingOf(things, "phone", "+6285722914638"))["holder"], nullptr);
}

}  // namespace
