// saksi worker: takes jobs from the Redis stream `saksi enqueue` fills and
// processes them like `saksi process`, recording in the shared ledger.
#include "case_index.hpp"
#include "cli.hpp"
#include "engine.hpp"
#include "intake.hpp"
#include "job_queue.hpp"
#include "ledger.hpp"
#include "output_lock.hpp"
#include "paths.hpp"
#include "pipeline.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

namespace saksi::cli {
namespace {

volatile std::sig_atomic_t stopRequested = 0;

extern "C" void onWorkerStopSignal(int) {
    stopRequested = 1;
}

std::string defaultWorkerId() {
    char host[256] = "";
    if (::gethostname(host, sizeof host - 1) != 0 || !*host)
        std::snprintf(host, sizeof host, "host");
    return std::string(host) + "-" + std::to_string(::getpid());
}

bool validWorkerId(const std::string& id) {
    if (id.empty() || id.size() > 128 || id[0] == '.') return false;
    for (const char c : id)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
            return false;
    return true;
}

// Acknowledges a job once every document it became is durable: a plain
// file is one document, an archive one per member (ArchiveSource between
// the queue and the engine). ArchiveSource asks the queue for the next job
// only once it has handed out the last member of the current one, so that
// request closes the current job; a job is acknowledged when it is closed
// and none of its documents is still in flight.
class JobTracker {
public:
    explicit JobTracker(QueueSource& queue) : queue_(queue) {}

    // Between the queue and ArchiveSource.
    class Jobs : public InputSource {
    public:
        explicit Jobs(JobTracker& tracker) : tracker_(tracker) {}
        std::optional<InputItem> next() override {
            tracker_.closeCurrent();
            auto item = tracker_.queue_.next();
            if (item) tracker_.open(*item);
            return item;
        }
        void cancel() override { tracker_.queue_.cancel(); }

    private:
        JobTracker& tracker_;
    };

    // Above ArchiveSource: what the engine pulls.
    class Documents : public InputSource {
    public:
        Documents(JobTracker& tracker, InputSource& archives)
            : tracker_(tracker), archives_(archives) {}
        std::optional<InputItem> next() override {
            auto item = archives_.next();
            if (item)
                tracker_.handedOut(*item);
            else
                tracker_.closeCurrent();
            return item;
        }
        void cancel() override { archives_.cancel(); }

    private:
        JobTracker& tracker_;
        InputSource& archives_;
    };

    // The engine's outcome for a document handed out.
    void outcome(const InputItem& item) {
        std::unique_lock lock(mu_);
        const auto it = documents_.find(item.key());
        if (it == documents_.end()) return;
        const auto job = jobs_.find(it->second);
        documents_.erase(it);
        if (job == jobs_.end()) return;
        --job->second.inFlight;
        ackIfComplete(job, lock);
    }

private:
    struct Job {
        InputItem item;
        std::string key;  // item JSON
        std::size_t inFlight = 0;
        bool closed = false;
    };
    using JobIt = std::map<std::uint64_t, Job>::iterator;

    void open(const InputItem& item) {
        std::lock_guard lock(mu_);
        current_ = ++counter_;
        jobs_[current_] = Job{item, item.key(), 0, false};
    }
    void handedOut(const InputItem& item) {
        std::unique_lock lock(mu_);
        const auto job = jobs_.find(current_);
        if (job == jobs_.end()) return;
        std::string key = item.key();
        ++job->second.inFlight;
        // Not an archive: the job is this one document.
        if (key == job->second.key) job->second.closed = true;
        documents_.emplace(std::move(key), current_);
    }
    void closeCurrent() {
        std::unique_lock lock(mu_);
        const auto job = jobs_.find(current_);
        if (job == jobs_.end()) return;
        job->second.closed = true;
        ackIfComplete(job, lock);
    }
    // Called with mu_ held; acknowledges outside it (done() talks to Redis).
    // A failed acknowledgement leaves the job pending: another worker takes
    // it over and skips its documents as done.
    void ackIfComplete(JobIt job, std::unique_lock<std::mutex>& lock) {
        if (!job->second.closed || job->second.inFlight) return;
        const InputItem item = std::move(job->second.item);
        jobs_.erase(job);
        lock.unlock();
        try {
            queue_.done(item);
        } catch (const std::exception& e) {
            spdlog::error("{}: cannot acknowledge the job: {}", item.display(), e.what());
        }
    }

