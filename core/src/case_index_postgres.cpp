// The case index in the shared PostgreSQL ledger of distributed runs: the
// SQLite index's tables and migrations (caseIndexMigrations()), via libpqxx.
#include "case_index.hpp"
#include "case_index_rows.hpp"

#include <pqxx/pqxx>

#include <mutex>
#include <stdexcept>

namespace saksi {
namespace {

// Any fixed key, not the ledger's: serializes the index's migrations
// between workers starting at once.
constexpr long long kCaseMigrationLock = 0x5a4b4349;  // "ZKCI"

// Messages name the database only as "PostgreSQL": the URL may hold a password.
constexpr const char* kWhat = "case index (PostgreSQL ledger): ";

class PostgresCaseIndex final : public CaseIndex {
public:
    explicit PostgresCaseIndex(std::string url) : url_(std::move(url)) { migrate(); }

    void record(const std::string& id, const std::string& name,
                const std::vector<CaseRow>& rows) override {
        const std::vector<CaseRow> merged = mergedRows(rows);
        run([&](pqxx::work& w) {
            w.exec_params("DELETE FROM case_keys WHERE document_id = $1", id);
            for (const CaseRow& r : merged)
                w.exec_params(
                    "INSERT INTO case_keys (document_id, type, key, value, pages, role, holder)"
                    " VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    id, r.type, r.key, r.value, r.pages, r.role, r.holder);
            w.exec_params(
                "INSERT INTO case_documents (document_id, name) VALUES ($1, $2)"
                " ON CONFLICT (document_id) DO UPDATE SET name = excluded.name",
                id, name);
        });
    }

    void forget(const std::string& id) override {
        run([&](pqxx::work& w) {
            w.exec_params("DELETE FROM case_keys WHERE document_id = $1", id);
            w.exec_params("DELETE FROM case_documents WHERE document_id = $1", id);
        });
    }

    std::set<std::string> documents() override {
        std::set<std::string> out;
        run([&](pqxx::work& w) {
            out.clear();
            for (const auto& row : w.exec("SELECT document_id FROM case_documents"))
                out.insert(row[0].as<std::string>());
        });
        return out;
    }

    std::vector<CaseLink> links(std::size_t minDocuments) override {
        std::vector<LinkRow> rows;
        run([&](pqxx::work& w) {
            rows.clear();
            for (const auto& r :
                 w.exec_params(kLinksQuery, static_cast<std::int64_t>(minDocuments)))
                rows.push_back({r[0].as<std::string>(), r[1].as<std::string>(),
                                r[2].as<std::string>(), r[3].as<std::string>(),
                                r[4].as<std::string>(), r[5].as<std::string>(),
                                r[6].as<std::string>(), r[7].as<std::string>()});
        });
        return groupLinks(rows);
    }

private:
    // One transaction, committed; a dropped connection is reopened and the
    // transaction retried once (each is idempotent).
    template <typename Fn>
    void run(Fn&& fn) {
        std::lock_guard lock(mu_);
        for (int attempt = 0;; ++attempt) {
            try {
                if (!conn_) conn_ = std::make_unique<pqxx::connection>(url_);
                pqxx::work w(*conn_);
                fn(w);
                w.commit();
                return;
            } catch (const pqxx::broken_connection& e) {
                conn_.reset();
                if (attempt > 0) throw std::runtime_error(std::string(kWhat) + e.what());
            } catch (const pqxx::failure& e) {
                throw std::runtime_error(std::string(kWhat) + e.what());
            }
        }
    }

    void migrate() {
        const auto& migrations = caseIndexMigrations();
        const int latest = static_cast<int>(migrations.size());
        run([&](pqxx::work& w) {
            w.exec_params("SELECT pg_advisory_xact_lock($1)", kCaseMigrationLock);
            w.exec("CREATE TABLE IF NOT EXISTS case_index_version (version INTEGER NOT NULL)");
            const int version =
                w.exec("SELECT COALESCE(MAX(version), 0) FROM case_index_version")[0][0].as<int>();
            if (version > latest)
                throw std::runtime_error(std::string(kWhat) + "schema version " +
                                         std::to_string(version) + ", newer than this saksi (" +
                                         std::to_string(latest) + "); use a newer saksi");
            for (int v = version; v < latest; ++v) {
                w.exec(migrations[static_cast<std::size_t>(v)]);
                w.exec_params("INSERT INTO case_index_version (version) VALUES ($1)", v + 1);
            }
        });
    }

    std::mutex mu_;
    std::string url_;
    std::unique_ptr<pqxx::connection> conn_;
};

}  // namespace

std::unique_ptr<CaseIndex> openPostgresCaseIndex(const std::string& url) {
    return std::make_unique<PostgresCaseIndex>(url);
}

}  // namespace saksi
