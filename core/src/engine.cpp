#include "engine.hpp"

#include "audit_log.hpp"
#include "document.hpp"
#include "hashing.hpp"
#include "ledger.hpp"
#include "mapped_file.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
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

std::string utcNow() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// A stage instance, created and destroyed through the plugin's hooks. It
// keeps its plugin loaded for as long as it lives.
class Instance {
public:
    Instance(const StageDef& def, std::shared_ptr<const LoadedPlugin> plugin,
             const nlohmann::json& config)
        : def_(def), plugin_(std::move(plugin)) {
        const std::string text = config.dump();
        char err[1024] = "";
        if (def_.abi.create(Document::hostApi(), {text.data(), text.size()}, &self_, err,
                            sizeof err) != SAKSI_OK ||
            !self_) {
            self_ = nullptr;
            throw std::runtime_error(*err ? err : "create() failed without a reason");
        }
    }
    Instance(const Instance&) = delete;
    Instance& operator=(const Instance&) = delete;
    ~Instance() {
        if (self_) def_.abi.destroy(self_);
    }
    saksi_stage_instance* get() const { return self_; }

private:
    const StageDef& def_;
    std::shared_ptr<const LoadedPlugin> plugin_;
    saksi_stage_instance* self_ = nullptr;
};

// Consecutive stages of one scope: a page run fans out over the pages.
struct Run {
    bool pageScope = false;
    std::vector<std::size_t> stages;  // indexes into pipeline.stages
};

struct Job {
    InputItem item;
    std::unique_ptr<Document> doc;
    std::size_t nextRun = 0;
    std::atomic<std::size_t> pagesLeft{0};
    bool failed = false;      // intake or decoding failed: only sinks still run
    bool decoderRan = false;  // some decode stage accepted the media type
    bool finalized = false;
    bool duplicate = false;
    bool skipped = false;  // finished by an earlier run: nothing to do
    std::string skippedStatus;
    std::vector<std::atomic<int64_t>> stageMicros;
    explicit Job(std::size_t stages) : stageMicros(stages) {}
};

struct Task {
    Job* job = nullptr;
    uint32_t page = SAKSI_ALL_PAGES;  // a page of a page run, or the document's next step
    std::size_t run = 0;
};

class Scheduler {
public:
    Scheduler(const Pipeline& pipeline, const PluginHost& host, InputSource& source,
              const RunOptions& options, Ledger& ledger, AuditLog& audit)
        : pipeline_(pipeline),
          host_(host),
          source_(source),
          options_(options),
          ledger_(ledger),
          audit_(audit) {
        for (std::size_t i = 0; i < pipeline_.stages.size(); ++i) {
            const bool page = pipeline_.stages[i].def->abi.scope == SAKSI_SCOPE_PAGE;
            if (runs_.empty() || runs_.back().pageScope != page) runs_.push_back({page, {}});
            runs_.back().stages.push_back(i);
        }
    }

    RunSummary run() {
        const unsigned jobs =
            options_.jobs ? options_.jobs : std::max(1u, std::thread::hardware_concurrency());
        maxInFlight_ = 2 * std::size_t{jobs};
        const auto start = Clock::now();
        std::vector<std::thread> threads;
        for (unsigned i = 0; i < jobs; ++i) threads.emplace_back([this] { worker(); });
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return readyWorkers_ + failedWorkers_ == threads.size(); });
            if (failedWorkers_ > 0) stop_ = true;
            started_ = true;
        }
        cv_.notify_all();
        std::thread feeder([this] { feed(); });
        for (auto& t : threads) t.join();
        source_.cancel();  // a fatal error stopped the workers; unblock the feeder
        feeder.join();
        for (InputItem& item : pending_) removeTemporary(item);
        if (!startError_.empty()) throw ConfigError(startError_);
        if (!fatalError_.empty()) throw std::runtime_error(fatalError_);
        summary_.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return summary_;
    }

