// OUT/ledger.sqlite: rows survive reopening, migrations run once, begin()
// restarts a document; OUT/audit.jsonl: the chain links each line to the one
// before, continues across runs, and verify names the line that breaks it.
#include "ledger.hpp"
#include "audit_log.hpp"
#include "hashing.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace saksi {
namespace {

class LedgerTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("saksi_ledger_test_" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    static LedgerEntry entry(const std::string& id) {
        LedgerEntry e;
        e.id = id;
        e.sourcePath = "/in/" + id;
        e.size = 42;
        e.sha256 = id;
        e.pipelineHash = "p1";
        e.startedAt = "2026-01-01T00:00:00Z";
        return e;
    }
    std::vector<std::string> lines(const std::filesystem::path& file) {
        std::ifstream in(file);
        std::vector<std::string> out;
        for (std::string line; std::getline(in, line);) out.push_back(line);
        return out;
    }
    std::filesystem::path dir_;
};

TEST_F(LedgerTest, BeginFinishLookupSurviveReopening) {
    {
        auto ledger = openSqliteLedger(dir_ / "ledger.sqlite");
        ledger->begin(entry("a"));
        ledger->begin(entry("b"));
        ledger->finish("a", "ok", "[]", "2026-01-01T00:00:05Z");
        EXPECT_EQ(ledger->lookup("b")->status, "running");
        EXPECT_FALSE(ledger->lookup("c"));
    }
    auto ledger = openSqliteLedger(dir_ / "ledger.sqlite");  // migrations already applied
    const auto a = ledger->lookup("a");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->status, "ok");
    EXPECT_EQ(a->sourcePath, "/in/a");
    EXPECT_EQ(a->size, 42u);
    EXPECT_EQ(a->pipelineHash, "p1");
    EXPECT_EQ(a->finishedAt, "2026-01-01T00:00:05Z");
    ASSERT_EQ(ledger->entries().size(), 2u);

    // Re-running a document restarts its one row.
    ledger->finish("b", "failed", R"(["pdf.encrypted"])", "2026-01-01T00:00:06Z");
    EXPECT_EQ(ledger->lookup("b")->errorCodes, R"(["pdf.encrypted"])");
    ledger->begin(entry("b"));
    EXPECT_EQ(ledger->lookup("b")->status, "running");
    EXPECT_EQ(ledger->lookup("b")->finishedAt, "");
    EXPECT_EQ(ledger->entries().size(), 2u);
}

TEST_F(LedgerTest, AuditChainLinksLinesAcrossRuns) {
    const auto file = dir_ / "audit.jsonl";
    AuditLog(file).append("received", "a", {{"source", "/in/a"}});
    {
        AuditLog log(file);  // a later run continues the chain
        log.append("processed", "a", {{"status", "ok"}});
    }
    const auto l = lines(file);
    ASSERT_EQ(l.size(), 2u);
    const auto first = nlohmann::json::parse(l[0]);
    EXPECT_EQ(first["prev"], kAuditGenesis);
    EXPECT_EQ(first["action"], "received");
    EXPECT_TRUE(first["actor"].contains("host"));
    EXPECT_EQ(nlohmann::json::parse(l[1])["prev"], sha256Hex(std::string_view(l[0])));
}

// Several processes creating one new ledger at once (distributed workers,
// a verify beside a run): each migration is applied once, nobody fails with
// "table documents already exists".
TEST_F(LedgerTest, CreatingOneLedgerAtOnceIsIdempotent) {
    const auto file = dir_ / "ledger.sqlite";
    std::vector<pid_t> children;
    for (int i = 0; i < 4; ++i) {
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            try {
                openSqliteLedger(file)->begin(entry("child" + std::to_string(i)));
                ::_exit(0);
            } catch (...) {
                ::_exit(1);
            }
        }
        children.push_back(pid);
    }
    for (const pid_t pid : children) {
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    auto ledger = openSqliteLedger(file);
    EXPECT_EQ(ledger->entries().size(), 4u);
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_version",
                                 -1, &stmt, nullptr),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(stmt, 0), sqlite3_column_int(stmt, 1));
    EXPECT_EQ(sqlite3_column_int(stmt, 1), static_cast<int>(ledgerMigrations().size()));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}

