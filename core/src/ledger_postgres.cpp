// The shared ledger of distributed runs: the SQLite ledger's schema and
// migrations (ledgerMigrations()) in PostgreSQL, through libpqxx.
#include "ledger.hpp"

#include <pqxx/pqxx>

#include <mutex>
#include <stdexcept>

namespace saksi {
namespace {

// Any fixed key: serializes schema migrations between workers starting at once.
constexpr long long kMigrationLock = 0x5a4b5349;  // "ZKSI"

constexpr const char* kColumns =
    "SELECT id, source_path, size, sha256, status, pipeline_hash, started_at,"
    " COALESCE(finished_at, ''), error_codes, pages, container FROM documents";

LedgerEntry readEntry(const pqxx::row& r) {
    LedgerEntry e;
    e.id = r[0].as<std::string>();
    e.sourcePath = r[1].as<std::string>();
    e.size = r[2].as<std::uint64_t>();
    e.sha256 = r[3].as<std::string>();
    e.status = r[4].as<std::string>();
    e.pipelineHash = r[5].as<std::string>();
    e.startedAt = r[6].as<std::string>();
    e.finishedAt = r[7].as<std::string>();
    e.errorCodes = r[8].as<std::string>();
    e.pages = r[9].as<std::uint64_t>();
    e.container = r[10].as<std::string>();
    return e;
}

// The URL without its password, for messages.
std::string redacted(const std::string& url) {
    const auto scheme = url.find("://");
    const auto at = url.find('@');
    if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
    const auto colon = url.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon) + ":***" + url.substr(at);
}

class PostgresLedger final : public Ledger {
public:
    explicit PostgresLedger(std::string url) : url_(std::move(url)) {
        connect();
        migrate();
    }

    void begin(const LedgerEntry& e) override {
        run([&](pqxx::work& w) {
            w.exec_params(
                "INSERT INTO documents (id, source_path, size, sha256, status, pipeline_hash,"
                " started_at, finished_at, error_codes, container) VALUES ($1, $2, $3, $4,"
                " 'running', $5, $6, NULL, $7, $8) ON CONFLICT (id) DO UPDATE SET"
                " source_path = excluded.source_path, size = excluded.size,"
                " sha256 = excluded.sha256, status = 'running',"
                " pipeline_hash = excluded.pipeline_hash, started_at = excluded.started_at,"
                " finished_at = NULL, error_codes = excluded.error_codes,"
                " container = excluded.container",
                e.id, e.sourcePath, static_cast<std::int64_t>(e.size), e.sha256, e.pipelineHash,
                e.startedAt, e.errorCodes, e.container);
        });
    }

    void finish(const std::string& id, const std::string& status, const std::string& errorCodesJson,
                const std::string& finishedAt) override {
        run([&](pqxx::work& w) {
            w.exec_params(
                "UPDATE documents SET status = $2, error_codes = $3, finished_at = $4 WHERE id = "
                "$1",
                id, status, errorCodesJson, finishedAt);
        });
    }

    std::optional<LedgerEntry> lookup(const std::string& id) override {
        std::optional<LedgerEntry> out;
        run([&](pqxx::work& w) {
            const pqxx::result r = w.exec_params(std::string(kColumns) + " WHERE id = $1", id);
            out = r.empty() ? std::nullopt : std::optional(readEntry(r[0]));
        });
        return out;
    }

    std::vector<LedgerEntry> entries() override {
        std::vector<LedgerEntry> out;
        run([&](pqxx::work& w) {
            out.clear();
            for (const auto& row : w.exec(std::string(kColumns) + " ORDER BY id"))
                out.push_back(readEntry(row));
        });
        return out;
    }

    bool enqueue(const LedgerEntry& e) override {
        bool added = false;
        run([&](pqxx::work& w) {
            const pqxx::result r = w.exec_params(
                "INSERT INTO documents (id, source_path, size, sha256, status, pipeline_hash,"
                " started_at, finished_at, error_codes, container) VALUES ($1, $2, $3, $4,"
                " 'queued', $5, $6, NULL, '[]', $7) ON CONFLICT (id) DO NOTHING",
                e.id, e.sourcePath, static_cast<std::int64_t>(e.size), e.sha256, e.pipelineHash,
                e.startedAt, e.container);
            added = r.affected_rows() > 0;
        });
        return added;
    }

    void setPages(const std::string& id, std::uint64_t pages) override {
        run([&](pqxx::work& w) {
            w.exec_params("UPDATE documents SET pages = $2 WHERE id = $1", id,
                          static_cast<std::int64_t>(pages));
        });
    }

    std::map<std::string, std::size_t> statusCounts() override {
        std::map<std::string, std::size_t> out;
        run([&](pqxx::work& w) {
            out.clear();
            for (const auto& row : w.exec("SELECT status, COUNT(*) FROM documents GROUP BY status"))
                out[row[0].as<std::string>()] = row[1].as<std::size_t>();
        });
        return out;
    }

    std::vector<LedgerEntry> finishedSince(const std::string& finishedAt) override {
        std::vector<LedgerEntry> out;
        run([&](pqxx::work& w) {
            out.clear();
            for (const auto& row : w.exec_params(
                     std::string(kColumns) + " WHERE finished_at >= $1 ORDER BY finished_at",
                     finishedAt))
                out.push_back(readEntry(row));
        });
        return out;
    }

private:
    void connect() {
        try {
            conn_ = std::make_unique<pqxx::connection>(url_);
        } catch (const std::exception& e) {
            throw std::runtime_error("cannot connect to ledger " + redacted(url_) + ": " +
                                     e.what());
        }
    }

    // One transaction, committed; a dropped connection is reopened and the
    // transaction retried once (each is idempotent).
    template <typename Fn>
    void run(Fn&& fn) {
        std::lock_guard lock(mu_);
        for (int attempt = 0;; ++attempt) {
            try {
                if (!conn_) connect();
                pqxx::work w(*conn_);
                fn(w);
                w.commit();
                return;
            } catch (const pqxx::broken_connection& e) {
                conn_.reset();
                if (attempt > 0)
                    throw std::runtime_error("ledger " + redacted(url_) + ": " + e.what());
            } catch (const pqxx::failure& e) {
                throw std::runtime_error("ledger " + redacted(url_) + ": " + e.what());
            }
        }
    }

    void migrate() {
        const auto& migrations = ledgerMigrations();
        const int latest = static_cast<int>(migrations.size());
        run([&](pqxx::work& w) {
            w.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLock);
            w.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
            const int version =
                w.exec("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0][0].as<int>();
            if (version > latest)
                throw std::runtime_error("ledger " + redacted(url_) + " has schema version " +
                                         std::to_string(version) + ", newer than this saksi (" +
                                         std::to_string(latest) + "); use a newer saksi");
            for (int v = version; v < latest; ++v) {
                w.exec(migrations[static_cast<std::size_t>(v)]);
                w.exec_params("INSERT INTO schema_version (version) VALUES ($1)", v + 1);
            }
        });
    }

    std::mutex mu_;
    std::string url_;
    std::unique_ptr<pqxx::connection> conn_;
};

}  // namespace

std::unique_ptr<Ledger> openPostgresLedger(const std::string& url) {
    return std::make_unique<PostgresLedger>(url);
}

}  // namespace saksi
