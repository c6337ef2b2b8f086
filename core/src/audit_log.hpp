// OUT/audit.jsonl: an append-only, hash-chained log of every action on a
// document (received, skipped, processed, written, failed, moved). Each line is one
// JSON object whose "prev" is the SHA-256 of the previous line's bytes
// (without its newline); the first line's prev is 64 zeros. Removing,
// reordering or editing any line breaks the chain at the next one.
#pragma once

#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace saksi {

class AuditLog {
public:
    // Opens `file` for appending (O_APPEND), creating it, and reads its last
    // line to continue the chain. Throws std::runtime_error.
    explicit AuditLog(const std::filesystem::path& file);
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;
    ~AuditLog();

    // Appends one line and fdatasyncs it before returning. Thread-safe.
    void append(const std::string& action, const std::string& documentId,
                const nlohmann::json& details);

private:
    std::mutex mu_;
    int fd_ = -1;
    std::string path_;
    std::string prev_;
    nlohmann::json actor_;
};

// The chain's starting value: the prev of the first line.
inline const std::string kAuditGenesis(64, '0');

// One problem `saksi verify` found, located precisely.
struct VerifyIssue {
    std::string file;      // relative to the output folder ("audit.jsonl", "audit/w1.jsonl",
                           // "records/<id>.json")
    std::size_t line = 0;  // 1-based line in `file`, 0 when not about a line
    std::string message;   // what was expected and what was found
};

struct VerifyReport {
    std::vector<VerifyIssue> broken;  // tampering or loss: verify fails
    std::vector<std::string> notes;   // e.g. originals no longer reachable
    std::size_t auditLines = 0, outputsChecked = 0, originalsChecked = 0;
};

class Ledger;

// Checks an output folder: each audit chain (OUT/audit.jsonl and every
// distributed worker's OUT/audit/*.jsonl), every record, failure record and
// redacted output against the hash its last "written"/"failed" line holds
// (with several chains: a hash one of them holds), and every original still
// reachable (where a "moved" line says it went, or at its source path)
// against the ledger's SHA-256. The ledger is OUT/ledger.sqlite, or
// `sharedLedger` (a distributed run's), whose finished documents must each
// have their record in OUT.
VerifyReport verifyOutput(const std::filesystem::path& outDir, Ledger* sharedLedger = nullptr);

}  // namespace saksi