// verify opens the ledger read-only: a 0-byte file stays 0 bytes and is
// reported, not turned into a fresh empty ledger that passes.
TEST_F(LedgerTest, VerifyReportsAZeroByteLedgerWithoutWritingIt) {
    AuditLog(dir_ / "audit.jsonl").append("received", "a", nlohmann::json::object());
    std::ofstream(dir_ / "ledger.sqlite").close();
    const auto report = verifyOutput(dir_);
    ASSERT_EQ(report.broken.size(), 1u);
    EXPECT_EQ(report.broken[0].file, "ledger.sqlite");
    EXPECT_EQ(std::filesystem::file_size(dir_ / "ledger.sqlite"), 0u);
}

TEST_F(LedgerTest, VerifyNamesTheLineAfterADeletedOne) {
    const auto file = dir_ / "audit.jsonl";
    {
        AuditLog log(file);
        for (const char* id : {"a", "b", "c"}) log.append("received", id, nlohmann::json::object());
    }
    openSqliteLedger(dir_ / "ledger.sqlite");
    EXPECT_TRUE(verifyOutput(dir_).broken.empty());
    auto l = lines(file);
    l.erase(l.begin() + 1);
    std::ofstream(file) << l[0] << "\n" << l[1] << "\n";
    const auto report = verifyOutput(dir_);
    ASSERT_EQ(report.broken.size(), 1u);
    EXPECT_EQ(report.broken[0].file, "audit.jsonl");
    EXPECT_EQ(report.broken[0].line, 2u);
}

// An archive member's row: verify re-hashes the archive it came from (the
// SHA-256 in the chain), once, never the member's own hash against the
// archive's bytes; a changed archive is reported.
TEST_F(LedgerTest, VerifyChecksArchiveMembersAgainstTheArchive) {
    const auto archive = dir_ / "seized.zip";
    std::ofstream(archive) << "archive bytes";
    const std::string archiveSha = fileSha256(archive);
    AuditLog(dir_ / "audit.jsonl").append("received", "m1", nlohmann::json::object());
    {
        auto ledger = openSqliteLedger(dir_ / "ledger.sqlite");
        for (const char* id : {"m1", "m2"}) {
            LedgerEntry e = entry(id);
            e.sourcePath = archive.string();
            e.container = nlohmann::json::array({{{"archive", archive.string()},
                                                  {"member", std::string(id) + ".png"},
                                                  {"sha256", archiveSha}}})
                              .dump();
            ledger->begin(e);
        }
        EXPECT_EQ(ledger->lookup("m2")->container.find(archiveSha) != std::string::npos, true);
    }
    auto report = verifyOutput(dir_);
    EXPECT_TRUE(report.broken.empty()) << report.broken[0].message;
    EXPECT_EQ(report.originalsChecked, 1u);
    std::ofstream(archive) << "archive bytes, changed";
    report = verifyOutput(dir_);
    ASSERT_EQ(report.broken.size(), 1u);
    EXPECT_EQ(report.broken[0].file, archive.string());
    EXPECT_NE(report.broken[0].message.find(archiveSha), std::string::npos);
}

// A ledger written before the container and pages columns (schema 1) is
// migrated to the latest schema.
TEST_F(LedgerTest, MigratesASchemaOneLedger) {
    {
        auto ledger = openSqliteLedger(dir_ / "ledger.sqlite");
        ledger->begin(entry("a"));
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "ledger.sqlite").c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db,
                           "DROP INDEX documents_finished_at;"
                           " ALTER TABLE documents DROP COLUMN pages;"
                           " ALTER TABLE documents DROP COLUMN container;"
                           " DELETE FROM schema_version WHERE version >= 2;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    auto ledger = openSqliteLedger(dir_ / "ledger.sqlite");
    EXPECT_EQ(ledger->lookup("a")->container, "[]");
    EXPECT_EQ(ledger->lookup("a")->pages, 0u);
}

}  // namespace
}  // namespace saksi
