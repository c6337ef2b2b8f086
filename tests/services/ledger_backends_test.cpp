// One Ledger interface, two backends: SQLite (process) and PostgreSQL
// (distributed runs) behave the same and share the versioned migrations.
#include "ledger.hpp"
#include "services_env.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>
#include <pqxx/pqxx>

#include <thread>

namespace saksi {
namespace {

std::string postgresUrl() {
    return testing::serviceUrl("SAKSI_TEST_POSTGRES") + "/unit";
}

// A PostgreSQL database with no saksi tables.
void dropSchema() {
    pqxx::connection c(postgresUrl());
    pqxx::work w(c);
    w.exec("DROP TABLE IF EXISTS documents; DROP TABLE IF EXISTS schema_version");
    w.commit();
}

LedgerEntry entry(const std::string& id) {
    LedgerEntry e;
    e.id = id;
    e.sourcePath = "/in/" + id;
    e.size = 42;
    e.sha256 = id;
    e.pipelineHash = "p1";
    e.startedAt = "2026-01-01T00:00:00Z";
    return e;
}

class LedgerBackendTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "postgresql") {
            dropSchema();
            location_ = postgresUrl();
        } else {
            dir_ = std::filesystem::temp_directory_path() /
                   ("saksi_ledger_backend_" + std::to_string(::getpid()));
            std::filesystem::remove_all(dir_);
            std::filesystem::create_directories(dir_);
            location_ = (dir_ / "ledger.sqlite").string();
        }
    }
    void TearDown() override {
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }
    std::string location_;
    std::filesystem::path dir_;
};

TEST_P(LedgerBackendTest, QueuedRunningFinishedAndCounts) {
    auto ledger = openLedger(location_);
    LedgerEntry q = entry("a");
    q.pipelineHash = "";
    EXPECT_TRUE(ledger->enqueue(q));
    EXPECT_FALSE(ledger->enqueue(q)) << "a known id is not registered twice";
    EXPECT_EQ(ledger->lookup("a")->status, "queued");
    EXPECT_TRUE(ledger->enqueue(entry("b")));

    ledger->begin(entry("a"));  // a worker takes it
    EXPECT_EQ(ledger->lookup("a")->status, "running");
    EXPECT_EQ(ledger->lookup("a")->pipelineHash, "p1");
    EXPECT_FALSE(ledger->enqueue(entry("a"))) << "enqueue must not reset a running document";
    EXPECT_EQ(ledger->lookup("a")->status, "running");

    ledger->finish("a", "partial", R"(["ocr.low_confidence"])", "2026-01-01T00:00:09Z");
    ledger->setPages("a", 3);
    ledger->begin(entry("c"));
    ledger->finish("c", "failed", R"(["pdf.encrypted"])", "2026-01-01T00:00:02Z");

    const auto a = ledger->lookup("a");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->status, "partial");
    EXPECT_EQ(a->pages, 3u);
    EXPECT_EQ(a->errorCodes, R"(["ocr.low_confidence"])");
    EXPECT_EQ(a->finishedAt, "2026-01-01T00:00:09Z");

    const auto counts = ledger->statusCounts();
    EXPECT_EQ(counts.at("queued"), 1u);
    EXPECT_EQ(counts.at("partial"), 1u);
    EXPECT_EQ(counts.at("failed"), 1u);
    EXPECT_EQ(counts.count("running"), 0u);

    const auto recent = ledger->finishedSince("2026-01-01T00:00:05Z");
    ASSERT_EQ(recent.size(), 1u);
    EXPECT_EQ(recent[0].id, "a");
    ASSERT_EQ(ledger->entries().size(), 3u);
    EXPECT_EQ(ledger->entries()[2].id, "c");

    // A second connection sees the same rows (reopen).
    EXPECT_EQ(openLedger(location_)->lookup("c")->status, "failed");
}

