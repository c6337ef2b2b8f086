// What was processed: one row per document (id, source, hashes, status,
// pipeline, times, error codes), so a re-run can skip finished documents and
// `saksi verify` can find the originals again. SQLite is the embedded
// default (`process`); PostgreSQL is the shared ledger of distributed runs
// (`enqueue`, `worker`, `status`). Both run the same versioned migrations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace saksi {

struct LedgerEntry {
    std::string id;          // record id (SHA-256 of the original bytes)
    std::string sourcePath;  // as given on the command line
    std::uint64_t size = 0;
    std::string sha256;                 // of the original; empty when it could not be read
    std::string status;                 // queued | running | ok | partial | failed
    std::string pipelineHash;           // Pipeline::hash
    std::string startedAt, finishedAt;  // UTC, ISO 8601; finishedAt empty while running
    std::string errorCodes = "[]";      // JSON array of error codes
    std::uint64_t pages = 0;            // set by setPages() (distributed workers)
    // JSON array: the archive chain of a member (InputItem::container), its
    // first link holding the outermost archive's SHA-256; "[]" for a file.
    std::string container = "[]";
};

// Thread-safe: every method may be called from any worker.
class Ledger {
public:
    virtual ~Ledger() = default;
    // Inserts or replaces the document's row with `entry` (status "running").
    virtual void begin(const LedgerEntry& entry) = 0;
    // Sets the final status, error codes and finish time of a begun document.
    virtual void finish(const std::string& id, const std::string& status,
                        const std::string& errorCodesJson, const std::string& finishedAt) = 0;
    virtual std::optional<LedgerEntry> lookup(const std::string& id) = 0;
    // Every row, ordered by id.
    virtual std::vector<LedgerEntry> entries() = 0;

    // Registers a document waiting in a queue (status "queued") unless the
    // ledger already has a row for its id; true when it added the row.
    virtual bool enqueue(const LedgerEntry& entry) = 0;
    // Records how many pages a finished document had (for throughput).
    virtual void setPages(const std::string& id, std::uint64_t pages) = 0;
    // Rows per status ("queued", "running", "ok", "partial", "failed").
    virtual std::map<std::string, std::size_t> statusCounts() = 0;
    // The rows finished at or after `finishedAt` (ISO 8601 UTC, as stored).
    virtual std::vector<LedgerEntry> finishedSince(const std::string& finishedAt) = 0;
};

// The schema both backends share: migration N (1-based) is element N-1,
// plain SQL that SQLite and PostgreSQL both accept. Append only.
const std::vector<std::string>& ledgerMigrations();

// A ledger from a location: "postgresql://..." (or "postgres://...") opens
// the shared PostgreSQL ledger, anything else is a SQLite file path.
std::unique_ptr<Ledger> openLedger(const std::string& location);

// Opens (creating and migrating) the SQLite ledger at `file`. Throws
// std::runtime_error when it cannot be opened or is from a newer saksi.
std::unique_ptr<Ledger> openSqliteLedger(const std::filesystem::path& file);

// Opens an existing SQLite ledger read-only, creating and migrating nothing
// (for `saksi verify`). Throws std::runtime_error when `file` is no saksi
// ledger (a 0-byte file, another database) or is from a newer saksi.
std::unique_ptr<Ledger> openSqliteLedgerToRead(const std::filesystem::path& file);

// Connects to PostgreSQL (a libpq URL, e.g. postgresql://user@host:5432/db),
// creating and migrating the schema; safe when several workers start at once.
// Throws std::runtime_error when it cannot connect or the schema is newer.
std::unique_ptr<Ledger> openPostgresLedger(const std::string& url);

}  // namespace saksi
