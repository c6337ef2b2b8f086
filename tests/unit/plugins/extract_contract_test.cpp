// extract.contract: each field read from Indonesian and English wording, the
// indicator clauses flagged and the innocent ones not, and both contract
// samples' text against the generator's expected contract fields.
#include "contract_extractor.hpp"
#include "contract_rules.hpp"
#include "contract_stage.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
using saksi::contract::ContractRules;
using saksi::contract::extractContract;
using saksi::contract::Money;
using saksi::contract::PageText;

const ContractRules& rules() {
    static const ContractRules r = ContractRules::fromJson(ContractRules::builtinJson());
    return r;
}

// A money entity over the first occurrence of `written` in the text, as
// extract.identifiers would give it.
Money moneyAt(const std::string& text, const std::string& written, double amount,
              const std::string& currency) {
    const auto at = text.find(written);
    EXPECT_NE(at, std::string::npos) << written;
    return {1, at, at + written.size(), amount, currency};
}

json extract(const std::string& text, const std::vector<Money>& money = {}) {
    return extractContract({PageText{1, text}}, money, rules());
}

std::vector<std::string> indicatorTypes(const json& contract) {
    std::vector<std::string> out;
    for (const auto& clause : contract.at("clauses"))
        for (const auto& i : clause.at("indicators")) out.push_back(i.at("type"));
    return out;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(ContractRules, BuiltInPatternsCompile) {
    EXPECT_FALSE(rules().cues.empty());
    EXPECT_EQ(rules().fields.count("employer"), 1u);
    EXPECT_EQ(rules().indicators.size(), 4u);
}

TEST(Fields, IndonesianLabels) {
    const std::string text =
        "Nama Perusahaan : PT Maju Jaya Abadi\n"
        "Nama : Siti Rahayu |\n"
        "Jabatan: Operator Produksi\n"
        "Tempat Kerja: Kuala Lumpur, Malaysia\n"
        "Agensi: PT Bina Tenaga Mandiri\n"
        "Gaji: Rp 4.500.000 per bulan\n";
    const auto c = extract(text, {moneyAt(text, "Rp 4.500.000", 4500000, "IDR")});
    EXPECT_EQ(c["employer"], "PT Maju Jaya Abadi");
    EXPECT_EQ(c["worker"], "Siti Rahayu");
    EXPECT_EQ(c["position"], "Operator Produksi");
    EXPECT_EQ(c["workplace"], "Kuala Lumpur, Malaysia");
    EXPECT_EQ(c["agency"], "PT Bina Tenaga Mandiri");
    EXPECT_EQ(c["salary"]["amount"], 4500000);
    EXPECT_EQ(c["salary"]["currency"], "IDR");
    EXPECT_EQ(c["salary"]["period"], "month");
    EXPECT_TRUE(c["fees"].is_null());
    const auto at = text.find("PT Maju");
    EXPECT_EQ(c["evidence"]["employer"]["span"], json({at, at + 18}));
}

TEST(Fields, EnglishLabelsAndPeriods) {
    const std::string text =
        "EMPLOYMENT AGREEMENT\n"
        "Employer: Golden Lotus Trading Co., Ltd.\n"
        "Name of Worker: Maria Santos\n"
        "Position: Domestic Helper\n"
        "Recruitment agency: CV Sumber Rejeki\n"
        "The Employer shall pay the Worker a salary of USD 15 per day.\n"
        "This contract is valid for a period of 2 (two) years.\n";
    const auto c = extract(text, {moneyAt(text, "USD 15", 15, "USD")});
    EXPECT_EQ(c["employer"], "Golden Lotus Trading Co., Ltd.");
    EXPECT_EQ(c["worker"], "Maria Santos");
    EXPECT_EQ(c["position"], "Domestic Helper");
    EXPECT_EQ(c["agency"], "CV Sumber Rejeki");
    EXPECT_EQ(c["salary"]["period"], "day");
    EXPECT_EQ(c["duration"]["text"], "2 (two) years");
    EXPECT_EQ(c["duration"]["months"], 24);
}

TEST(Fields, PeriodBeforeTheAmountAndWeekly) {
    const std::string monthly = "Gaji bulanan sebesar RM 1.500 dibayar tunai.";
    auto c = extract(monthly, {moneyAt(monthly, "RM 1.500", 1500, "MYR")});
    EXPECT_EQ(c["salary"]["period"], "month");
    const std::string weekly = "Upah sebesar Rp 700.000 per\nminggu.";
    c = extract(weekly, {moneyAt(weekly, "Rp 700.000", 700000, "IDR")});
    EXPECT_EQ(c["salary"]["period"], "week");
}

TEST(Fields, NothingFoundIsNull) {
    const auto c = extract("Surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya.");
    for (const char* field :
         {"employer", "agency", "worker", "position", "workplace", "salary", "duration", "fees"})
        EXPECT_TRUE(c[field].is_null()) << field;
    EXPECT_TRUE(c["clauses"].empty());
}

TEST(Fees, KindAndPayer) {
    const std::string text =
        "Pasal 1 - Biaya\n"
        "PIHAK KEDUA wajib membayar biaya pelatihan sebesar Rp 2.000.000 kepada AGEN.\n"
        "Pasal 2 - Tiket\n"
        "Biaya tiket sebesar Rp 3.000.000 ditanggung oleh PIHAK PERTAMA.\n";
    const auto c = extract(text, {moneyAt(text, "Rp 2.000.000", 2000000, "IDR"),
                                  moneyAt(text, "Rp 3.000.000", 3000000, "IDR")});
    ASSERT_EQ(c["fees"].size(), 2u);
    EXPECT_EQ(c["fees"][0]["kind"], "training");
    EXPECT_EQ(c["fees"][0]["payer"], "worker");
    EXPECT_EQ(c["fees"][0]["text"], "biaya pelatihan sebesar Rp 2.000.000");
    EXPECT_EQ(c["fees"][1]["kind"], "travel");
    EXPECT_EQ(c["fees"][1]["payer"], "employer");
    EXPECT_TRUE(c["salary"].is_null());
}

TEST(Fees, WordingBrokenOverLines) {
    const std::string text =
        "Apabila PIHAK KEDUA mengakhiri perjanjian, PIHAK KEDUA wajib\n"
        "membayar denda sebesar USD 3.000 kepada PIHAK PERTAMA.";
    const auto c = extract(text, {moneyAt(text, "USD 3.000", 3000, "USD")});
    ASSERT_EQ(c["fees"].size(), 1u);
    EXPECT_EQ(c["fees"][0]["kind"], "penalty");
    EXPECT_EQ(c["fees"][0]["payer"], "worker");
    EXPECT_TRUE(c["fees"][0]["amount"].is_number_integer());
}

TEST(Indicators, EachOneInIndonesian) {
    const std::string text =
        "Pasal 1 - Dokumen\n"
        "Paspor pekerja ditahan oleh majikan selama masa kontrak.\n"
        "Pasal 2 - Keberangkatan\n"
        "Pekerja diberangkatkan dengan visa kunjungan dan izin kerja diurus kemudian.\n"
        "Pasal 3 - Biaya\n"
        "Biaya penempatan dipotong dari gaji pekerja.\n"
        "Pasal 4 - Cuti\n"
        "Pekerja berhak atas cuti satu hari per minggu.\n";
    const auto c = extract(text);
    ASSERT_EQ(c["clauses"].size(), 4u);
    EXPECT_EQ(c["clauses"][0]["type"], "passport_retention");
    EXPECT_EQ(c["clauses"][0]["indicator"], "retention_of_identity_documents");
    EXPECT_EQ(c["clauses"][1]["type"], "tourist_visa");
    EXPECT_EQ(c["clauses"][1]["indicator"], "deception");
    EXPECT_EQ(c["clauses"][2]["type"], "placement_fee");
    EXPECT_EQ(c["clauses"][2]["indicators"].size(), 2u);
    EXPECT_EQ(c["clauses"][2]["indicators"][1]["type"], "salary_deduction");
    EXPECT_EQ(c["clauses"][3]["type"], "leave");
    EXPECT_TRUE(c["clauses"][3]["indicator"].is_null());
    EXPECT_EQ(c["clauses"][3]["page"], 1);
    const auto& span = c["clauses"][0]["span"];
    EXPECT_EQ(text.substr(span[0], span[1].get<std::size_t>() - span[0].get<std::size_t>()),
              c["clauses"][0]["text"]);
}

TEST(Indicators, EnglishSentencesWithoutHeadings) {
    const std::string text =
        "The worker will travel on a tourist visa. The employer keeps the worker's passport "
        "for safekeeping. Meals are provided.";
    const auto c = extract(text);
    ASSERT_EQ(c["clauses"].size(), 2u);
    EXPECT_EQ(c["clauses"][0]["type"], "tourist_visa");
    EXPECT_EQ(c["clauses"][0]["text"], "The worker will travel on a tourist visa.");
    EXPECT_EQ(c["clauses"][1]["type"], "passport_retention");
}

TEST(Indicators, InnocentWordingIsNotFlagged) {
    const std::string text =
        "Pekerja memegang sendiri semua dokumen pribadinya. Gaji dibayar penuh tanpa "
        "potongan apa pun. Pekerja berangkat dengan visa kerja resmi.";
    EXPECT_TRUE(indicatorTypes(extract(text)).empty());
}

TEST(Gate, KindAndCues) {
    using saksi::contract::readsAsContract;
    EXPECT_TRUE(readsAsContract("contract", 0, 4));
    EXPECT_FALSE(readsAsContract("passport", 10, 4));
    EXPECT_FALSE(readsAsContract("other", 3, 4));
    EXPECT_TRUE(readsAsContract("other", 4, 4));
    EXPECT_TRUE(readsAsContract(std::nullopt, 5, 4));
}

// The samples' reading-order text (the PDF's text layer reads the same) with
// the money entities extract.identifiers finds, against the generator's
// expected "contract" fields.
TEST(Samples, ContractFieldsMatchTheManifest) {
    const std::string text = readFile(SAKSI_SAMPLE_TRUTH_DIR "/contract_scan.txt");
    ASSERT_FALSE(text.empty());
    const json manifest = json::parse(readFile(SAKSI_SAMPLE_MANIFEST));
    json expected;
    for (const auto& d : manifest.at("documents"))
        if (d.at("file") == "contract_scan.png") expected = d.at("contract");
    ASSERT_TRUE(expected.is_object());

    const auto c = extract(text, {moneyAt(text, "USD 1.200", 1200, "USD"),
                                  moneyAt(text, "Rp 15.000.000", 15000000, "IDR"),
                                  moneyAt(text, "USD 3.000", 3000, "USD")});
    EXPECT_GE(saksi::contract::countCues({PageText{1, text}}, rules()), 4);
    for (const char* field : {"employer", "agency", "worker", "position", "workplace"})
        EXPECT_EQ(c[field], expected[field]) << field;
    EXPECT_EQ(c["salary"]["amount"], expected["salary"]["amount"]);
    EXPECT_EQ(c["salary"]["currency"], expected["salary"]["currency"]);
    EXPECT_EQ(c["salary"]["period"], expected["salary"]["period"]);
    EXPECT_EQ(c["duration"]["text"], "12 (dua belas) bulan");
    EXPECT_EQ(c["duration"]["months"], 12);
    ASSERT_EQ(c["fees"].size(), expected["fees"].size());
    for (std::size_t i = 0; i < expected["fees"].size(); ++i) {
        EXPECT_EQ(c["fees"][i]["amount"], expected["fees"][i]["amount"]);
        EXPECT_EQ(c["fees"][i]["currency"], expected["fees"][i]["currency"]);
        EXPECT_EQ(c["fees"][i]["kind"], expected["fees"][i]["kind"]);
        EXPECT_EQ(c["fees"][i]["payer"], "worker");
    }
    EXPECT_EQ(c["clauses"].size(), expected["clauses"].get<std::size_t>());
    const auto types = indicatorTypes(c);
    for (const char* t : {"placement_fee", "salary_deduction", "passport_retention"})
        EXPECT_NE(std::find(types.begin(), types.end(), t), types.end()) << t;
    EXPECT_EQ(std::find(types.begin(), types.end(), "tourist_visa"), types.end());
}

}  // namespace