private:
    void worker() {
        std::vector<std::unique_ptr<Instance>> instances;
        try {
            for (const PipelineStage& stage : pipeline_.stages)
                instances.push_back(
                    std::make_unique<Instance>(*stage.def, host_.owner(*stage.def), stage.config));
        } catch (const std::exception& e) {
            const PipelineStage& stage = pipeline_.stages[instances.size()];
            std::lock_guard lock(mu_);
            if (startError_.empty())
                startError_ = stage.file + ":" + std::to_string(stage.line) + ": stage '" +
                              stage.def->id + "' refused its configuration: " + e.what();
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
        while (auto task = next()) execute(*task, instances);
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

    std::optional<Task> next() {
        std::unique_lock lock(mu_);
        for (;;) {
            if (stop_) return std::nullopt;
            if (!ready_.empty()) {
                Task t = ready_.front();
                ready_.pop_front();
                return t;
            }
            if (!pending_.empty() && inFlight_ < maxInFlight_) {
                auto job = std::make_unique<Job>(pipeline_.stages.size());
                job->item = std::move(pending_.front());
                pending_.pop_front();
                ++inFlight_;
                Job* raw = job.release();  // owned by the task chain; deleted in finish()
                return Task{raw, SAKSI_ALL_PAGES, 0};
            }
            if (sourceDone_ && pending_.empty() && inFlight_ == 0) {
                cv_.notify_all();
                return std::nullopt;
            }
            cv_.wait(lock);
        }
    }

    void push(Task task, bool front) {
        {
            std::lock_guard lock(mu_);
            front ? ready_.push_front(task) : ready_.push_back(task);
        }
        cv_.notify_one();
    }

    void execute(const Task& task, std::vector<std::unique_ptr<Instance>>& instances) {
        Job& job = *task.job;
        if (task.page != SAKSI_ALL_PAGES) {
            for (std::size_t i : runs_[task.run].stages) runStage(job, i, task.page, *instances[i]);
            if (--job.pagesLeft == 0) push({&job, SAKSI_ALL_PAGES, task.run + 1}, true);
            return;
        }
        if (!job.doc) {
            try {
                intake(job);
            } catch (const std::exception& e) {
                return abandon(job, e);
            }
            if (job.duplicate || job.skipped) return finish(job);
        }
        for (job.nextRun = task.run; job.nextRun < runs_.size(); ++job.nextRun) {
            const Run& run = runs_[job.nextRun];
            if (run.pageScope) {
                const std::size_t pages = job.doc->pageCount();
                if (job.failed || pages == 0) continue;
                job.pagesLeft = pages;
                for (uint32_t p = 0; p < pages; ++p) push({&job, p, job.nextRun}, false);
                return;  // the last page continues the document
            }
            bool hasDecoder = false, checked = false;
            for (std::size_t i : run.stages) {
                const auto kind = pipeline_.stages[i].def->abi.kind;
                // A sink right after the decoders (no page stage between)
                // must see the decoding's verdict in the record's status.
                if (kind == SAKSI_STAGE_SINK && hasDecoder && !checked) {
                    checkDecoded(job);
                    checked = true;
                }
                hasDecoder |= kind == SAKSI_STAGE_DECODE;
                runStage(job, i, SAKSI_ALL_PAGES, *instances[i]);
            }
            if (hasDecoder && !checked) checkDecoded(job);
        }
        finish(job);
    }

    // Hashes the document, then decides before any decoding whether this run
    // has anything to do with it (ledger), and records that it was received.
    void intake(Job& job) {
        job.doc = std::make_unique<Document>(job.item, options_.outDir);
        if (job.doc->hasErrors()) job.failed = true;
        const std::string& id = job.doc->id();
        const std::string source = absoluteSource(job);
        {
            std::lock_guard lock(mu_);
            if (!job.failed && !seenIds_.insert(id).second) job.duplicate = true;
        }
        if (job.duplicate) {
            spdlog::info("skipped {}: same content as an earlier file ({})", job.item.display(),
                         id);
            audit_.append("skipped", id,
                          {{"source", source}, {"reason", "same content as an earlier file"}});
            return;
        }
        if (const auto done = alreadyDone(id)) {
            job.skipped = true;
            job.skippedStatus = done->status;
            spdlog::info("skipped {}: already {} under this pipeline ({})", job.item.display(),
                         done->status, id);
            audit_.append("skipped", id,
                          {{"source", source},
                           {"reason", "already " + done->status + " under this pipeline"},
                           {"pipeline_hash", pipeline_.hash}});
            return;
        }
        LedgerEntry entry;
        entry.id = id;
        entry.sourcePath = source;
        entry.container = job.item.container.dump();
        entry.size = job.doc->bytes().size();
        // An unreadable input has no content hash.
        entry.sha256 = job.doc->hasBytes() ? id : "";
        entry.pipelineHash = pipeline_.hash;
        entry.startedAt = utcNow();
        ledger_.begin(entry);
        nlohmann::json received = {{"source", source},
                                   {"size", entry.size},
                                   {"sha256", entry.sha256},
                                   {"media_type", job.doc->mediaType()}};
        if (!job.item.container.empty()) received["container"] = job.item.container;
        audit_.append("received", id, received);
    }

    static std::string absoluteSource(const Job& job) { return job.item.sourcePath; }

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
        return entry;
    }

    std::filesystem::path recordPath(const std::string& id, bool failed) const {
        return options_.outDir / (failed ? "failed" : "records") / (id + ".json");
    }

    // After the sinks: the record is durable, so say so in the audit log and
    // the ledger, in that order (a kill between them only redoes the document).
    void recordOutcome(Job& job, const std::string& status, const nlohmann::json& codes) {
        namespace fs = std::filesystem;
        const std::string& id = job.doc->id();
        const std::string source = absoluteSource(job);
        audit_.append("processed", id,
                      {{"source", source},
                       {"status", status},
                       {"error_codes", codes},
                       {"pages", job.doc->pageCount()},
                       {"pipeline", {{"name", pipeline_.name}, {"hash", pipeline_.hash}}}});
        const bool failed = status == "failed";
        const fs::path record = recordPath(id, failed);
        std::error_code ec;
        std::string ledgerStatus = status;
        nlohmann::json ledgerCodes = codes;
        if (fs::is_regular_file(record, ec)) {
            audit_.append(failed ? "failed" : "written", id,
                          {{"source", source},
                           {"record", record.lexically_relative(options_.outDir).string()},
                           {"record_sha256", sha256Hex(MappedFile(record).bytes())}});
            // Exactly one record per document: drop the other folder's copy
            // left by an earlier run with the other outcome.
            fs::remove(recordPath(id, !failed), ec);
        } else {
            ledgerStatus = "failed";
            if (ledgerCodes.empty()) ledgerCodes.push_back("output.missing");
            audit_.append("failed", id,
                          {{"source", source},
                           {"record", nullptr},
                           {"reason", "no sink wrote a record"},
                           {"error_codes", ledgerCodes}});
        }
        for (const char* ext : {".json", ".pdf"}) {
            const fs::path redacted = options_.outDir / "redacted" / (id + ext);
            if (!fs::is_regular_file(redacted, ec)) continue;
            audit_.append("written", id,
                          {{"source", source},
                           {"record", redacted.lexically_relative(options_.outDir).string()},
                           {"record_sha256", sha256Hex(MappedFile(redacted).bytes())}});
        }
        ledger_.finish(id, ledgerStatus, ledgerCodes.dump(), utcNow());
    }

    // The ledger or audit log failed: nothing more can be recorded
    // truthfully, so the run stops (the documents in flight are redone by
    // the next run). Takes the job's ownership.
    void abandon(Job& job, const std::exception& e) {
        std::unique_ptr<Job> owned(&job);
        removeTemporary(job.item);
        spdlog::error("{}: {}", job.item.display(), e.what());
        {
            std::lock_guard lock(mu_);
            if (fatalError_.empty()) fatalError_ = e.what();
            stop_ = true;
        }
        cv_.notify_all();
    }

    void checkDecoded(Job& job) {
        if (job.failed) return;
        if (job.doc->bytes().empty()) {
            job.doc->addError("intake", "input.empty", "The file is empty (0 bytes).");
            job.failed = true;
        } else if (!job.decoderRan) {
            job.doc->addError("intake", "input.unsupported_type",
                              "No decode stage of pipeline '" + pipeline_.name +
                                  "' accepts media type " + job.doc->mediaType() + ".");
            job.failed = true;
        } else if (job.doc->pageCount() == 0) {
            job.doc->addError("intake", "document.empty", "Decoding produced no pages.");
            job.failed = true;
        }
    }

    void runStage(Job& job, std::size_t index, uint32_t page, Instance& instance) {
        const StageDef& def = *pipeline_.stages[index].def;
        if (def.abi.kind == SAKSI_STAGE_SINK && !job.finalized) finalize(job);
        if (job.failed && def.abi.kind != SAKSI_STAGE_SINK) return;
        if (!def.accepts(job.doc->mediaType())) return;
        if (def.abi.kind == SAKSI_STAGE_DECODE) job.decoderRan = true;
        StageCall call{job.doc.get(), &def, page, def.id + "@" + def.plugin->version, 0};
        char err[1024] = "";
        const auto t0 = Clock::now();
        const int32_t status =
            def.abi.process(instance.get(), call.handle(), page, err, sizeof err);
        job.stageMicros[index] +=
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
        job.doc->endCall(page);
        if (status == SAKSI_OK) return;
        if (call.errorsAdded == 0)
            job.doc->addError(def.id, "stage.failed",
                              *err ? std::string(err) : "the stage failed without a reason");
        if (def.abi.kind == SAKSI_STAGE_DECODE) job.failed = true;
    }

    void finalize(Job& job) {
        nlohmann::json stages = nlohmann::json::array();
        for (std::size_t i = 0; i < pipeline_.stages.size(); ++i) {
            const StageDef& def = *pipeline_.stages[i].def;
            stages.push_back({{"id", def.id},
                              {"plugin", def.plugin->name},
                              {"version", def.plugin->version},
                              {"ms", static_cast<double>(job.stageMicros[i].load()) / 1000.0}});
        }
        job.doc->finalize(job.failed,
                          {{"saksi_version", SAKSI_VERSION},
                           {"pipeline", {{"name", pipeline_.name}, {"hash", pipeline_.hash}}},
                           {"stages", stages},
                           {"processed_at", utcNow()}});
        job.finalized = true;
    }

    void finish(Job& job) {
        std::unique_ptr<Job> owned(&job);
        Outcome outcome;
        outcome.id = job.doc->id();
        if (job.skipped) {
            outcome.skipped = true;
            outcome.status = job.skippedStatus;
            std::lock_guard lock(mu_);
            summary_.skipped++;
            if (job.skippedStatus != "ok") summary_.skippedNotOk++;
        } else if (!job.duplicate) {
            if (!job.finalized) finalize(job);
            outcome.status = job.doc->status();
            outcome.errorCodes = job.doc->errorCodes();
            outcome.pages = job.doc->pageCount();
            try {
                recordOutcome(job, outcome.status, outcome.errorCodes);
            } catch (const std::exception& e) {
                owned.release();
                return abandon(job, e);
            }
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
        owned.reset();  // frees the document's pages before the callback
        removeTemporary(outcome.item);
        if (options_.onOutcome) options_.onOutcome(outcome);
        {
            std::lock_guard lock(mu_);
            --inFlight_;
        }
        cv_.notify_all();
    }

    const Pipeline& pipeline_;
    const PluginHost& host_;
    InputSource& source_;
    const RunOptions& options_;
    Ledger& ledger_;
    AuditLog& audit_;
    std::vector<Run> runs_;

    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Task> ready_;
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

}  // namespace

RunSummary runPipeline(const Pipeline& pipeline, const PluginHost& host, InputSource& source,
                       const RunOptions& options) {
    std::filesystem::create_directories(options.outDir);
    removeLeftoverTemps(options.outDir, options.leftoverTempMinAge);
    std::unique_ptr<Ledger> ownLedger;
    if (!options.ledger) ownLedger = openSqliteLedger(options.outDir / "ledger.sqlite");
    std::optional<AuditLog> ownAudit;
    if (!options.audit) {
        const auto auditFile =
            options.auditLog.empty() ? options.outDir / "audit.jsonl" : options.auditLog;
        std::filesystem::create_directories(auditFile.parent_path());
        ownAudit.emplace(auditFile);
    }
    Scheduler scheduler(pipeline, host, source, options,
                        options.ledger ? *options.ledger : *ownLedger,
                        options.audit ? *options.audit : *ownAudit);
    return scheduler.run();
}

}  // namespace saksi
