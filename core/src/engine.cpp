#include "engine.hpp"

#include "audit_log.hpp"
#include "case_index.hpp"
#include "document.hpp"
#include "document_runner.hpp"
#include "hashing.hpp"
#include "ledger.hpp"
#include "mapped_file.hpp"
#include "utc_time.hpp"
#include "worker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

namespace saksi {
namespace {

using Clock = std::chrono::steady_clock;

// One in-flight document on the supervisor's side.
struct Job {
    InputItem item;
    std::string id;
    bool duplicate = false;
    bool skipped = false;  // finished by an earlier run: nothing to do
    std::string skippedStatus;
};

// The supervisor: pulls items from the source, decides with the ledger what
// to do with each (skip, duplicate, process), hands documents to worker
// processes (one slot thread per worker), records each outcome, and
// replaces a worker that crashes, hangs or passes its memory limit.
class Supervisor {
public:
    Supervisor(const Pipeline& pipeline, const PluginHost& host, InputSource& source,
               const RunOptions& options, Ledger& ledger, CaseIndex& caseIndex, AuditLog& audit)
        : pipeline_(pipeline),
          source_(source),
          options_(options),
          ledger_(ledger),
          caseIndex_(caseIndex),
          audit_(audit),
          limits_{options.documentTimeoutSeconds, options.memoryLimitMb,
                  options.pageTimeoutSeconds},
          init_(workerInit(pipeline, host, options.outDir, limits_)) {}

    RunSummary run() {
        const unsigned jobs =
            options_.jobs ? options_.jobs : std::max(1u, std::thread::hardware_concurrency());
        maxInFlight_ = 2 * std::size_t{jobs};
        const auto start = Clock::now();
        std::vector<std::thread> slots;
        for (unsigned i = 0; i < jobs; ++i) slots.emplace_back([this] { slot(); });
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return readyWorkers_ + failedWorkers_ == slots.size(); });
            if (failedWorkers_ > 0) stop_ = true;
            started_ = true;
        }
        cv_.notify_all();
        std::thread feeder([this] { feed(); });
        for (auto& t : slots) t.join();
        source_.cancel();  // a fatal error stopped the slots; unblock the feeder
        feeder.join();
        for (InputItem& item : pending_) removeTemporary(item);
        if (!startError_.empty()) throw ConfigError(startError_);
        if (!fatalError_.empty()) throw std::runtime_error(fatalError_);
        summary_.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return summary_;
    }

