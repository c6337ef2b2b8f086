// Runs a pipeline over documents in N worker processes, each with its own
// stage instances and one document at a time; this process (the supervisor)
// keeps the ledger, the audit log and the input source, and replaces a
// worker that crashes, hangs or passes its memory limit.
#pragma once

#include "intake.hpp"
#include "ledger.hpp"
#include "pipeline.hpp"
#include "plugin_host.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace saksi {

class AuditLog;
class CaseIndex;

// What became of one input item, once it is durable: its record written and
// the ledger and audit log updated (or it was skipped).
struct Outcome {
    InputItem item;
    std::string id;          // record id
    std::string status;      // "ok" | "partial" | "failed"; for a skipped item, the earlier status
    bool skipped = false;    // finished by an earlier run under the same pipeline
    bool duplicate = false;  // same content as an earlier item of this run
    nlohmann::json errorCodes = nlohmann::json::array();
    std::size_t pages = 0;
    std::filesystem::path record;  // OUT/records/<id>.json or OUT/failed/<id>.json
};

struct RunOptions {
    std::filesystem::path outDir;
    unsigned jobs = 0;  // worker processes; 0: one per core
    // A document still running after this long gets a failure record with
    // worker.timeout, and its worker is killed and replaced.
    unsigned documentTimeoutSeconds = 600;
    // A worker whose resident memory passes this (or, outside sanitizer
    // builds, whose address space grows this much over its idle size) is
    // killed and replaced; its document gets memory.limit.
    std::size_t memoryLimitMb = 4096;
    // One page through the page-scope stages (decode on demand, preprocess,
    // OCR...) gets this long; that time does not count against the document's.
    unsigned pageTimeoutSeconds = 120;
    // Redo documents the ledger has as failed under the same pipeline
    // (otherwise every finished document is skipped).
    bool retryFailed = false;
    // Called once per item after its outcome is durable, from any of the
    // supervisor's threads (so it must be thread-safe); not called for items
    // in flight when the run stops on a fatal error.
    std::function<void(const Outcome&)> onOutcome;
    // The ledger to record documents in (a shared one, e.g. PostgreSQL, for
    // distributed workers); null: OUT/ledger.sqlite. Must outlive the run.
    Ledger* ledger = nullptr;
    // The case index to update as documents are recorded (the shared
    // ledger's); null: the one in OUT/ledger.sqlite. Must outlive the run.
    CaseIndex* caseIndex = nullptr;
    // The hash-chained audit log's file when `audit` is null; empty:
    // OUT/audit.jsonl. Its folder is created.
    std::filesystem::path auditLog;
    // Temp files a killed run left in OUT are removed at the start; with
    // other processes writing OUT (distributed workers), only those older
    // than this, so a live worker's record being written is left alone.
    std::chrono::seconds leftoverTempMinAge{0};
    // The audit log to append to, for a caller that adds its own lines (a
    // watched folder's "moved"); null: the run opens `auditLog` itself.
    AuditLog* audit = nullptr;
};

struct RunSummary {
    std::size_t ok = 0, partial = 0, failed = 0, duplicates = 0, pages = 0;
    // Finished by an earlier run under the same pipeline; skippedNotOk of
    // them ended partial or failed there.
    std::size_t skipped = 0, skippedNotOk = 0;
    double seconds = 0;
    std::map<std::string, std::size_t> errorCodes;

    std::size_t documents() const { return ok + partial + failed; }
};

// Starts every worker (each creates its stage instances) first, so a stage
// that refuses its configuration stops the run before any document
// (ConfigError). A worker that dies on a document (crash, abort),
// passes the document timeout or the memory limit is replaced, and the
// document gets a failure record with worker.crashed, worker.timeout or
// memory.limit (written by a fresh worker's sinks). Records
// every document in OUT/ledger.sqlite and every action in OUT/audit.jsonl
// (or RunOptions::ledger and ::auditLog),
// skipping documents an earlier run finished under the same pipeline, and
// first removes temp files a killed run left in OUT's output folders.
// Throws std::runtime_error when the ledger or audit log cannot be written.
// Pulls items from `source` until it returns nullopt, keeping at most a few
// per worker in flight.
RunSummary runPipeline(const Pipeline& pipeline, const PluginHost& host, InputSource& source,
                       const RunOptions& options);

}  // namespace saksi
