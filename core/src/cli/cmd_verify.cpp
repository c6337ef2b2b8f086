#include "audit_log.hpp"
#include "cli.hpp"

#include <cstdio>
#include <iostream>

namespace saksi::cli {

int cmdVerify(int argc, char** argv) {
    po::options_description opts("Options for verify");
    opts.add_options()("dir", po::value<std::string>(), "output folder");
    po::positional_options_description positional;
    positional.add("dir", 1);
    Context ctx;
    const char* usage =
        "Usage: saksi verify DIR\n\n"
        "Checks an output folder of `saksi process` or `saksi watch`: every line of\n"
        "DIR/audit.jsonl carries the SHA-256 of the line before it; every file in\n"
        "DIR/records, DIR/failed and DIR/redacted has the SHA-256 its last \"written\"\n"
        "or \"failed\" line says; every original still reachable (at its path in\n"
        "DIR/ledger.sqlite, or where a \"moved\" line of `saksi watch` put it) has its\n"
        "recorded SHA-256 (an original no longer there is noted, not a failure); for\n"
        "an archive member, the archive it came from is re-hashed.\n"
        "Prints each break with its file, line and expected vs found hash.\n\n"
        "Exit codes: 0 all is well; 3 something is broken; 2 DIR is not an output folder.";
    if (int rc = parse(argc, argv, "verify", opts, positional, usage, ctx); rc >= 0) return rc;
    if (!ctx.vm.count("dir")) {
        std::cerr << "saksi verify: no output folder given.\nTry `saksi verify --help`.\n";
        return kExitUsage;
    }
    const std::filesystem::path dir = ctx.vm["dir"].as<std::string>();
    VerifyReport report;
    try {
        report = verifyOutput(dir);
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
