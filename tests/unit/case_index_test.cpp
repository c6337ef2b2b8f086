// The case index in OUT/ledger.sqlite: rows from a record's things[], links
// across documents at --min-documents, a document re-recorded or failed
// replaces its rows, the tables live beside the ledger's without touching
// them, and a newer index schema is refused.
#include "case_index.hpp"
#include "ledger.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <fstream>

namespace saksi {
namespace {

using nlohmann::json;

json thing(const std::string& type, const std::string& name, const std::string& key,
           const json& pages, const json& role = nullptr, const json& holder = nullptr) {
    return {{"type", type},   {"name", name}, {"key", key},       {"mentions", {0}},
            {"pages", pages}, {"role", role}, {"holder", holder}, {"from", {"entities"}}};
}

class CaseIndexTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("saksi_case_index_test_" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        db_ = dir_ / "ledger.sqlite";
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    // A contract's worker, her NIK and phone; the name spelled `worker`.
    static json contract(const std::string& worker, const std::string& workerKey) {
        return {{"things",
                 {thing("person", worker, workerKey, {1}, "worker"),
                  thing("national_id", "3202155407980003", "3202155407980003", {1}, nullptr, 0),
                  thing("phone", "+6285722914638", "+6285722914638", {1, 2}, nullptr, 0),
                  thing("location", "Sukabumi", "sukabumi", {1})}}};
    }

    std::filesystem::path dir_, db_;
};

TEST_F(CaseIndexTest, RowsComeFromThingsWithTheirHoldersRole) {
    const auto rows = caseRows(contract("Dewi Anggraini Lestari", "anggraini dewi lestari"));
    ASSERT_EQ(rows.size(), 3u);  // places are not indexed
    EXPECT_EQ(rows[0].type, "person");
    EXPECT_EQ(rows[0].role, "worker");
    EXPECT_EQ(rows[1].type, "national_id");
    EXPECT_EQ(rows[1].role, "worker");
    EXPECT_EQ(rows[1].holder, "Dewi Anggraini Lestari");
    EXPECT_EQ(rows[2].pages, "[1,2]");
    EXPECT_TRUE(caseRows(json::object()).empty());
}

TEST_F(CaseIndexTest, LinksWhatSeveralDocumentsShare) {
    const auto index = openSqliteCaseIndex(db_);
    index->record("a", "contract_scan.png",
                  caseRows(contract("Dewi Anggraini Lestari", "anggraini dewi lestari")));
    index->record("b", "contract_digital.pdf",
                  caseRows(contract("DEWI ANGGRAINI LESTARI", "anggraini dewi lestari")));
    json chat = {{"things", {thing("phone", "+6285722914638", "+6285722914638", {1})}}};
    index->record("c", "chat.png", caseRows(chat));
    EXPECT_EQ(index->documents(), (std::set<std::string>{"a", "b", "c"}));

    const auto links = index->links(2);
    ASSERT_EQ(links.size(), 3u);
    EXPECT_EQ(links[0].type, "national_id");
    EXPECT_EQ(links[0].value, "3202155407980003");
    EXPECT_EQ(links[0].documents.size(), 2u);
    EXPECT_EQ(links[1].type, "person");
    EXPECT_EQ(links[1].documents.size(), 2u);
    EXPECT_EQ(links[2].type, "phone");
    ASSERT_EQ(links[2].documents.size(), 3u);
    // Ordered by document name.
    EXPECT_EQ(links[2].documents[0].name, "chat.png");
    EXPECT_EQ(links[2].documents[1].name, "contract_digital.pdf");
    EXPECT_EQ(links[2].documents[2].pages, (std::vector<std::uint32_t>{1, 2}));
    EXPECT_EQ(links[2].documents[2].role, "worker");
    EXPECT_EQ(index->links(3).size(), 1u);
    EXPECT_EQ(index->links(4).size(), 0u);

    // Re-recorded without the phone, then failed: its rows go.
    index->record("c", "chat.png", {});
    EXPECT_EQ(index->links(3).size(), 0u);
    index->forget("b");
    EXPECT_EQ(index->links(2).size(), 0u);
    EXPECT_EQ(index->documents(), (std::set<std::string>{"a", "c"}));
}

TEST_F(CaseIndexTest, LivesBesideTheLedgerAndSurvivesReopening) {
    {
        const auto ledger = openSqliteLedger(db_);
        LedgerEntry e;
        e.id = "a";
        e.sourcePath = "/in/a";
        e.sha256 = "a";
        e.pipelineHash = "p";
        e.startedAt = "2026-01-01T00:00:00Z";
        ledger->begin(e);
        const auto index = openSqliteCaseIndex(db_);
        index->record("a", "a.png", caseRows(contract("Dewi", "dewi")));
    }
    const auto ledger = openSqliteLedger(db_);
    const auto index = openCaseIndex(db_.string());
    EXPECT_TRUE(ledger->lookup("a"));
    EXPECT_EQ(index->documents(), (std::set<std::string>{"a"}));
    EXPECT_EQ(index->links(1).size(), 3u);
}

TEST_F(CaseIndexTest, IndexesARecordFile) {
    json record = contract("Dewi", "dewi");
    record["id"] = "abc";
    record["source"] = {{"name", "scan.png"}};
    const auto file = dir_ / "abc.json";
    std::ofstream(file) << record.dump();
    const auto index = openSqliteCaseIndex(db_);
    indexRecordFile(*index, file);
    const auto links = index->links(1);
    ASSERT_EQ(links.size(), 3u);
    EXPECT_EQ(links[0].documents.at(0).id, "abc");
    EXPECT_EQ(links[0].documents.at(0).name, "scan.png");
    std::ofstream(dir_ / "bad.json") << "{";
    EXPECT_ANY_THROW(indexRecordFile(*index, dir_ / "bad.json"));
}

TEST_F(CaseIndexTest, RefusesANewerSchema) {
    openSqliteCaseIndex(db_);
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "INSERT INTO case_index_version (version) VALUES (99)", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    EXPECT_THROW(openSqliteCaseIndex(db_), std::runtime_error);
}

}  // namespace
}  // namespace saksi
