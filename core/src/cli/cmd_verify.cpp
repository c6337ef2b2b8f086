#include "audit_log.hpp"
#include "cli.hpp"
#include "ledger.hpp"

#include <cstdio>
#include <iostream>

namespace saksi::cli {

int cmdVerify(int argc, char** argv) {
    po::options_description opts("Options for verify");
    opts.add_options()("ledger", po::value<std::string>(),
                       "the shared ledger of a distributed run: postgresql://USER@HOST:PORT/DB")(
        "dir", po::value<std::string>(), "output folder");
    po::positional_options_description positional;
    positional.add("dir", 1);
    Context ctx;
    const char* usage =
        "Usage: saksi verify DIR [--ledger postgresql://...]\n\n"
        "Checks an output folder of `saksi process`, `saksi watch` or `saksi worker`:\n"
        "every line of DIR/audit.jsonl and of each worker's DIR/audit/<worker-id>.jsonl\n"
        "carries the SHA-256 of the line before it; every file in DIR/records,\n"
        "DIR/failed and DIR/redacted has the SHA-256 its last \"written\" or \"failed\"\n"
        "line says (with several workers' logs: one of them says); every original\n"
        "still reachable (at its path in the ledger, DIR/ledger.sqlite or --ledger, or\n"
        "where a \"moved\" line of `saksi watch` put it) has its recorded SHA-256 (an\n"
        "original no longer there is noted, not a failure); for an archive member, the\n"
        "archive it came from is re-hashed. Every document the ledger has as\n"
        "finished must have its record in DIR, and its redacted copies written after\n"
        "its last \"processed\" line; the ledger (opened read-only) must be a saksi\n"
        "ledger, not empty, and agree with the audit log (each document processed\n"
        "has its row with that status). Symbolic links in DIR (records/, audit.jsonl,\n"
        "...) are reported, not followed.\n"
        "Prints each break with its file, line and expected vs found hash.\n\n"
        "Exit codes: 0 all is well; 3 something is broken; 2 DIR is not an output folder.";
    if (int rc = parse(argc, argv, "verify", opts, positional, usage, ctx); rc >= 0) return rc;
    if (!ctx.vm.count("dir")) {
        return usageError("verify", "no output folder given.");
    }
    const std::filesystem::path dir = ctx.vm["dir"].as<std::string>();
    VerifyReport report;
    try {
        std::unique_ptr<Ledger> ledger;
        if (ctx.vm.count("ledger")) ledger = openLedger(ctx.vm["ledger"].as<std::string>());
        report = verifyOutput(dir, ledger.get());
    } catch (const std::exception& e) {
        std::cerr << "saksi verify: " << e.what() << "\n";
        return kExitUsage;
    }
    for (const auto& note : report.notes) std::printf("note: %s\n", note.c_str());
    for (const auto& b : report.broken) {
        if (b.line)
            std::printf("BROKEN %s:%zu: %s\n", b.file.c_str(), b.line, b.message.c_str());
        else
            std::printf("BROKEN %s: %s\n", b.file.c_str(), b.message.c_str());
    }
    std::printf("%s: %zu audit lines, %zu outputs, %zu originals checked; %zu broken\n",
                report.broken.empty() ? "verified" : "NOT verified", report.auditLines,
                report.outputsChecked, report.originalsChecked, report.broken.size());
    return report.broken.empty() ? kExitOk : kExitDocumentsFailed;
}

}  // namespace saksi::cli
