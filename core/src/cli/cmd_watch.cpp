#include "audit_log.hpp"
#include "cli.hpp"
#include "engine.hpp"
#include "output_lock.hpp"
#include "paths.hpp"
#include "pipeline.hpp"
#include "progress.hpp"
#include "watch_source.hpp"

#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace saksi::cli {

namespace {

namespace fs = std::filesystem;

std::atomic<InputSource*> stopTarget{nullptr};

// SIGTERM or SIGINT: take no new files. The handler resets itself, so a
// second signal ends the process at once (the next start redoes whatever
// was in flight).
extern "C" void onStopSignal(int) {
    if (InputSource* source = stopTarget.load()) source->cancel();
}

void installStopHandlers() {
    struct sigaction sa {};
    sa.sa_handler = onStopSignal;
    sa.sa_flags = SA_RESTART | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
}

// Moves each original out of the inbox once its outcome is durable, and says
// so in the audit log. A duplicate (same content as an earlier file of this
// run) waits for that file's outcome: it follows it to done/ or failed/. An
// archive waits for the outcomes of everything made of it, and goes to
// failed/ (with the first failed item's record) when any of them failed.
class Mover {
public:
    Mover(WatchSource& source, AuditLog& audit) : source_(source), audit_(audit) {}

    // From ArchiveSource::onArchiveDone: how many outcomes `archive` waits for.
    void archiveRead(const InputItem& archive, std::size_t items) {
        std::optional<Archive> done;
        {
            std::lock_guard lock(mu_);
            Archive& a = archives_[archive.sourcePath];
            a.item = archive;
            a.total = items;
            if (a.finished >= items) {
                done = std::move(a);
                archives_.erase(archive.sourcePath);
            }
        }
        if (done) move(done->item, done->id, done->failed, done->record);
    }

    void operator()(const Outcome& o) {
        if (!o.item.container.empty() || tracksArchive(o.item.sourcePath)) return archiveItem(o);
        std::vector<InputItem> now;
        bool failed = false;
        {
            std::lock_guard lock(mu_);
            if (o.duplicate) {
                const auto it = finished_.find(o.id);
                if (it == finished_.end()) {
                    waiting_[o.id].push_back(o.item);
                    return;
                }
                failed = it->second;
            } else {
                failed = o.status == "failed";
                finished_[o.id] = failed;
                if (const auto w = waiting_.find(o.id); w != waiting_.end()) {
                    now = std::move(w->second);
                    waiting_.erase(w);
                }
            }
        }
        now.insert(now.begin(), o.item);
        for (const InputItem& item : now) move(item, o.id, failed, o.record);
    }

private:
    struct Archive {
        InputItem item;                    // as the watched folder gave it
        std::optional<std::size_t> total;  // known once it is read to its end
        std::size_t finished = 0;
        bool failed = false;
        std::string id;   // the first failed item's (or the last item's) document id
        fs::path record;  // the first failed item's failure record
    };

    bool tracksArchive(const std::string& sourcePath) {
        std::lock_guard lock(mu_);
        return archives_.contains(sourcePath);
    }

    void archiveItem(const Outcome& o) {
        std::optional<Archive> done;
        std::vector<InputItem> duplicates;  // files waiting for this content's outcome
        const bool failed = o.status == "failed";
        {
            std::lock_guard lock(mu_);
            if (!o.duplicate) {
                finished_[o.id] = failed;
                if (const auto w = waiting_.find(o.id); w != waiting_.end()) {
                    duplicates = std::move(w->second);
                    waiting_.erase(w);
                }
            }
            Archive& a = archives_[o.item.sourcePath];
            ++a.finished;
            if (failed && !a.failed) {
                a.failed = true;
                a.id = o.id;
                a.record = o.record;
            } else if (!a.failed) {
                a.id = o.id;
            }
            if (a.total && a.finished >= *a.total) {
                done = std::move(a);
                archives_.erase(o.item.sourcePath);
            }
        }
        for (const InputItem& item : duplicates) move(item, o.id, failed, o.record);
        if (done) move(done->item, done->id, done->failed, done->record);
    }

    void move(const InputItem& item, const std::string& id, bool failed, const fs::path& record) {
        try {
            const auto moved = source_.finish(item, failed, failed ? record : fs::path());
            if (!moved) {
                spdlog::info("{} was written again while it was processed; taking it again",
                             item.sourcePath);
                return;
            }
            nlohmann::json details = {{"source", escapedBytes(item.sourcePath)},
                                      {"to", escapedBytes(moved->to.string())},
                                      {"folder", failed ? "failed" : "done"}};
            if (!moved->failureRecord.empty())
                details["failure_record"] = moved->failureRecord.string();
            audit_.append("moved", id, details);
            spdlog::debug("moved {} to {}", item.sourcePath, moved->to.string());
        } catch (const std::exception& e) {
            // The next start takes it again, skips it (recorded) and moves it.
            spdlog::error("{} stays in the inbox: {}", item.sourcePath, e.what());
        }
    }

    WatchSource& source_;
    AuditLog& audit_;
    std::mutex mu_;
    std::map<std::string, bool> finished_;                   // id -> its original went to failed/
    std::map<std::string, std::vector<InputItem>> waiting_;  // duplicates, by id
    std::map<std::string, Archive> archives_;                // by the archive's source path
};

}  // namespace

