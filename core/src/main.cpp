// saksi: turns evidence documents into structured, verifiable JSON records.
#include "audit_log.hpp"
#include "engine.hpp"
#include "logging.hpp"
#include "paths.hpp"
#include "pipeline.hpp"
#include "plugin_host.hpp"
#include "settings.hpp"

#include <spdlog/spdlog.h>
#include <boost/program_options.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

namespace po = boost::program_options;
using namespace saksi;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitDocumentsFailed = 3;

constexpr const char* kUsage = R"(Usage: saksi COMMAND [OPTIONS]

Turns evidence documents into structured, verifiable JSON records.

Commands:
  process PATH... --out DIR   process files and folders (recursively) into DIR
  plugins                     list loaded plugins and their stages, and refused plugins
  pipelines                   list the available pipelines and their stages
  verify DIR                  re-hash DIR's records and originals, check its audit chain

Run `saksi COMMAND --help` for a command's options.

Exit codes: 0 every document ok; 3 some documents not ok (their records say
why), or for verify: something is broken; 2 usage or configuration error;
anything else is a bug.
)";

po::options_description commonOptions() {
    po::options_description common("Common options");
    common.add_options()("help,h", "show this help")(
        "plugin-path", po::value<std::vector<std::string>>()->composing(),
        "also load plugins from DIR (repeatable)")(
        "log-level", po::value<std::string>()->default_value("info"),
        "trace, debug, info, warn, error or off")("log-json", "log JSON lines to stderr");
    return common;
}

struct Context {
    po::variables_map vm;
    PluginHost host;
};

// Parses a command's options; returns an exit code when the command is done
// (help printed or usage error), or -1 to go on.
int parse(int argc, char** argv, const std::string& command, po::options_description visible,
          const po::positional_options_description& positional, const char* usage, Context& ctx) {
    visible.add(commonOptions());
    try {
        po::store(po::command_line_parser(argc, argv).options(visible).positional(positional).run(),
                  ctx.vm);
        if (ctx.vm.count("help")) {
            std::cout << usage << "\n" << visible << "\n";
            return kExitOk;
        }
        po::notify(ctx.vm);
        setupLogging(ctx.vm["log-level"].as<std::string>(), ctx.vm.count("log-json") > 0);
    } catch (const std::exception& e) {
        std::cerr << "saksi " << command << ": " << e.what() << "\nTry `saksi " << command
                  << " --help`.\n";
        return kExitUsage;
    }
    // Plugin folders in order: built-in, saksi.toml's plugin_paths, then
    // --plugin-path. A stage id already loaded is refused, so built-ins win.
    ctx.host.loadDirectory(builtinPluginDir());
    try {
        for (const auto& dir : loadSettings(configDir() / "saksi.toml").pluginPaths)
            ctx.host.loadDirectory(dir);
    } catch (const ConfigError& e) {
        std::cerr << "saksi " << command << ": " << e.what() << "\n";
        return kExitUsage;
    }
    if (ctx.vm.count("plugin-path"))
        for (const auto& dir : ctx.vm["plugin-path"].as<std::vector<std::string>>())
            ctx.host.loadDirectory(dir);
    return -1;
}

int cmdProcess(int argc, char** argv) {
    po::options_description opts("Options for process");
    opts.add_options()("out,o", po::value<std::string>()->required(), "output folder (created)")(
        "pipeline,p", po::value<std::string>()->default_value("evidence"),
        "pipeline name (from pipelines/) or a .toml file")(
        "jobs,j", po::value<unsigned>()->default_value(0), "worker threads; 0 means one per core")(
        "retry-failed", "redo documents the ledger has as failed (partial ones keep their record)")(
        "inputs", po::value<std::vector<std::string>>()->composing(), "files and folders");
    po::positional_options_description positional;
    positional.add("inputs", -1);
    Context ctx;
    const char* usage =
        "Usage: saksi process PATH... --out DIR [--pipeline NAME|FILE] [--jobs N]\n"
        "                     [--retry-failed]\n\n"
        "Processes files and folders (recursively) and writes DIR/records/<sha256>.json\n"
        "for each document, or DIR/failed/<sha256>.json when it could not be read.\n"
        "Every document goes into DIR/ledger.sqlite and every action into the hash-\n"
        "chained DIR/audit.jsonl. Resumable: a document the ledger has as ok, partial\n"
        "or failed under the same pipeline (and whose record is still there) is\n"
        "skipped, so re-running the same command after an interruption finishes the\n"
        "batch; --retry-failed redoes the failed ones. Exit code 3 when any document\n"
        "of the batch is not ok, skipped ones included.";
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
        const auto files = collectInputs(ctx.vm["inputs"].as<std::vector<std::string>>(), out);
        RunOptions options{out, ctx.vm["jobs"].as<unsigned>(), ctx.vm.count("retry-failed") > 0};
        spdlog::info(
            "pipeline {} ({} stages), {} files, {} workers", pipeline.name, pipeline.stages.size(),
            files.size(),
            options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency()));
        const RunSummary s = runPipeline(pipeline, ctx.host, files, options);
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