    QueueSource& queue_;
    std::mutex mu_;
    std::map<std::uint64_t, Job> jobs_;                    // open jobs by number
    std::multimap<std::string, std::uint64_t> documents_;  // document item JSON -> job
    std::uint64_t counter_ = 0, current_ = 0;
};

}  // namespace

int cmdWorker(int argc, char** argv) {
    po::options_description opts("Options for worker");
    opts.add_options()("queue", po::value<std::string>()->required(),
                       "Redis holding the job stream: redis://HOST:PORT[/DB]")(
        "ledger", po::value<std::string>()->required(),
        "the shared ledger: postgresql://USER@HOST:PORT/DB")(
        "out,o", po::value<std::string>()->required(), "output folder (shared by all workers)")(
        "pipeline,p", po::value<std::string>()->default_value("evidence"),
        "pipeline name (from pipelines/) or a .toml file")(
        "jobs,j", po::value<unsigned>()->default_value(0), "worker threads; 0 means one per core")(
        "claim-idle", po::value<double>()->default_value(60),
        "take over jobs a worker has held this many seconds without a sign of life")(
        "max-deliveries", po::value<unsigned>()->default_value(3),
        "a job delivered more often goes to the dead-letter stream (worker.poison)")(
        "stream", po::value<std::string>()->default_value(JobQueue::kDefaultStream),
        "the job stream's key")("worker-id", po::value<std::string>(),
                                "this worker's name (default HOSTNAME-PID)")(
        "drain", "exit once no job is left to take or take over");
    Context ctx;
    const char* usage =
        "Usage: saksi worker --queue redis://HOST:PORT --ledger postgresql://... --out DIR\n"
        "                    [--pipeline NAME|FILE] [--jobs N] [--claim-idle SECONDS]\n"
        "                    [--max-deliveries N] [--worker-id ID] [--drain]\n\n"
        "Joins the consumer group saksi-workers of the job stream and processes each\n"
        "job as `saksi process` does, writing DIR/records/<sha256>.json (or failed/)\n"
        "and recording the document in the shared ledger; a job is acknowledged only\n"
        "once its record, ledger row and audit lines are durable. Archives are expanded\n"
        "as by `saksi process` (in DIR/.work/<worker-id>/); an archive's job is\n"
        "acknowledged once every member's outcome is durable. Each worker keeps\n"
        "its own hash-chained DIR/audit/<worker-id>.jsonl. Jobs of a worker that died\n"
        "are taken over after --claim-idle seconds; a job delivered more than\n"
        "--max-deliveries times goes to the stream <stream>:dead and gets a failure\n"
        "record with worker.poison. SIGTERM or SIGINT: takes no more jobs, finishes\n"
        "those in flight, exits 0. Without --drain it runs until stopped.";
    if (int rc = parse(argc, argv, "worker", opts, {}, usage, ctx); rc >= 0) return rc;
    const std::filesystem::path out = ctx.vm["out"].as<std::string>();
    const std::string workerId =
        ctx.vm.count("worker-id") ? ctx.vm["worker-id"].as<std::string>() : defaultWorkerId();
    if (!validWorkerId(workerId)) {
        std::cerr << "saksi worker: --worker-id must be letters, digits, '-', '_' or '.' (not "
                     "first), at most 128, got '"
                  << workerId << "'\n";
        return kExitUsage;
    }
    if (ctx.vm["claim-idle"].as<double>() <= 0) {
        std::cerr << "saksi worker: --claim-idle must be more than 0 seconds\n";
        return kExitUsage;
    }
    try {
        const Pipeline pipeline = loadPipeline(
            resolvePipeline(ctx.vm["pipeline"].as<std::string>(), pipelineDir()), ctx.host);
        // Shared: the workers of a run write OUT together, but never beside
        // a `saksi process` or watch of it.
        const OutputLock lock(out, OutputLock::Mode::shared);
        const auto ledger = openLedger(ctx.vm["ledger"].as<std::string>());
        const auto caseIndex = openCaseIndex(ctx.vm["ledger"].as<std::string>());
        QueueSourceOptions qo;
        qo.url = ctx.vm["queue"].as<std::string>();
        qo.stream = ctx.vm["stream"].as<std::string>();
        qo.consumer = workerId;
        qo.claimIdleSeconds = ctx.vm["claim-idle"].as<double>();
        qo.maxDeliveries = ctx.vm["max-deliveries"].as<unsigned>();
        qo.drain = ctx.vm.count("drain") > 0;
        qo.stop = &stopRequested;
        const unsigned jobs = ctx.vm["jobs"].as<unsigned>();
        qo.maxHeld = jobs ? jobs : std::max(1u, std::thread::hardware_concurrency());
        struct sigaction action {};
        action.sa_handler = onWorkerStopSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;  // other threads' system calls go on undisturbed
        ::sigaction(SIGTERM, &action, nullptr);
        ::sigaction(SIGINT, &action, nullptr);
        QueueSource queue(qo);
        // Archives are expanded as `saksi process` does, in this worker's
        // own folder under OUT/.work (workers on other hosts share OUT).
        JobTracker tracker(queue);
        JobTracker::Jobs jobsSource(tracker);
        ArchiveSource archives(jobsSource, ctx.settings.archive, out / ".work" / workerId);
        JobTracker::Documents source(tracker, archives);

        RunOptions options;
        options.outDir = out;
        options.jobs = jobs;
        options.ledger = ledger.get();
        options.caseIndex = caseIndex.get();
        options.auditLog = out / "audit" / (workerId + ".jsonl");
        // Other workers write OUT now: a sink's temp file lives well under a
        // minute; only an older one was left by a killed worker.
        options.leftoverTempMinAge = std::chrono::minutes(10);
        options.documentTimeoutSeconds = ctx.settings.documentTimeoutSeconds;
        options.memoryLimitMb = ctx.settings.memoryLimitMb;
        options.pageTimeoutSeconds = ctx.settings.pageTimeoutSeconds;
        options.onOutcome = [&](const Outcome& outcome) {
            // The record, ledger row and audit lines are durable: now the
            // pages for throughput, then the acknowledgement (of the job's
            // last document).
            try {
                if (!outcome.skipped && !outcome.duplicate)
                    ledger->setPages(outcome.id, outcome.pages);
            } catch (const std::exception& e) {
                spdlog::error("{}: cannot record its pages: {}", outcome.item.display(), e.what());
            }
            tracker.outcome(outcome.item);
        };
        spdlog::info("worker {} on {} ({} stages), stream {}", workerId, pipeline.name,
                     pipeline.stages.size(), qo.stream);
        const RunSummary s = runPipeline(pipeline, ctx.host, source, options);
        queue.leave();
        std::printf("worker %s: %zu documents in %.1f s: %zu ok, %zu partial, %zu failed",
                    workerId.c_str(), s.documents(), s.seconds, s.ok, s.partial, s.failed);
        if (s.skipped) std::printf(", %zu skipped (already done)", s.skipped);
        if (s.duplicates) std::printf(", %zu duplicates skipped", s.duplicates);
        if (queue.reclaimed()) std::printf(", %zu taken over", queue.reclaimed());
        if (queue.poisoned()) std::printf(", %zu poison", queue.poisoned());
        std::printf("; %zu pages, %.2f pages/s\n", s.pages,
                    s.seconds > 0 ? double(s.pages) / s.seconds : 0.0);
        // Documents that are not ok are in the ledger and records; the
        // worker itself did its job.
        return kExitOk;
    } catch (const ConfigError& e) {
        std::cerr << "saksi worker: " << e.what() << "\n";
        return kExitUsage;
    } catch (const std::runtime_error& e) {
        std::cerr << "saksi worker: " << e.what() << "\n";
        return kExitUsage;
    }
}

}  // namespace saksi::cli
