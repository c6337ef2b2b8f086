// The case index: which identifiers (passport number, NIK, phone, e-mail,
// bank account) and which people and organisations each document holds, by
// the match key of the record's things[], so that `saksi case` finds what
// documents share. It lives in the ledger's database (its own tables and
// schema version, beside the ledger's) and is updated as each document is
// recorded, by `process`, `watch` and `worker` alike.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace saksi {

// One thing of one document as the index holds it.
struct CaseRow {
    std::string type;    // entity type: person, organization, passport_number, ...
    std::string key;     // the thing's match key
    std::string value;   // the thing's best spelling
    std::string pages;   // JSON array of 1-based pages
    std::string role;    // its role there ("worker", "holder", ...), or its holder's; "" if none
    std::string holder;  // for an identifier: its holder's name; "" if none
};

// A document sharing a link.
struct CaseDocument {
    std::string id, name;  // record id (SHA-256) and file name
    std::vector<std::uint32_t> pages;
    std::string role, holder, value;
};

// A type and key seen in several documents.
struct CaseLink {
    std::string type, key, value;  // value: the identifier, or the most common spelling
    std::vector<CaseDocument> documents;
};

// The rows of a record's things[] (identifiers, people and organisations;
// places are not indexed). Empty for a record without things.
std::vector<CaseRow> caseRows(const nlohmann::json& record);

// Thread-safe: every method may be called from any thread.
class CaseIndex {
public:
    virtual ~CaseIndex() = default;
    // Replaces what the index holds for document `id` (file name `name`).
    virtual void record(const std::string& id, const std::string& name,
                        const std::vector<CaseRow>& rows) = 0;
    // Removes document `id` (it now has a failure record).
    virtual void forget(const std::string& id) = 0;
    // The documents the index holds.
    virtual std::set<std::string> documents() = 0;
    // Every (type, key) held by at least `minDocuments` documents, ordered by
    // type and key, each with its documents ordered by name and id.
    virtual std::vector<CaseLink> links(std::size_t minDocuments) = 0;
};

// Indexes a written record file (records/<id>.json): its things[] under its
// id and source name. Throws when the file cannot be read or parsed.
void indexRecordFile(CaseIndex& index, const std::filesystem::path& record);

// The case index in the ledger database at `location`: "postgresql://..."
// (or "postgres://...") or a SQLite file. Creates its tables when missing.
// Throws std::runtime_error when it cannot be opened or is from a newer saksi.
std::unique_ptr<CaseIndex> openCaseIndex(const std::string& location);
std::unique_ptr<CaseIndex> openSqliteCaseIndex(const std::filesystem::path& file);
std::unique_ptr<CaseIndex> openPostgresCaseIndex(const std::string& url);

// The schema both backends share: migration N (1-based) is element N-1,
// plain SQL that SQLite and PostgreSQL both accept. Append only.
const std::vector<std::string>& caseIndexMigrations();

}  // namespace saksi