private:
    // One worker process and the documents it runs, one at a time.
    void slot() {
        std::unique_ptr<WorkerProcess> worker;
        try {
            worker = std::make_unique<WorkerProcess>(init_, limits_);
        } catch (const std::exception& e) {
            std::lock_guard lock(mu_);
            if (startError_.empty()) startError_ = e.what();
            ++failedWorkers_;
            cv_.notify_all();
            return;
        }
        {
            std::unique_lock lock(mu_);
            ++readyWorkers_;
            cv_.notify_all();
            cv_.wait(lock, [&] { return started_; });
        }
        while (auto job = next()) {
            try {
                handle(*job, worker);
            } catch (const std::exception& e) {
                abandon(std::move(job), e);
            }
        }
    }

    // Pulls items from the source (which may block) into pending_, keeping
    // pending and in-flight documents together within maxInFlight_.
    void feed() {
        for (;;) {
            {
                std::unique_lock lock(mu_);
                cv_.wait(lock, [&] { return stop_ || pending_.size() + inFlight_ < maxInFlight_; });
                if (stop_) break;
            }
            std::optional<InputItem> item;
            try {
                item = source_.next();
            } catch (const std::exception& e) {
                std::lock_guard lock(mu_);
                if (fatalError_.empty())
                    fatalError_ = std::string("reading the inputs: ") + e.what();
                stop_ = true;
                break;
            }
            std::lock_guard lock(mu_);
            if (!item) break;
            pending_.push_back(std::move(*item));
            cv_.notify_all();
        }
        std::lock_guard lock(mu_);
        sourceDone_ = true;
        cv_.notify_all();
    }

    std::unique_ptr<Job> next() {
        std::unique_lock lock(mu_);
        for (;;) {
            if (stop_) return nullptr;
            if (!pending_.empty()) {
                auto job = std::make_unique<Job>();
                job->item = std::move(pending_.front());
                pending_.pop_front();
                ++inFlight_;
                cv_.notify_all();
                return job;
            }
            if (sourceDone_) return nullptr;
            cv_.wait(lock);
        }
    }

    void handle(Job& job, std::unique_ptr<WorkerProcess>& worker) {
        intake(job);
        if (job.duplicate || job.skipped) return finish(job, std::nullopt);
        if (!worker || !worker->alive()) worker = std::make_unique<WorkerProcess>(init_, limits_);
        WorkerProcess::Reply reply = worker->process(job.item, std::nullopt);
        std::optional<DocumentFailure> failure = reply.failure;
        if (reply.result) {
            if (reply.result->id != job.id)
                spdlog::error(
                    "{} changed while it was processed (sha256 {} at intake, {} in the "
                    "worker)",
                    job.item.display(), job.id, reply.result->id);
            if (recordWritten(*reply.result)) return finish(job, *reply.result);
            // The sinks could not write its record (a full disk, an
            // unwritable folder): the document is failed, everywhere, and
            // keeps no redacted copy of a record that does not exist.
            failure = DocumentFailure{
                "sink", "output.write_failed",
                "Its record could not be written to " +
                    recordPath(job.id, reply.result->status == "failed").string() +
                    "; check that the output folder is writable and has space, then re-run with "
                    "--retry-failed."};
            removeRedacted(job.id);
        } else {
            // The worker died on this document: a fresh worker runs only the
            // sinks, with the failure as a record error, so the failure
            // record is written the way every record is.
            worker = std::make_unique<WorkerProcess>(init_, limits_);
        }
        spdlog::error("{}: {}", job.item.display(), failure->message);
        reply = worker->process(job.item, failure);
        if (reply.result) return finish(job, *reply.result);
        // The sinks died too: the ledger and audit log say so (no record).
        spdlog::error("{}: writing its failure record: {}", job.item.display(),
                      reply.failure->message);
        worker.reset();
        finish(job, DocumentResult{job.id, "failed", {failure->code, reply.failure->code}, 0});
    }

    // Whether the sinks left the record `result` says they wrote.
    bool recordWritten(const DocumentResult& result) const {
        std::error_code ec;
        return std::filesystem::is_regular_file(recordPath(result.id, result.status == "failed"),
                                                ec);
    }

    void removeRedacted(const std::string& id) const {
        std::error_code ec;
        for (const char* ext : {".json", ".pdf"})
            std::filesystem::remove(options_.outDir / "redacted" / (id + ext), ec);
    }

    // Hashes the document, then decides before any decoding whether this run
    // has anything to do with it (ledger), and records that it was received.
    void intake(Job& job) {
        const Document doc(job.item, options_.outDir);
        job.id = doc.id();
        if (doc.hasBytes()) job.item.sha256 = job.id;  // the worker must read these bytes
        const std::string source = escapedBytes(job.item.sourcePath);
        {
            std::lock_guard lock(mu_);
            if (!doc.hasErrors() && !seenIds_.insert(job.id).second) job.duplicate = true;
        }
        if (job.duplicate) {
            spdlog::info("skipped {}: same content as an earlier file ({})", job.item.display(),
                         job.id);
            audit_.append("skipped", job.id,
                          {{"source", source}, {"reason", "same content as an earlier file"}});
            return;
        }
        if (const auto done = alreadyDone(job.id)) {
            job.skipped = true;
            job.skippedStatus = done->status;
            spdlog::info("skipped {}: already {} under this pipeline ({})", job.item.display(),
                         done->status, job.id);
            audit_.append("skipped", job.id,
                          {{"source", source},
                           {"reason", "already " + done->status + " under this pipeline"},
                           {"pipeline_hash", pipeline_.hash}});
            return;
        }
        LedgerEntry entry;
        entry.id = job.id;
        entry.sourcePath = job.item.sourcePath;  // the bytes, to find it again
        entry.container = job.item.container.dump();
        entry.size = doc.bytes().size();
        // An unreadable input has no content hash.
        entry.sha256 = doc.hasBytes() ? job.id : "";
        entry.pipelineHash = pipeline_.hash;
        entry.startedAt = utcNow();
        ledger_.begin(entry);
        nlohmann::json received = {{"source", source},
                                   {"size", entry.size},
                                   {"sha256", entry.sha256},
                                   {"media_type", doc.mediaType()}};
        if (!job.item.container.empty()) received["container"] = job.item.container;
        audit_.append("received", job.id, received);
    }

    static void removeTemporary(const InputItem& item) {
        std::error_code ec;
        if (item.temporary) std::filesystem::remove(item.path, ec);
    }

    // The ledger's row when this document is finished under this pipeline
    // and its record is still where the status says.
    std::optional<LedgerEntry> alreadyDone(const std::string& id) {
        auto entry = ledger_.lookup(id);
        if (!entry || entry->pipelineHash != pipeline_.hash) return std::nullopt;
        const bool failed = entry->status == "failed";
        if (!(entry->status == "ok" || entry->status == "partial" || failed)) return std::nullopt;
        if (failed && options_.retryFailed) return std::nullopt;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(recordPath(id, failed), ec)) return std::nullopt;
        // A redacted copy lost after the run (a full disk, a deletion) is
        // made again on a retry.
        if (!failed && options_.retryFailed && makesRedactedCopies())
            for (const char* ext : {".json", ".pdf"})
                if (!std::filesystem::is_regular_file(options_.outDir / "redacted" / (id + ext),
                                                      ec))
                    return std::nullopt;
        return entry;
    }

    bool makesRedactedCopies() const {
        return std::any_of(
            pipeline_.stages.begin(), pipeline_.stages.end(),
            [](const PipelineStage& s) { return s.def->abi.kind == SAKSI_STAGE_REDACT; });
    }

    std::filesystem::path recordPath(const std::string& id, bool failed) const {
        return options_.outDir / (failed ? "failed" : "records") / (id + ".json");
    }

    // After the sinks: the record is durable, so say so in the audit log and
    // the ledger, in that order (a kill between them only redoes the document).
    // A record no sink left makes the document failed in both (and in the
    // returned status, which the summary and the exit code count).
    DocumentResult recordOutcome(const Job& job, DocumentResult result) {
        namespace fs = std::filesystem;
        const std::string& id = job.id;
        const std::string source = escapedBytes(job.item.sourcePath);
        std::error_code ec;
        fs::path record = recordPath(id, result.status == "failed");
        const bool written = fs::is_regular_file(record, ec);
        if (!written) {
            result.status = "failed";
            // verify takes the ledger's word for a record that never existed.
            if (std::find(result.errorCodes.begin(), result.errorCodes.end(), "output.missing") ==
                result.errorCodes.end())
                result.errorCodes.push_back("output.missing");
            removeRedacted(id);
        }
        const bool failed = result.status == "failed";
        // A failed document has no redacted copy (one an earlier run made
        // of it would describe a record that is no more).
        if (failed) removeRedacted(id);
        audit_.append("processed", id,
                      {{"source", source},
                       {"status", result.status},
                       {"error_codes", result.errorCodes},
                       {"pages", result.pages},
                       {"pipeline", {{"name", pipeline_.name}, {"hash", pipeline_.hash}}}});
        if (written) {
            audit_.append(failed ? "failed" : "written", id,
                          {{"source", source},
                           {"record", record.lexically_relative(options_.outDir).string()},
                           {"record_sha256", sha256Hex(MappedFile(record).bytes())}});
            // Exactly one record per document: drop the other folder's copy
            // left by an earlier run with the other outcome.
            fs::remove(recordPath(id, !failed), ec);
        } else {
            audit_.append("failed", id,
                          {{"source", source},
                           {"record", nullptr},
                           {"reason", "no sink wrote a record"},
                           {"error_codes", result.errorCodes}});
        }
        for (const char* ext : {".json", ".pdf"}) {
            const fs::path redacted = options_.outDir / "redacted" / (id + ext);
            if (!fs::is_regular_file(redacted, ec)) continue;
            audit_.append("written", id,
                          {{"source", source},
                           {"record", redacted.lexically_relative(options_.outDir).string()},
                           {"record_sha256", sha256Hex(MappedFile(redacted).bytes())}});
        }
        ledger_.setPages(id, result.pages);
        ledger_.finish(id, result.status, result.errorCodes.dump(), utcNow());
        updateCaseIndex(id, failed ? fs::path() : record);
        return result;
    }

    // The case index follows the ledger. It is derived from the records, so
    // a failure here is logged and the run goes on (`saksi case` indexes
    // records it does not hold).
    void updateCaseIndex(const std::string& id, const std::filesystem::path& record) {
        try {
            if (record.empty())
                caseIndex_.forget(id);
            else
                indexRecordFile(caseIndex_, record);
        } catch (const std::exception& e) {
            spdlog::warn("{}: case index not updated: {}", id, e.what());
        }
    }

    // The ledger or audit log failed, or no worker could be started: nothing
    // more can be recorded truthfully, so the run stops (the documents in
    // flight are redone by the next run).
    void abandon(std::unique_ptr<Job> job, const std::exception& e) {
        removeTemporary(job->item);
        spdlog::error("{}: {}", job->item.display(), e.what());
        {
            std::lock_guard lock(mu_);
            if (fatalError_.empty()) fatalError_ = e.what();
            stop_ = true;
            --inFlight_;
        }
        cv_.notify_all();
    }

    // `result`: what the worker's sinks wrote; none for a skipped or
    // duplicate item.
    void finish(Job& job, const std::optional<DocumentResult>& result) {
        Outcome outcome;
        outcome.id = job.id;
        if (job.skipped) {
            outcome.skipped = true;
            outcome.status = job.skippedStatus;
            std::lock_guard lock(mu_);
            summary_.skipped++;
            if (job.skippedStatus != "ok") summary_.skippedNotOk++;
        } else if (!job.duplicate) {
            const DocumentResult recorded = recordOutcome(job, *result);
            outcome.status = recorded.status;
            outcome.errorCodes = recorded.errorCodes;
            outcome.pages = recorded.pages;
            spdlog::info("{} {} ({} pages){}", outcome.status, job.item.display(), outcome.pages,
                         outcome.errorCodes.empty() ? "" : " " + outcome.errorCodes.dump());
            std::lock_guard lock(mu_);
            (outcome.status == "ok"        ? summary_.ok
             : outcome.status == "partial" ? summary_.partial
                                           : summary_.failed)++;
            summary_.pages += outcome.pages;
            for (const auto& code : outcome.errorCodes)
                summary_.errorCodes[code.get<std::string>()]++;
        } else {
            outcome.duplicate = true;
            std::lock_guard lock(mu_);
            summary_.duplicates++;
        }
        if (!outcome.duplicate) {
            const bool failed = outcome.status == "failed";
            outcome.record = recordPath(outcome.id, failed);
        } else {
            // The earlier item's record, whichever folder it is in.
            std::error_code ec;
            outcome.record = recordPath(outcome.id, false);
            if (!std::filesystem::exists(outcome.record, ec))
                outcome.record = recordPath(outcome.id, true);
        }
        outcome.item = std::move(job.item);
        removeTemporary(outcome.item);
        if (options_.onOutcome) options_.onOutcome(outcome);
        {
            std::lock_guard lock(mu_);
            --inFlight_;
        }
        cv_.notify_all();
    }

    const Pipeline& pipeline_;
    InputSource& source_;
    const RunOptions& options_;
    Ledger& ledger_;
    CaseIndex& caseIndex_;
    AuditLog& audit_;
    const WorkerLimits limits_;
    const nlohmann::json init_;

    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<InputItem> pending_;  // pulled from the source, not started
    bool sourceDone_ = false;
    std::size_t inFlight_ = 0, maxInFlight_ = 2;
    std::size_t readyWorkers_ = 0, failedWorkers_ = 0;
    bool started_ = false, stop_ = false;
    std::string startError_, fatalError_;
    std::set<std::string> seenIds_;
    RunSummary summary_;
};