int cmdWatch(int argc, char** argv) {
    po::options_description opts("Options for watch");
    opts.add_options()("out,o", po::value<std::string>()->required(), "output folder (created)")(
        "pipeline,p", po::value<std::string>()->default_value("evidence"),
        "pipeline name (from pipelines/) or a .toml file")(
        "jobs,j", po::value<unsigned>()->default_value(0), "worker threads; 0 means one per core")(
        "quiet", po::value<double>()->default_value(1.0),
        "seconds a file's size and modification time must stay unchanged, with no process "
        "holding it open for writing, before it is taken")("inbox", po::value<std::string>(),
                                                           "folder to watch");
    po::positional_options_description positional;
    positional.add("inbox", 1);
    Context ctx;
    const char* usage =
        "Usage: saksi watch INBOX --out DIR [--pipeline NAME|FILE] [--jobs N]\n"
        "                   [--quiet SECONDS]\n\n"
        "Processes every file put into INBOX or its subfolders into DIR, as `saksi\n"
        "process` does: the files already there at start (by path), then each file\n"
        "closed after writing or moved in, once it is complete: no process has it\n"
        "open for writing and its size and modification time have not changed for\n"
        "--quiet seconds (so a file written in several rounds is one document; a file\n"
        "still being written is never moved). Ignored: names ending in\n"
        ".part, .tmp or .crdownload, names starting with ~$ or a dot, hidden folders\n"
        "and DIR when it is inside INBOX. Once a document's record is durable its\n"
        "original is moved to INBOX/.saksi/done/, or to INBOX/.saksi/failed/ next to\n"
        "a copy of its failure record (<name>.failure.json), keeping its path below\n"
        "INBOX; a name already taken there gets -1, -2... before its extension. Each\n"
        "move is a \"moved\" line in DIR/audit.jsonl. An archive is expanded as by\n"
        "`saksi process` and moved once every member has its outcome (to failed/\n"
        "when any member failed).\n\n"
        "SIGTERM or SIGINT: no new files are taken, the documents in flight finish,\n"
        "and saksi exits 0 (a second signal stops at once). A restart takes the files\n"
        "still in INBOX again; those already recorded are skipped and moved.\n"
        "DIR is locked (DIR/.saksi.lock) while it runs: another process or watch\n"
        "of DIR exits 2 at once, naming it.\n"
        "A progress log line comes every 10 s while documents finish.";
    po::options_description all(opts);
    if (int rc = parse(argc, argv, "watch", all, positional, usage, ctx); rc >= 0) return rc;
    if (!ctx.vm.count("inbox")) {
        return usageError("watch", "no inbox folder given.");
    }
    const fs::path inbox = ctx.vm["inbox"].as<std::string>();
    const fs::path out = ctx.vm["out"].as<std::string>();
    const double quiet = ctx.vm["quiet"].as<double>();
    if (!(quiet >= 0 && quiet <= 3600))
        return usageError("watch", "--quiet must be between 0 and 3600 seconds.");
    std::error_code ec;
    if (!fs::is_directory(inbox, ec)) {
        std::cerr << "saksi watch: no such folder: " << inbox.string() << "\n";
        return kExitUsage;
    }
    {
        const fs::path in = fs::weakly_canonical(inbox), o = fs::weakly_canonical(out);
        const fs::path rel = in.lexically_relative(o);
        if (!rel.empty() && *rel.begin() != "..") {
            std::cerr << "saksi watch: the inbox must not be the output folder or inside it\n";
            return kExitUsage;
        }
    }
    try {
        const Pipeline pipeline = loadPipeline(
            resolvePipeline(ctx.vm["pipeline"].as<std::string>(), pipelineDir()), ctx.host);
        const OutputLock lock(out);
        AuditLog audit(out / "audit.jsonl");
        WatchSource files(inbox, out,
                          std::chrono::milliseconds(static_cast<long long>(quiet * 1000)));
        ArchiveSource source(files, ctx.settings.archive, out / ".work");
        RunOptions options;
        options.outDir = out;
        options.jobs = ctx.vm["jobs"].as<unsigned>();
        options.audit = &audit;
        options.documentTimeoutSeconds = ctx.settings.documentTimeoutSeconds;
        options.memoryLimitMb = ctx.settings.memoryLimitMb;
        options.pageTimeoutSeconds = ctx.settings.pageTimeoutSeconds;
        Progress progress(Progress::Style::Log, 0);
        Mover mover(files, audit);
        source.onArchiveDone = [&](const InputItem& archive, std::size_t items) {
            mover.archiveRead(archive, items);
        };
        options.onOutcome = [&](const Outcome& o) {
            progress.add(o);
            mover(o);
        };
        stopTarget.store(&source);
        installStopHandlers();
        spdlog::info(
            "watching {} with pipeline {} ({} stages), {} workers; records in {}",
            fs::canonical(inbox).string(), pipeline.name, pipeline.stages.size(),
            options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency()),
            fs::absolute(out).lexically_normal().string());
        RunSummary s;
        try {
            s = runPipeline(pipeline, ctx.host, source, options);
        } catch (...) {
            stopTarget.store(nullptr);
            throw;
        }
        stopTarget.store(nullptr);
        printSummary(s, out);
        return kExitOk;
    } catch (const ConfigError& e) {
        std::cerr << "saksi watch: " << e.what() << "\n";
        return kExitUsage;
    } catch (const std::runtime_error& e) {
        std::cerr << "saksi watch: " << e.what() << "\n";
        return kExitUsage;
    }
}

}  // namespace saksi::cli
