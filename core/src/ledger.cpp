#include "ledger.hpp"

#include "sqlite_db.hpp"

#include <sqlite3.h>

#include <mutex>
#include <stdexcept>

namespace saksi {
namespace {

using sqlite::DbHandle;

// sqlite_db.hpp's statement and exec, their errors prefixed "ledger".
struct Statement : sqlite::Statement {
    Statement(sqlite3* db, const char* sql) : sqlite::Statement(db, sql, "ledger") {}
};

void exec(sqlite3* db, const char* sql) {
    sqlite::exec(db, sql, "ledger");
}

constexpr const char* kColumns =
    "SELECT id, source_path, size, sha256, status, pipeline_hash, started_at,"
    " COALESCE(finished_at, ''), error_codes, pages, container FROM documents";

LedgerEntry readEntry(const Statement& s) {
    LedgerEntry e;
    e.id = s.text(0);
    e.sourcePath = s.text(1);
    e.size = static_cast<std::uint64_t>(s.integer(2));
    e.sha256 = s.text(3);
    e.status = s.text(4);
    e.pipelineHash = s.text(5);
    e.startedAt = s.text(6);
    e.finishedAt = s.text(7);
    e.errorCodes = s.text(8);
    e.pages = static_cast<std::uint64_t>(s.integer(9));
    e.container = s.text(10);
    return e;
}

class SqliteLedger final : public Ledger {
public:
    SqliteLedger(const std::filesystem::path& file, bool readOnly) {
        sqlite3* raw = nullptr;
        const int rc = sqlite3_open_v2(
            file.c_str(), &raw,
            (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                SQLITE_OPEN_FULLMUTEX,
            nullptr);
        db_.reset(raw);
        if (rc != SQLITE_OK)
            throw std::runtime_error("cannot open ledger " + file.string() + ": " +
                                     (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
        sqlite3_busy_timeout(db_.get(), 5000);
        if (readOnly) {
            checkSchema(file);
            return;
        }
        // WAL: a killed run leaves a consistent database; readers (verify)
        // do not block the writer. synchronous=FULL: a finished row survives
        // a power cut, like the record it describes.
        exec(db_.get(), "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
        migrate(file);
    }

    void begin(const LedgerEntry& e) override {
        std::lock_guard lock(mu_);
        Statement s(db_.get(),
                    "INSERT INTO documents (id, source_path, size, sha256, status, pipeline_hash,"
                    " started_at, finished_at, error_codes, container) VALUES (?1, ?2, ?3, ?4,"
                    " 'running', ?5, ?6, NULL, ?7, ?8) ON CONFLICT (id) DO UPDATE SET"
                    " source_path = excluded.source_path, size = excluded.size,"
                    " sha256 = excluded.sha256, status = 'running',"
                    " pipeline_hash = excluded.pipeline_hash, started_at = excluded.started_at,"
                    " finished_at = NULL, error_codes = excluded.error_codes,"
                    " container = excluded.container");
        s.bind(1, e.id)
            .bind(2, e.sourcePath)
            .bind(3, static_cast<std::int64_t>(e.size))
            .bind(4, e.sha256)
            .bind(5, e.pipelineHash)
            .bind(6, e.startedAt)
            .bind(7, e.errorCodes)
            .bind(8, e.container);
        s.step();
    }

    void finish(const std::string& id, const std::string& status, const std::string& errorCodesJson,
                const std::string& finishedAt) override {
        std::lock_guard lock(mu_);
        Statement s(db_.get(),
                    "UPDATE documents SET status = ?2, error_codes = ?3, finished_at = ?4"
                    " WHERE id = ?1");
        s.bind(1, id).bind(2, status).bind(3, errorCodesJson).bind(4, finishedAt);
        s.step();
    }

    std::optional<LedgerEntry> lookup(const std::string& id) override {
        std::lock_guard lock(mu_);
        Statement s(db_.get(), (std::string(kColumns) + " WHERE id = ?1").c_str());
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        return readEntry(s);
    }

    std::vector<LedgerEntry> entries() override {
        std::lock_guard lock(mu_);
        Statement s(db_.get(), (std::string(kColumns) + " ORDER BY id").c_str());
        std::vector<LedgerEntry> out;
        while (s.step()) out.push_back(readEntry(s));
        return out;
    }

    bool enqueue(const LedgerEntry& e) override {
        std::lock_guard lock(mu_);
        Statement s(db_.get(),
                    "INSERT INTO documents (id, source_path, size, sha256, status, pipeline_hash,"
                    " started_at, finished_at, error_codes, container) VALUES (?1, ?2, ?3, ?4,"
                    " 'queued', ?5, ?6, NULL, '[]', ?7) ON CONFLICT (id) DO NOTHING");
        s.bind(1, e.id)
            .bind(2, e.sourcePath)
            .bind(3, static_cast<std::int64_t>(e.size))
            .bind(4, e.sha256)
            .bind(5, e.pipelineHash)
            .bind(6, e.startedAt)
            .bind(7, e.container);
        s.step();
        return sqlite3_changes(db_.get()) > 0;
    }

    void setPages(const std::string& id, std::uint64_t pages) override {
        std::lock_guard lock(mu_);
        Statement s(db_.get(), "UPDATE documents SET pages = ?2 WHERE id = ?1");
        s.bind(1, id).bind(2, static_cast<std::int64_t>(pages));
        s.step();
    }

    std::map<std::string, std::size_t> statusCounts() override {
        std::lock_guard lock(mu_);
        Statement s(db_.get(), "SELECT status, COUNT(*) FROM documents GROUP BY status");
        std::map<std::string, std::size_t> out;
        while (s.step()) out[s.text(0)] = static_cast<std::size_t>(s.integer(1));
        return out;
    }

    std::vector<LedgerEntry> finishedSince(const std::string& finishedAt) override {
        std::lock_guard lock(mu_);
        Statement s(
            db_.get(),
            (std::string(kColumns) + " WHERE finished_at >= ?1 ORDER BY finished_at").c_str());
        s.bind(1, finishedAt);
        std::vector<LedgerEntry> out;
        while (s.step()) out.push_back(readEntry(s));
        return out;
    }

private:
    // A ledger opened to read must already be one, at a version this saksi
    // knows (a 0-byte file or another database is not).
    void checkSchema(const std::filesystem::path& file) {
        int version = 0;
        try {
            Statement s(db_.get(), "SELECT COALESCE(MAX(version), 0) FROM schema_version");
            if (s.step()) version = static_cast<int>(s.integer(0));
            Statement documents(db_.get(), "SELECT COUNT(*) FROM documents");
            documents.step();
        } catch (const std::exception&) {
            throw std::runtime_error(file.string() +
                                     " is not a saksi ledger (no schema_version "
                                     "and documents tables)");
        }
        const int latest = static_cast<int>(ledgerMigrations().size());
        if (version < 1 || version > latest)
            throw std::runtime_error(file.string() + " has ledger schema version " +
                                     std::to_string(version) + "; this saksi reads 1 to " +
                                     std::to_string(latest));
    }

    // Each step reads the version and applies the next migration in one
    // write transaction, so two processes opening a new ledger at once
    // cannot both apply the same migration.
    void migrate(const std::filesystem::path& file) {
        const auto& migrations = ledgerMigrations();
        const int latest = static_cast<int>(migrations.size());
        for (;;) {
            exec(db_.get(), "BEGIN IMMEDIATE");
            try {
                exec(db_.get(),
                     "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
                int version = 0;
                {
                    Statement s(db_.get(), "SELECT COALESCE(MAX(version), 0) FROM schema_version");
                    if (s.step()) version = static_cast<int>(s.integer(0));
                }
                if (version > latest)
                    throw std::runtime_error("ledger " + file.string() + " has schema version " +
                                             std::to_string(version) + ", newer than this saksi (" +
                                             std::to_string(latest) + "); use a newer saksi");
                if (version == latest) {
                    exec(db_.get(), "COMMIT");
                    return;
                }
                exec(db_.get(), migrations[static_cast<std::size_t>(version)].c_str());
                Statement s(db_.get(), "INSERT INTO schema_version (version) VALUES (?1)");
                s.bind(1, std::int64_t{version + 1});
                s.step();
                exec(db_.get(), "COMMIT");
            } catch (...) {
                sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
                throw;
            }
        }
    }

    std::mutex mu_;
    DbHandle db_;
};

}  // namespace

// Versioned migrations, applied in order; schema_version holds the last one
// applied. Plain SQL that SQLite and PostgreSQL both accept, so both
// backends run the same list. Append only: never edit a released migration.
const std::vector<std::string>& ledgerMigrations() {
    static const std::vector<std::string> migrations = {
        // 1: the document table.
        "CREATE TABLE documents ("
        "  id TEXT PRIMARY KEY,"
        "  source_path TEXT NOT NULL,"
        "  size BIGINT NOT NULL,"
        "  sha256 TEXT NOT NULL,"
        "  status TEXT NOT NULL CHECK (status IN ('queued','running','ok','partial','failed')),"
        "  pipeline_hash TEXT NOT NULL,"
        "  started_at TEXT NOT NULL,"
        "  finished_at TEXT,"
        "  error_codes TEXT NOT NULL DEFAULT '[]'"
        ");"
        "CREATE INDEX documents_status ON documents (status);",
        // 2: archive members: source_path is the outermost archive's, whose
        // SHA-256 is in the chain (verify re-hashes the archive, not the member).
        "ALTER TABLE documents ADD COLUMN container TEXT NOT NULL DEFAULT '[]';",
        // 3: pages per document and finish times, for throughput (saksi status).
        "ALTER TABLE documents ADD COLUMN pages BIGINT NOT NULL DEFAULT 0;"
        "CREATE INDEX documents_finished_at ON documents (finished_at);",
    };
    return migrations;
}

std::unique_ptr<Ledger> openLedger(const std::string& location) {
    if (location.starts_with("postgresql://") || location.starts_with("postgres://"))
        return openPostgresLedger(location);
    return openSqliteLedger(location);
}

std::unique_ptr<Ledger> openSqliteLedger(const std::filesystem::path& file) {
    return std::make_unique<SqliteLedger>(file, false);
}

std::unique_ptr<Ledger> openSqliteLedgerToRead(const std::filesystem::path& file) {
    return std::make_unique<SqliteLedger>(file, true);
}

}  // namespace saksi
