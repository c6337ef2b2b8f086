#include "cli.hpp"
#include "engine.hpp"
#include "output_lock.hpp"
#include "paths.hpp"
#include "pipeline.hpp"
#include "progress.hpp"

#include <spdlog/spdlog.h>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

namespace saksi::cli {
namespace {

// One password per line (a trailing CR dropped, empty lines skipped).
nlohmann::json readPasswords(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read the password file " + file);
    nlohmann::json passwords = nlohmann::json::array();
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) passwords.push_back(line);
    }
    if (passwords.empty()) throw std::runtime_error("the password file " + file + " is empty");
    return passwords;
}

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
        "retry-failed",
        "redo documents the ledger has as failed (partial ones keep their record), and those "
        "whose redacted copies are missing")(
        "password-file", po::value<std::string>(),
        "passwords to try on encrypted PDFs, one per line (never logged)")(
        "inputs", po::value<std::vector<std::string>>()->composing(), "files and folders");
    po::positional_options_description positional;
    positional.add("inputs", -1);
    Context ctx;
    const char* usage =
        "Usage: saksi process PATH... --out DIR [--pipeline NAME|FILE] [--jobs N]\n"
        "                     [--retry-failed] [--timeout SECONDS] [--password-file FILE]\n\n"
        "Processes files and folders (recursively) and writes DIR/records/<sha256>.json\n"
        "for each document, or DIR/failed/<sha256>.json when it could not be read.\n"
        "Every path met in a folder gets an outcome: a link inside a folder is not\n"
        "followed (input.symlink, input.symlink_loop, input.symlink_broken), a FIFO or\n"
        "device is not read (input.not_regular), an unlistable folder fails\n"
        "(input.unreadable); hidden names are left out. DIR must not be an input\n"
        "folder or inside one. DIR is locked (DIR/.saksi.lock) while it runs: another\n"
        "process or watch of DIR exits 2 at once, naming it.\n"
        "Archives (zip, tar, tar.gz/bz2/xz/zst, 7z, rar, cpio) are expanded, nested ones\n"
        "too, within the [archive] limits of saksi.toml: each member is a document\n"
        "whose record names its archive chain in source.container; an unsafe member\n"
        "(a link, a path with \"..\" or absolute) or one past a limit gets a failure\n"
        "record. Members are copied to DIR/.work/ while processed, never elsewhere.\n"
        "Every document goes into DIR/ledger.sqlite and every action into the hash-\n"
        "chained DIR/audit.jsonl. Resumable: a document the ledger has as ok, partial\n"
        "or failed under the same pipeline (and whose record is still there) is\n"
        "skipped, so re-running the same command after an interruption finishes the\n"
        "batch; --retry-failed redoes the failed ones, and remakes redacted copies lost\n"
        "since (e.g. deleted or never written on a full disk). Exit code 3 when any document\n"
        "of the batch is not ok, skipped ones included. An encrypted PDF fails with\n"
        "pdf.encrypted unless a line of --password-file opens it; after adding a\n"
        "password, re-run with --retry-failed.\n\n"
        "On a terminal a progress line (files, pages, pages/s, ETA, failures) is\n"
        "redrawn on stderr; otherwise a progress log line comes every 10 s.\n\n"
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
        return usageError("process", "no input files or folders given.");
    }
    const std::filesystem::path out = ctx.vm["out"].as<std::string>();
    try {
        nlohmann::json overrides = nlohmann::json::object();
        if (ctx.vm.count("password-file"))
            overrides["passwords"] = readPasswords(ctx.vm["password-file"].as<std::string>());
        const Pipeline pipeline =
            loadPipeline(resolvePipeline(ctx.vm["pipeline"].as<std::string>(), pipelineDir()),
                         ctx.host, overrides);
        FileListSource files(collectInputs(ctx.vm["inputs"].as<std::vector<std::string>>(), out));
        const OutputLock lock(out);
        ArchiveSource source(files, ctx.settings.archive, out / ".work");
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
        options.pageTimeoutSeconds = ctx.settings.pageTimeoutSeconds;
        spdlog::info(
            "pipeline {} ({} stages), {} inputs, {} workers", pipeline.name, pipeline.stages.size(),
            files.size(),
            options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency()));
        const StopOnSignal stop(source);
        RunSummary s;
        {
            Progress progress(Progress::styleFor(ctx.vm.count("log-json") > 0), files.size());
            options.onOutcome = [&progress](const Outcome& outcome) { progress.add(outcome); };
            s = runPipeline(pipeline, ctx.host, source, options);
        }
        printSummary(s, out);
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
