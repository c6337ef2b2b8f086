// saksi enqueue: one job per document in a Redis stream, each registered in
// the shared ledger, for `saksi worker`s on any number of machines.
#include "archive_reader.hpp"
#include "cli.hpp"
#include "hashing.hpp"
#include "intake.hpp"
#include "job_queue.hpp"
#include "ledger.hpp"
#include "mapped_file.hpp"
#include "media_type.hpp"
#include "utc_time.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <set>

namespace saksi::cli {

int cmdEnqueue(int argc, char** argv) {
    po::options_description opts("Options for enqueue");
    opts.add_options()("queue", po::value<std::string>()->required(),
                       "Redis holding the job stream: redis://HOST:PORT[/DB]")(
        "ledger", po::value<std::string>()->required(),
        "the shared ledger: postgresql://USER@HOST:PORT/DB")(
        "stream", po::value<std::string>()->default_value(JobQueue::kDefaultStream),
        "the job stream's key")("inputs", po::value<std::vector<std::string>>()->composing(),
                                "files and folders");
    po::positional_options_description positional;
    positional.add("inputs", -1);
    Context ctx;
    const char* usage =
        "Usage: saksi enqueue PATH... --queue redis://HOST:PORT --ledger postgresql://...\n"
        "                     [--stream saksi:jobs]\n\n"
        "Walks files and folders as `saksi process` does and adds one job per document\n"
        "to the Redis stream, for `saksi worker` on any machine that sees the same\n"
        "paths (a shared filesystem). Each document is registered in the ledger as\n"
        "queued under its SHA-256; a document the ledger already knows (queued, running\n"
        "or finished) is not added again, so enqueuing the same inputs twice adds\n"
        "nothing. An archive is one job without a ledger row of its own: the worker\n"
        "that takes it expands it and registers each member; enqueued again, it is\n"
        "added again and its members already done are skipped.";
    if (int rc = parse(argc, argv, "enqueue", opts, positional, usage, ctx); rc >= 0) return rc;
    if (!ctx.vm.count("inputs")) {
        return usageError("enqueue", "no input files or folders given.");
    }
    try {
        const auto ledger = openLedger(ctx.vm["ledger"].as<std::string>());
        JobQueue queue(ctx.vm["queue"].as<std::string>(), ctx.vm["stream"].as<std::string>());
        queue.ensureGroup();
        std::size_t added = 0, known = 0, repeated = 0, unreadable = 0;
        std::set<std::string> seen;
        for (const InputItem& item :
             collectInputs(ctx.vm["inputs"].as<std::vector<std::string>>(), {})) {
            // No path: refused at intake (a link, a FIFO...); a worker writes
            // its failure record.
            const std::filesystem::path& file = item.path;
            LedgerEntry entry;
            bool archive = false;
            try {
                if (std::filesystem::file_size(file) == 0) {
                    entry.sha256 = sha256Hex(std::string_view());
                } else {
                    const MappedFile mapped(file);
                    const auto bytes = mapped.bytes();
                    entry.sha256 = sha256Hex(bytes);
                    entry.size = std::filesystem::file_size(file);
                    archive = isArchiveMediaType(detectMediaType(
                        bytes.first(std::min<std::size_t>(bytes.size(), 256 * 1024))));
                }
                entry.id = entry.sha256;
            } catch (const std::exception& e) {
                // No content hash: keyed by its path as its failure record will be.
                spdlog::warn("{}: {}; a worker will give it a failure record", item.display(),
                             e.what());
                entry.id = sha256Hex("unreadable:" + item.sourcePath);
                ++unreadable;
            }
            if (!seen.insert(entry.id).second) {
                ++repeated;
                continue;
            }
            // An archive is no document of its own: its members get their
            // rows when a worker expands it, so it has no row to be known
            // by and is added again on every enqueue (its members done are
            // skipped).
            if (!archive && ledger->lookup(entry.id)) {
                ++known;
                continue;
            }
            entry.sourcePath = item.sourcePath;
            entry.startedAt = utcNow();
            // The job first, then the row: a kill between them leaves a job
            // the ledger does not know, which the next enqueue adds again
            // (harmless: a document already done is skipped by the worker),
            // never a queued row without a job.
            queue.add(entry.id, item);
            if (!archive) ledger->enqueue(entry);
            ++added;
        }
        std::printf("%zu jobs added to %s", added, queue.stream().c_str());
        if (known) std::printf(", %zu already in the ledger", known);
        if (repeated) std::printf(", %zu repeated content", repeated);
        if (unreadable) std::printf(", %zu unreadable", unreadable);
        std::printf("\n");
        return kExitOk;
    } catch (const std::exception& e) {
        std::cerr << "saksi enqueue: " << e.what() << "\n";
        return kExitUsage;
    }
}

}  // namespace saksi::cli
