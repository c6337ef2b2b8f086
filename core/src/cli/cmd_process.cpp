#include "cli.hpp"
#include "engine.hpp"
#include "paths.hpp"
#include "pipeline.hpp"

#include <spdlog/spdlog.h>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <iostream>
#include <thread>

namespace saksi::cli {
namespace {

// While it lives, SIGINT and SIGTERM cancel the source: no new document
// starts, the ones in flight finish, and the run returns normally. Blocked
// in every thread (threads inherit the mask; so do worker processes, which
// unblock them for themselves).
class StopOnSignal {
public:
    explicit StopOnSignal(InputSource& source) {
        sigemptyset(&signals_);
        sigaddset(&signals_, SIGINT);
        sigaddset(&signals_, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
        thread_ = std::thread([this, &source] {
            const timespec tick{0, 200'000'000};
            while (!done_) {
                const int sig = sigtimedwait(&signals_, nullptr, &tick);
                if (sig <= 0) continue;
                if (stopping_) {
                    // A second signal: stop now, as a kill would (the next
                    // run redoes the documents in flight).
                    spdlog::warn("second signal: stopping now");
                    ::signal(sig, SIG_DFL);
                    pthread_sigmask(SIG_UNBLOCK, &signals_, nullptr);
                    ::raise(sig);
                }
                stopping_ = true;
                spdlog::warn(
                    "{}: finishing the documents in flight, then stopping (signal "
                    "again to stop at once)",
                    sig == SIGINT ? "SIGINT" : "SIGTERM");
                source.cancel();
            }
        });
    }
    StopOnSignal(const StopOnSignal&) = delete;
    StopOnSignal& operator=(const StopOnSignal&) = delete;
    ~StopOnSignal() {
        done_ = true;
        thread_.join();
        pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    }

private:
    sigset_t signals_{}, previous_{};
    std::atomic<bool> done_{false};
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace

int cmdProcess(int argc, char** argv) {
    po::options_description opts("Options for process");
    opts.add_options()("out,o", po::value<std::string>()->required(), "output folder (created)")(
        "pipeline,p", po::value<std::string>()->default_value("evidence"),
        "pipeline name (from pipelines/) or a .toml file")(
        "jobs,j", po::value<unsigned>()->default_value(0),
        "worker processes (each runs one document at a time); 0 means one per core")(
        "timeout", po::value<unsigned>(),
        "seconds a document may take before its worker is stopped (default: [worker] "
        "document_timeout_seconds in saksi.toml, 600)")(
        "retry-failed", "redo documents the ledger has as failed (partial ones keep their record)")(
        "inputs", po::value<std::vector<std::string>>()->composing(), "files and folders");
    po::positional_options_description positional;
    positional.add("inputs", -1);
    Context ctx;
    const char* usage =
        "Usage: saksi process PATH... --out DIR [--pipeline NAME|FILE] [--jobs N]\n"
        "                     [--retry-failed] [--timeout SECONDS]\n\n"
        "Processes files and folders (recursively) and writes DIR/records/<sha256>.json\n"
        "for each document, or DIR/failed/<sha256>.json when it could not be read.\n"
        "Every document goes into DIR/ledger.sqlite and every action into the hash-\n"
        "chained DIR/audit.jsonl. Resumable: a document the ledger has as ok, partial\n"
        "or failed under the same pipeline (and whose record is still there) is\n"
        "skipped, so re-running the same command after an interruption finishes the\n"
        "batch; --retry-failed redoes the failed ones. Exit code 3 when any document\n"
        "of the batch is not ok, skipped ones included.\n\n"
        "Documents run in worker processes: a worker that crashes, takes longer than\n"
        "the timeout or passes its memory limit ([worker] in saksi.toml) is replaced,\n"
        "and its document gets a failure record (worker.crashed, worker.timeout,\n"
        "memory.limit). SIGINT or SIGTERM stops taking documents, lets the ones in\n"
        "flight finish and exits (a second one stops at once); the same command\n"
        "resumes.";
    // "inputs" is positional only: keep it out of the help listing.
    po::options_description all(opts);
    if (int rc = parse(argc, argv, "process", all, positional, usage, ctx); rc >= 0) return rc;
    if (!ctx.vm.count("inputs")) {
        std::cerr
            << "saksi process: no input files or folders given.\nTry `saksi process --help`.\n";
        return kExitUsage;
    }
    const std::filesystem::path out = ctx.vm["out"].as<std::string>();
    try {
        const Pipeline pipeline = loadPipeline(
            resolvePipeline(ctx.vm["pipeline"].as<std::string>(), pipelineDir()), ctx.host);
        FileListSource source(collectInputs(ctx.vm["inputs"].as<std::vector<std::string>>(), out));
        RunOptions options;
        options.outDir = out;
        options.jobs = ctx.vm["jobs"].as<unsigned>();
        options.retryFailed = ctx.vm.count("retry-failed") > 0;
        options.documentTimeoutSeconds = ctx.vm.count("timeout")
                                             ? ctx.vm["timeout"].as<unsigned>()
                                             : ctx.settings.documentTimeoutSeconds;
        if (options.documentTimeoutSeconds == 0) {
            std::cerr << "saksi process: --timeout must be at least 1 second.\n";
            return kExitUsage;
        }
        options.memoryLimitMb = ctx.settings.memoryLimitMb;
        spdlog::info(
            "pipeline {} ({} stages), {} inputs, {} workers", pipeline.name, pipeline.stages.size(),
            source.size(),
            options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency()));
        const StopOnSignal stop(source);
        const RunSummary s = runPipeline(pipeline, ctx.host, source, options);
        std::printf("%zu documents in %.1f s: %zu ok, %zu partial, %zu failed", s.documents(),
                    s.seconds, s.ok, s.partial, s.failed);
        if (s.skipped) std::printf(", %zu skipped (already done)", s.skipped);
        if (s.duplicates) std::printf(", %zu duplicates skipped", s.duplicates);
        std::printf("; %zu pages, %.2f pages/s\n", s.pages,
                    s.seconds > 0 ? double(s.pages) / s.seconds : 0.0);
        if (!s.errorCodes.empty()) {
            std::vector<std::pair<std::size_t, std::string>> top;
            for (const auto& [code, n] : s.errorCodes) top.emplace_back(n, code);
            std::sort(top.rbegin(), top.rend());
            std::printf("errors:");
            for (std::size_t i = 0; i < top.size() && i < 5; ++i)
                std::printf(" %s x%zu", top[i].second.c_str(), top[i].first);
            std::printf("\n");
        }
        std::printf("records in %s\n", std::filesystem::absolute(out).lexically_normal().c_str());
        return s.partial + s.failed + s.skippedNotOk == 0 ? kExitOk : kExitDocumentsFailed;
    } catch (const ConfigError& e) {
        std::cerr << "saksi process: " << e.what() << "\n";
        return kExitUsage;
    } catch (const std::runtime_error& e) {
        std::cerr << "saksi process: " << e.what() << "\n";
        return kExitUsage;
    }
}

}  // namespace saksi::cli