// A sink writes ".<name>.tmp-<pid>-<n>" then renames it; a killed run can
// leave one behind. Nothing else in these folders starts with a dot.
void removeLeftoverTemps(const std::filesystem::path& outDir, std::chrono::seconds minAge) {
    namespace fs = std::filesystem;
    const auto cutoff = fs::file_time_type::clock::now() - minAge;
    for (const char* sub : {"records", "failed", "redacted"}) {
        std::error_code ec;
        for (auto it = fs::directory_iterator(outDir / sub, ec);
             !ec && it != fs::directory_iterator(); it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (name.starts_with(".") && name.find(".tmp-") != std::string::npos &&
                (minAge.count() == 0 || it->last_write_time(ec) < cutoff)) {
                spdlog::info("removing {} left by an interrupted run", it->path().string());
                fs::remove(it->path(), ec);
            }
        }
    }
}

// Everything a run writes stays inside OUT: a link in place of one of its
// folders or files would send records (or the ledger) elsewhere.
void refuseLinksInOutput(const std::filesystem::path& outDir) {
    namespace fs = std::filesystem;
    for (const char* name :
         {"records", "failed", "redacted", "audit", "audit.jsonl", "ledger.sqlite", ".work"}) {
        std::error_code ec;
        if (fs::is_symlink(fs::symlink_status(outDir / name, ec)))
            throw std::runtime_error((outDir / name).string() +
                                     " is a symbolic link; saksi writes only inside the output "
                                     "folder: remove the link");
    }
}

}  // namespace

RunSummary runPipeline(const Pipeline& pipeline, const PluginHost& host, InputSource& source,
                       const RunOptions& options) {
    std::filesystem::create_directories(options.outDir);
    refuseLinksInOutput(options.outDir);
    removeLeftoverTemps(options.outDir, options.leftoverTempMinAge);
    std::unique_ptr<Ledger> ownLedger;
    if (!options.ledger) ownLedger = openSqliteLedger(options.outDir / "ledger.sqlite");
    std::unique_ptr<CaseIndex> ownCaseIndex;
    if (!options.caseIndex) ownCaseIndex = openSqliteCaseIndex(options.outDir / "ledger.sqlite");
    std::optional<AuditLog> ownAudit;
    if (!options.audit) {
        const auto auditFile =
            options.auditLog.empty() ? options.outDir / "audit.jsonl" : options.auditLog;
        std::filesystem::create_directories(auditFile.parent_path());
        ownAudit.emplace(auditFile);
    }
    Supervisor supervisor(pipeline, host, source, options,
                          options.ledger ? *options.ledger : *ownLedger,
                          options.caseIndex ? *options.caseIndex : *ownCaseIndex,
                          options.audit ? *options.audit : *ownAudit);
    return supervisor.run();
}

}  // namespace saksi
