#include "case_index.hpp"

#include "case_index_rows.hpp"
#include "mapped_file.hpp"
#include "sqlite_db.hpp"

#include <map>
#include <mutex>
#include <set>

namespace saksi {
namespace {

using nlohmann::json;

bool indexedType(const std::string& type) {
    return type == "person" || type == "organization" || type == "passport_number" ||
           type == "national_id" || type == "phone" || type == "email" || type == "bank_account";
}

bool isIdentifier(const std::string& type) {
    return type != "person" && type != "organization";
}

std::string stringOr(const json& object, const char* key) {
    return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : "";
}

constexpr const char* kWhat = "case index";

class SqliteCaseIndex final : public CaseIndex {
public:
    explicit SqliteCaseIndex(const std::filesystem::path& file)
        : file_(file), db_(sqlite::open(file, kWhat)) {
        sqlite::exec(db_.get(), "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", kWhat);
        migrate();
    }

    void record(const std::string& id, const std::string& name,
                const std::vector<CaseRow>& rows) override {
        std::lock_guard lock(mu_);
        transaction([&] {
            sqlite::Statement(db_.get(), "DELETE FROM case_keys WHERE document_id = ?1", kWhat)
                .bind(1, id)
                .step();
            sqlite::Statement insert(db_.get(),
                                     "INSERT INTO case_keys (document_id, type, key, value, pages,"
                                     " role, holder) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                     kWhat);
            for (const CaseRow& r : mergedRows(rows)) {
                insert.bind(1, id)
                    .bind(2, r.type)
                    .bind(3, r.key)
                    .bind(4, r.value)
                    .bind(5, r.pages)
                    .bind(6, r.role)
                    .bind(7, r.holder);
                insert.step();
                insert.reset();
            }
            sqlite::Statement(db_.get(),
                              "INSERT INTO case_documents (document_id, name) VALUES (?1, ?2)"
                              " ON CONFLICT (document_id) DO UPDATE SET name = excluded.name",
                              kWhat)
                .bind(1, id)
                .bind(2, name)
                .step();
        });
    }

    void forget(const std::string& id) override {
        std::lock_guard lock(mu_);
        transaction([&] {
            for (const char* sql : {"DELETE FROM case_keys WHERE document_id = ?1",
                                    "DELETE FROM case_documents WHERE document_id = ?1"})
                sqlite::Statement(db_.get(), sql, kWhat).bind(1, id).step();
        });
    }

    std::set<std::string> documents() override {
        std::lock_guard lock(mu_);
        sqlite::Statement s(db_.get(), "SELECT document_id FROM case_documents", kWhat);
        std::set<std::string> out;
        while (s.step()) out.insert(s.text(0));
        return out;
    }

    std::vector<CaseLink> links(std::size_t minDocuments) override {
        std::lock_guard lock(mu_);
        sqlite::Statement s(db_.get(), kLinksQuery, kWhat);
        s.bind(1, static_cast<std::int64_t>(minDocuments));
        std::vector<LinkRow> rows;
        while (s.step())
            rows.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5),
                            s.text(6), s.text(7)});
        return groupLinks(rows);
    }

private:
    template <class F>
    void transaction(F&& body) {
        sqlite::exec(db_.get(), "BEGIN IMMEDIATE", kWhat);
        try {
            body();
            sqlite::exec(db_.get(), "COMMIT", kWhat);
        } catch (...) {
            sqlite::exec(db_.get(), "ROLLBACK", kWhat);
            throw;
        }
    }

    void migrate() {
        const auto& migrations = caseIndexMigrations();
        const int latest = static_cast<int>(migrations.size());
        sqlite::exec(db_.get(),
                     "CREATE TABLE IF NOT EXISTS case_index_version (version INTEGER NOT NULL)",
                     kWhat);
        std::lock_guard lock(mu_);
        transaction([&] {
            int version = 0;
            {
                sqlite::Statement s(
                    db_.get(), "SELECT COALESCE(MAX(version), 0) FROM case_index_version", kWhat);
                if (s.step()) version = static_cast<int>(s.integer(0));
            }
            if (version > latest)
                throw std::runtime_error("case index in " + file_.string() +
                                         " has schema version " + std::to_string(version) +
                                         ", newer than this saksi (" + std::to_string(latest) +
                                         "); use a newer saksi");
            for (int v = version; v < latest; ++v) {
                sqlite::exec(db_.get(), migrations[static_cast<std::size_t>(v)], kWhat);
                sqlite::Statement(db_.get(), "INSERT INTO case_index_version (version) VALUES (?1)",
                                  kWhat)
                    .bind(1, std::int64_t{v + 1})
                    .step();
            }
        });
    }

    std::filesystem::path file_;
    std::mutex mu_;
    sqlite::DbHandle db_;
};

}  // namespace