int cmdVerify(int argc, char** argv) {
    po::options_description opts("Options for verify");
    opts.add_options()("dir", po::value<std::string>(), "output folder");
    po::positional_options_description positional;
    positional.add("dir", 1);
    Context ctx;
    const char* usage =
        "Usage: saksi verify DIR\n\n"
        "Checks an output folder of `saksi process`: every line of DIR/audit.jsonl\n"
        "carries the SHA-256 of the line before it; every file in DIR/records,\n"
        "DIR/failed and DIR/redacted has the SHA-256 its last \"written\" or \"failed\"\n"
        "line says; every original still reachable at its path in DIR/ledger.sqlite\n"
        "has its recorded SHA-256 (an original no longer there is noted, not a\n"
        "failure). Prints each break with its file, line and expected vs found hash.\n\n"
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

int cmdPlugins(int argc, char** argv) {
    Context ctx;
    const char* usage =
        "Usage: saksi plugins [--plugin-path DIR]...\n\n"
        "Lists the loaded plugins with their versions and stages, and each refused\n"
        "library with the reason. Plugins load from ";
    const std::string fullUsage = std::string(usage) + builtinPluginDir().string() +
                                  ", then the folders in " + (configDir() / "saksi.toml").string() +
                                  " (plugin_paths), then each --plugin-path.";
    if (int rc = parse(argc, argv, "plugins", po::options_description("Options for plugins"), {},
                       fullUsage.c_str(), ctx);
        rc >= 0)
        return rc;
    std::printf("loaded:\n");
    for (const auto& plugin : ctx.host.plugins()) {
        std::printf("  %s %s  %s\n", plugin->name.c_str(), plugin->version.c_str(),
                    plugin->path.c_str());
        for (const auto& stage : plugin->stages) {
            std::string media;
            for (const auto& m : stage.mediaTypes) media += (media.empty() ? "" : ",") + m;
            std::printf(
                "    %-24s %s/%s%s%s\n", stage.id.c_str(), std::string(stage.kindName()).c_str(),
                std::string(stage.scopeName()).c_str(), media.empty() ? "" : ("  " + media).c_str(),
                stage.description.empty() ? "" : ("  - " + stage.description).c_str());
        }
    }
    if (ctx.host.refused().empty()) {
        std::printf("refused: none\n");
    } else {
        std::printf("refused:\n");
        for (const auto& r : ctx.host.refused())
            std::printf("  %s: %s\n", r.path.c_str(), r.reason.c_str());
    }
    return kExitOk;
}

int cmdPipelines(int argc, char** argv) {
    Context ctx;
    const std::string usage =
        "Usage: saksi pipelines [--plugin-path DIR]...\n\n"
        "Lists the pipelines in " +
        pipelineDir().string() + " and their stages.";
    if (int rc = parse(argc, argv, "pipelines", po::options_description("Options for pipelines"),
                       {}, usage.c_str(), ctx);
        rc >= 0)
        return rc;
    int status = kExitOk;
    for (const auto& file : listPipelineFiles(pipelineDir())) {
        try {
            const Pipeline p = loadPipeline(file, ctx.host);
            std::printf("%s  %s\n", p.name.c_str(), file.c_str());
            if (!p.description.empty()) std::printf("  %s\n", p.description.c_str());
            std::string stages;
            for (const auto& s : p.stages) stages += (stages.empty() ? "" : ", ") + s.def->id;
            std::printf("  stages: %s\n", stages.c_str());
        } catch (const ConfigError& e) {
            std::printf("%s  invalid: %s\n", file.stem().c_str(), e.what());
            status = kExitUsage;
        }
    }
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    // Tesseract's OpenMP default oversubscribes the cores (about 9x slower
    // here): parallelism comes from saksi's workers. Set before any plugin,
    // and so any OpenMP runtime, is loaded.
    ::setenv("OMP_THREAD_LIMIT", "1", 1);
    const std::string command = argc > 1 ? argv[1] : "";
    try {
        // Each command parses argv without the command word.
        if (command == "process") return cmdProcess(argc - 1, argv + 1);
        if (command == "plugins") return cmdPlugins(argc - 1, argv + 1);
        if (command == "pipelines") return cmdPipelines(argc - 1, argv + 1);
        if (command == "verify") return cmdVerify(argc - 1, argv + 1);
        if (command == "--version") {
            std::printf("saksi %s (plugin ABI %d.%d)\n", SAKSI_VERSION, SAKSI_ABI_MAJOR,
                        SAKSI_ABI_MINOR);
            return kExitOk;
        }
        if (command == "-h" || command == "--help" || command == "help") {
            std::fputs(kUsage, stdout);
            return kExitOk;
        }
        std::fputs(kUsage, stderr);
        if (!command.empty())
            std::fprintf(stderr, "\nsaksi: unknown command '%s'\n", command.c_str());
        return kExitUsage;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "saksi: internal error: %s\n", e.what());
        return 1;
    }
}
