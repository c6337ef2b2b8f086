// saksi review DIR: the local review web app over an output folder.
#include "cli.hpp"
#include "review/review_server.hpp"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

namespace saksi::cli {
namespace {

std::string loginName() {
    if (const char* user = std::getenv("USER"); user && *user) return user;
    if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_name) return pw->pw_name;
    return "";
}

bool loopback(const std::string& address) {
    return address == "127.0.0.1" || address == "::1" || address == "localhost";
}

}  // namespace

int cmdReview(int argc, char** argv) {
    po::options_description opts("Options for review");
    opts.add_options()("port", po::value<int>()->default_value(8750),
                       "TCP port; 0 picks a free one")(
        "reviewer", po::value<std::string>(),
        "who the corrections are recorded as (default: the login name)")(
        "pipeline", po::value<std::string>(),
        "redact corrected records with this pipeline (name or .toml file) instead of the one "
        "each record names")(
        "listen-on-other-address", po::value<std::string>(),
        "serve on ADDRESS instead of 127.0.0.1: anyone who reaches it with the token can read "
        "every record (a warning is printed)")("dir", po::value<std::string>(), "output folder");
    po::positional_options_description positional;
    positional.add("dir", 1);
    Context ctx;
    const char* usage =
        "Usage: saksi review DIR [--port N] [--reviewer NAME]\n\n"
        "Serves a web app over the output folder DIR on 127.0.0.1 where a reviewer sees\n"
        "each document (page images with its words, entities and redaction boxes, the\n"
        "redacted copy beside it) and corrects it: adds a missed entity, rejects, edits\n"
        "or confirms one. A correction never edits a record: it is appended to\n"
        "DIR/revisions/<id>.jsonl (hash-chained), logged in the audit log, and the\n"
        "redacted JSON and PDF are made again from the corrected record through the\n"
        "same redaction policy and leak check; `saksi verify` checks the revisions.\n"
        "The first line on stdout is the URL to open, with a random access token:\n"
        "every request needs it (the URL, then a cookie, or Authorization: Bearer).\n"
        "See docs/review.md. Stops on SIGINT or SIGTERM.";
    if (int rc = parse(argc, argv, "review", opts, positional, usage, ctx); rc >= 0) return rc;
    if (!ctx.vm.count("dir")) return usageError("review", "no output folder given.");
    review::ReviewOptions options;
    options.outDir = ctx.vm["dir"].as<std::string>();
    std::error_code ec;
    if (!std::filesystem::is_directory(options.outDir / "records", ec) &&
        !std::filesystem::is_directory(options.outDir / "failed", ec))
        return usageError("review", options.outDir.string() +
                                        " is not an output folder (no records/ or failed/).");
    options.outDir = std::filesystem::absolute(options.outDir);
    options.port = ctx.vm["port"].as<int>();
    if (options.port < 0 || options.port > 65535)
        return usageError("review", "--port must be 0 to 65535.");
    options.reviewer =
        ctx.vm.count("reviewer") ? ctx.vm["reviewer"].as<std::string>() : loginName();
    if (options.reviewer.empty())
        return usageError("review", "no reviewer name: give --reviewer NAME.");
    if (ctx.vm.count("pipeline")) options.pipeline = ctx.vm["pipeline"].as<std::string>();
    if (ctx.vm.count("listen-on-other-address")) {
        options.bind = ctx.vm["listen-on-other-address"].as<std::string>();
        if (!loopback(options.bind))
            std::cerr << "saksi review: WARNING: serving on " << options.bind
                      << ", not 127.0.0.1: anyone who can reach this address and has the token "
                         "can read every record and correct it.\n";
    }

    // SIGINT/SIGTERM are taken by a thread that stops the server (nothing
    // else may be done in a signal handler).
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    std::unique_ptr<review::ReviewServer> server;
    try {
        server = std::make_unique<review::ReviewServer>(ctx.host, options);
        server->bind();
    } catch (const std::exception& e) {
        std::cerr << "saksi review: " << e.what() << "\n";
        return kExitUsage;
    }
    std::printf("%s\n", server->url().c_str());
    std::fflush(stdout);
    std::thread stopper([&] {
        int sig = 0;
        sigwait(&stopSignals, &sig);
        server->stop();
    });
    server->run();
    // Stopped by a signal, or the listener failed: wake the stopper either way.
    ::kill(::getpid(), SIGTERM);
    stopper.join();
    return kExitOk;
}

}  // namespace saksi::cli
