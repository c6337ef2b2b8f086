// What was processed: one row per document (id, source, hashes, status,
// pipeline, times, error codes), so a re-run can skip finished documents and
// `saksi verify` can find the originals again. SQLite now; the interface is
// small so another backend (PostgreSQL) can share the schema later.
#pragma once

#include <cstdint>
#include <filesystem>
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
};

// Opens (creating and migrating) the SQLite ledger at `file`. Throws
// std::runtime_error when it cannot be opened or is from a newer saksi.
std::unique_ptr<Ledger> openSqliteLedger(const std::filesystem::path& file);

}  // namespace saksi