// The rows of one (type, key) kept once per document: a record's things
// have distinct keys, but a hand-made record may not.
std::vector<CaseRow> mergedRows(const std::vector<CaseRow>& rows) {
    std::map<std::pair<std::string, std::string>, CaseRow> byKey;
    for (const CaseRow& r : rows) {
        auto [it, added] = byKey.try_emplace({r.type, r.key}, r);
        if (added) continue;
        std::set<std::uint32_t> pages;
        for (const std::string& list : {it->second.pages, r.pages})
            for (const auto& p : json::parse(list)) pages.insert(p.get<std::uint32_t>());
        it->second.pages = json(pages).dump();
        if (it->second.role.empty()) it->second.role = r.role;
        if (it->second.holder.empty()) it->second.holder = r.holder;
    }
    std::vector<CaseRow> out;
    for (auto& [key, row] : byKey) out.push_back(std::move(row));
    return out;
}

// Rows ordered by type, key, document name and id, as kLinksQuery gives them.
std::vector<CaseLink> groupLinks(const std::vector<LinkRow>& rows) {
    std::vector<CaseLink> links;
    std::map<std::string, int> spellings;
    const auto settle = [&] {
        if (links.empty()) return;
        CaseLink& link = links.back();
        if (isIdentifier(link.type)) {
            link.value = link.key;
        } else {
            int best = 0;
            for (const auto& [spelling, count] : spellings)
                if (count > best) {
                    best = count;
                    link.value = spelling;
                }
        }
        spellings.clear();
    };
    for (const LinkRow& r : rows) {
        if (links.empty() || links.back().type != r.type || links.back().key != r.key) {
            settle();
            links.push_back({r.type, r.key, "", {}});
        }
        CaseDocument d{r.documentId, r.name, {}, r.role, r.holder, r.value};
        for (const auto& p : json::parse(r.pages)) d.pages.push_back(p.get<std::uint32_t>());
        links.back().documents.push_back(std::move(d));
        ++spellings[r.value];
    }
    settle();
    return links;
}

const char* const kLinksQuery =
    "SELECT k.type, k.key, k.value, k.pages, k.role, k.holder, k.document_id, d.name"
    " FROM case_keys k JOIN case_documents d ON d.document_id = k.document_id"
    " WHERE (k.type, k.key) IN (SELECT type, key FROM case_keys GROUP BY type, key"
    " HAVING COUNT(*) >= $1)"
    " ORDER BY k.type, k.key, d.name, k.document_id";

std::vector<CaseRow> caseRows(const json& record) {
    std::vector<CaseRow> rows;
    const json& things =
        record.contains("things") && record["things"].is_array() ? record["things"] : json::array();
    for (const json& t : things) {
        const std::string type = stringOr(t, "type");
        const std::string key = stringOr(t, "key");
        if (!indexedType(type) || key.empty()) continue;
        CaseRow row{type,
                    key,
                    stringOr(t, "name"),
                    t.value("pages", json::array()).dump(),
                    stringOr(t, "role"),
                    ""};
        const json holder = t.value("holder", json());
        if (holder.is_number_integer() && holder.get<std::int64_t>() >= 0 &&
            holder.get<std::size_t>() < things.size()) {
            const json& h = things[holder.get<std::size_t>()];
            row.holder = stringOr(h, "name");
            if (row.role.empty()) row.role = stringOr(h, "role");
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

void indexRecordFile(CaseIndex& index, const std::filesystem::path& record) {
    const MappedFile file(record);
    const auto bytes = file.bytes();
    const json r = json::parse(bytes.begin(), bytes.end());
    index.record(stringOr(r, "id"), stringOr(r.value("source", json::object()), "name"),
                 caseRows(r));
}

// Versioned migrations of the case index's own tables, applied in order;
// case_index_version holds the last one applied. Append only.
const std::vector<std::string>& caseIndexMigrations() {
    static const std::vector<std::string> migrations = {
        // 1: documents indexed, and their keys.
        "CREATE TABLE case_documents ("
        "  document_id TEXT PRIMARY KEY,"
        "  name TEXT NOT NULL"
        ");"
        "CREATE TABLE case_keys ("
        "  document_id TEXT NOT NULL,"
        "  type TEXT NOT NULL,"
        "  key TEXT NOT NULL,"
        "  value TEXT NOT NULL,"
        "  pages TEXT NOT NULL,"
        "  role TEXT NOT NULL,"
        "  holder TEXT NOT NULL,"
        "  PRIMARY KEY (document_id, type, key)"
        ");"
        "CREATE INDEX case_keys_key ON case_keys (type, key);",
    };
    return migrations;
}

std::unique_ptr<CaseIndex> openCaseIndex(const std::string& location) {
    if (location.starts_with("postgresql://") || location.starts_with("postgres://"))
        return openPostgresCaseIndex(location);
    return openSqliteCaseIndex(location);
}

std::unique_ptr<CaseIndex> openSqliteCaseIndex(const std::filesystem::path& file) {
    return std::make_unique<SqliteCaseIndex>(file);
}

}  // namespace saksi
