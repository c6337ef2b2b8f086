// saksi export: an output folder's records as FollowTheMoney entities.
#include "cli.hpp"
#include "ftm_export.hpp"

#include <saksi/sdk/files.hpp>

#include <cstdio>
#include <iostream>
#include <sstream>

namespace saksi::cli {

int cmdExport(int argc, char** argv) {
    po::options_description opts("Options for export");
    opts.add_options()("format", po::value<std::string>()->required(),
                       "the output format: ftm (FollowTheMoney entities, JSON lines)")(
        "output,o", po::value<std::string>(), "write to FILE (atomically) instead of stdout")(
        "redacted", "export the redacted copies (DIR/redacted) only, never the full records")(
        "dir", po::value<std::string>(), "output folder");
    po::positional_options_description positional;
    positional.add("dir", 1);
    Context ctx;
    const char* usage =
        "Usage: saksi export DIR --format ftm [--output FILE] [--redacted]\n\n"
        "Writes the records of an output folder as FollowTheMoney entities, one JSON\n"
        "object a line ({\"id\", \"schema\", \"properties\"}), each id once, for Aleph\n"
        "(`alephclient write-entities`) and other FtM tools: per document a Pages, Image\n"
        "or Document entity (contentHash = SHA-1 of the original), its Page entities,\n"
        "Folder entities for the archives it came from, and its people, organisations,\n"
        "addresses, passports, NIKs, bank accounts, employment, chat messages and\n"
        "mentions. Ids are unsigned and the same on every run. Without --redacted the\n"
        "export holds every sensitive value of DIR/records (and DIR/failed); with it,\n"
        "only what the redaction policy left in DIR/redacted. See docs/ftm.md.\n"
        "Prints the count of entities per schema on stderr.\n\n"
        "Exit codes: 0 written; 2 usage error, DIR is not an output folder or a record\n"
        "cannot be read.";
    if (int rc = parse(argc, argv, "export", opts, positional, usage, ctx); rc >= 0) return rc;
    if (!ctx.vm.count("dir")) return usageError("export", "no output folder given.");
    if (ctx.vm["format"].as<std::string>() != "ftm")
        return usageError("export", "unknown --format '" + ctx.vm["format"].as<std::string>() +
                                        "' (known: ftm).");
    const std::filesystem::path dir = ctx.vm["dir"].as<std::string>();
    const bool redacted = ctx.vm.count("redacted") > 0;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir / "records", ec) &&
        !std::filesystem::is_directory(dir / "failed", ec) &&
        !std::filesystem::is_directory(dir / "redacted", ec)) {
        std::cerr << "saksi export: " << dir.string()
                  << " is not an output folder (no records/, failed/ or redacted/).\n";
        return kExitUsage;
    }
    FtmExportStats stats;
    try {
        if (ctx.vm.count("output")) {
            const std::filesystem::path file =
                std::filesystem::absolute(ctx.vm["output"].as<std::string>());
            std::ostringstream text;
            stats = exportFtm(dir, redacted, text);
            sdk::writeFileAtomically(file.parent_path(), file.filename().string(), text.str());
        } else {
            stats = exportFtm(dir, redacted, std::cout);
            std::cout.flush();
        }
    } catch (const std::exception& e) {
        std::cerr << "saksi export: " << e.what() << "\n";
        return kExitUsage;
    }
    std::size_t total = 0;
    std::string counts;
    for (const auto& [schema, n] : stats.schemata) {
        total += n;
        counts += (counts.empty() ? "" : ", ") + schema + " " + std::to_string(n);
    }
    std::fprintf(stderr, "exported %zu entities from %zu records%s%s\n", total, stats.records,
                 counts.empty() ? "" : ": ", counts.c_str());
    return kExitOk;
}

}  // namespace saksi::cli