TEST_P(LedgerBackendTest, UpgradesAVersionOneLedger) {
    // A ledger written by a saksi that knew only migration 1.
    const std::string v1 = ledgerMigrations().at(0);
    if (GetParam() == "postgresql") {
        pqxx::connection c(postgresUrl());
        pqxx::work w(c);
        w.exec("CREATE TABLE schema_version (version INTEGER NOT NULL)");
        w.exec(v1);
        w.exec("INSERT INTO schema_version VALUES (1)");
        w.exec(
            "INSERT INTO documents (id, source_path, size, sha256, status, pipeline_hash,"
            " started_at, finished_at) VALUES ('old', '/in/old', 1, 'old', 'ok', 'p0',"
            " '2025-01-01T00:00:00Z', '2025-01-01T00:00:01Z')");
        w.commit();
    } else {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(location_.c_str(), &db), SQLITE_OK);
        const std::string sql =
            "CREATE TABLE schema_version (version INTEGER NOT NULL); " + v1 +
            " INSERT INTO schema_version VALUES (1); INSERT INTO documents (id, source_path, size,"
            " sha256, status, pipeline_hash, started_at, finished_at) VALUES ('old', '/in/old', 1,"
            " 'old', 'ok', 'p0', '2025-01-01T00:00:00Z', '2025-01-01T00:00:01Z');";
        const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
        sqlite3_close(db);
        ASSERT_EQ(rc, SQLITE_OK);
    }
    auto ledger = openLedger(location_);
    const auto old = ledger->lookup("old");
    ASSERT_TRUE(old);
    EXPECT_EQ(old->status, "ok");
    EXPECT_EQ(old->container, "[]") << "migration 2 adds container with [] for existing rows";
    EXPECT_EQ(old->pages, 0u) << "migration 3 adds pages with 0 for existing rows";
    ledger->setPages("old", 7);
    EXPECT_EQ(ledger->lookup("old")->pages, 7u);
    LedgerEntry member = entry("member");
    member.container = R"([{"archive":"/in/a.zip","member":"b.png","sha256":"abc"}])";
    ledger->begin(member);
    EXPECT_EQ(ledger->lookup("member")->container, member.container);
}

INSTANTIATE_TEST_SUITE_P(Backends, LedgerBackendTest, ::testing::Values("sqlite", "postgresql"));

TEST(PostgresLedgerTest, WorkersStartingTogetherMigrateOnce) {
    dropSchema();
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int i = 0; i < 6; ++i)
        threads.emplace_back([&] {
            try {
                openLedger(postgresUrl())->enqueue(entry("x"));
            } catch (const std::exception& e) {
                ADD_FAILURE() << e.what();
                ++failures;
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures, 0);
    pqxx::connection c(postgresUrl());
    pqxx::work w(c);
    EXPECT_EQ(w.exec("SELECT COUNT(*) FROM schema_version")[0][0].as<int>(),
              static_cast<int>(ledgerMigrations().size()));
    EXPECT_EQ(w.exec("SELECT COUNT(*) FROM documents")[0][0].as<int>(), 1);
}

TEST(PostgresLedgerTest, RefusesANewerSchemaAndNamesTheServerWithoutPassword) {
    dropSchema();
    openLedger(postgresUrl());
    {
        pqxx::connection c(postgresUrl());
        pqxx::work w(c);
        w.exec("INSERT INTO schema_version VALUES (99)");
        w.commit();
    }
    try {
        openLedger(postgresUrl());
        FAIL() << "a newer schema must be refused";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("schema version 99"), std::string::npos) << e.what();
    }
    dropSchema();
    try {
        openLedger("postgresql://saksi:secret@127.0.0.1:1/none");
        FAIL() << "no server listens on port 1";
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("cannot connect to ledger"), std::string::npos) << message;
        EXPECT_EQ(message.find("secret"), std::string::npos) << message;
    }
}

}  // namespace
}  // namespace saksi
