// saksi status: progress of a distributed run, from the ledger and the stream.
#include "cli.hpp"
#include "job_queue.hpp"
#include "ledger.hpp"
#include "utc_time.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <iostream>

namespace saksi::cli {
namespace {

// Throughput is measured over the documents finished in this window.
constexpr long kWindowSeconds = 300;

}  // namespace

int cmdStatus(int argc, char** argv) {
    po::options_description opts("Options for status");
    opts.add_options()("queue", po::value<std::string>()->required(),
                       "Redis holding the job stream: redis://HOST:PORT[/DB]")(
        "ledger", po::value<std::string>()->required(),
        "the shared ledger: postgresql://USER@HOST:PORT/DB")(
        "stream", po::value<std::string>()->default_value(JobQueue::kDefaultStream),
        "the job stream's key")("json", "print one JSON object");
    Context ctx;
    const char* usage =
        "Usage: saksi status --queue redis://HOST:PORT --ledger postgresql://... [--json]\n\n"
        "Progress of a distributed run across all workers:\n"
        "  queued       documents in the ledger waiting for a worker\n"
        "  running      documents a worker has begun and not finished\n"
        "  pending      jobs delivered to a worker and not acknowledged (Redis)\n"
        "  done         documents finished ok or partial\n"
        "  failed       documents finished with a failure record\n"
        "  pages_per_s  pages finished per second over the last 5 minutes\n"
        "  eta          seconds until queued and running documents are done at the\n"
        "               current rate (null when nothing finished lately)\n"
        "With --json, one object with exactly these keys (counts are integers,\n"
        "pages_per_s a number, eta a number or null).";
    if (int rc = parse(argc, argv, "status", opts, {}, usage, ctx); rc >= 0) return rc;
    try {
        const auto ledger = openLedger(ctx.vm["ledger"].as<std::string>());
        JobQueue queue(ctx.vm["queue"].as<std::string>(), ctx.vm["stream"].as<std::string>());
        auto counts = ledger->statusCounts();
        const QueueCounts q = queue.counts();
        const std::size_t queued = counts["queued"], running = counts["running"];
        const std::size_t done = counts["ok"] + counts["partial"], failed = counts["failed"];

        // Rates over the documents finished in the window, from the earliest
        // start among them (or the window's start) until now.
        const std::time_t now = std::time(nullptr);
        std::time_t from = now;
        std::size_t pages = 0, documents = 0;
        for (const LedgerEntry& e : ledger->finishedSince(utcSecondsAgo(kWindowSeconds))) {
            pages += e.pages;
            ++documents;
            if (const auto started = parseUtc(e.startedAt)) from = std::min(from, *started);
        }
        from = std::max(from, now - kWindowSeconds);
        const double span = std::max<double>(1.0, static_cast<double>(now - from));
        const double pagesPerSecond = documents ? static_cast<double>(pages) / span : 0.0;
        const double documentsPerSecond = static_cast<double>(documents) / span;
        const std::size_t remaining = queued + running;
        nlohmann::json eta = nullptr;
        if (remaining == 0)
            eta = 0;
        else if (documentsPerSecond > 0)
            eta = std::round(static_cast<double>(remaining) / documentsPerSecond);

        if (ctx.vm.count("json")) {
            const nlohmann::json j = {{"queued", queued},
                                      {"running", running},
                                      {"pending", q.pending},
                                      {"done", done},
                                      {"failed", failed},
                                      {"pages_per_s", std::round(pagesPerSecond * 1000) / 1000},
                                      {"eta", eta}};
            std::printf("%s\n", j.dump().c_str());
            return kExitOk;
        }
        std::printf(
            "queued       %zu\nrunning      %zu\npending      %zu\ndone         %zu\n"
            "failed       %zu\npages_per_s  %.2f\n",
            queued, running, q.pending, done, failed, pagesPerSecond);
        if (eta.is_null())
            std::printf("eta          unknown (nothing finished in the last %ld s)\n",
                        kWindowSeconds);
        else
            std::printf("eta          %.0f s\n", eta.get<double>());
        return kExitOk;
    } catch (const std::exception& e) {
        std::cerr << "saksi status: " << e.what() << "\n";
        return kExitUsage;
    }
}

}  // namespace saksi::cli
