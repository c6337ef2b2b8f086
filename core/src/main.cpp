// saksi: turns evidence documents into structured, verifiable JSON records.
#include "cli/cli.hpp"
#include "worker.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace saksi::cli;

namespace {

constexpr const char* kUsage = R"(Usage: saksi COMMAND [OPTIONS]

Turns evidence documents into structured, verifiable JSON records.

Commands:
  process PATH... --out DIR   process files and folders (recursively) into DIR
  watch INBOX --out DIR       process each file put into INBOX, then move it to
                              INBOX/.saksi/done/ or .saksi/failed/ (a service)
  plugins                     list loaded plugins and their stages, and refused plugins
  pipelines                   list the available pipelines and their stages
  verify DIR                  re-hash DIR's records and originals, check its audit chains
  export DIR --format ftm     DIR's records as FollowTheMoney entities (JSON lines) for Aleph
  case DIR                    identifiers, people and organisations shared across DIR's documents
  enqueue PATH... --queue URL --ledger URL
                              add one job per document to a Redis stream (distributed runs)
  worker --queue URL --ledger URL --out DIR
                              process jobs from the stream into DIR (run on many machines)
  status --queue URL --ledger URL
                              progress of a distributed run

Run `saksi COMMAND --help` for a command's options.

Exit codes: 0 every document ok; 3 some documents not ok (their records say
why), or for verify: something is broken; 2 usage or configuration error;
anything else is a bug.
)";

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
        if (command == "watch") return cmdWatch(argc - 1, argv + 1);
        if (command == "plugins") return cmdPlugins(argc - 1, argv + 1);
        if (command == "pipelines") return cmdPipelines(argc - 1, argv + 1);
        if (command == "verify") return cmdVerify(argc - 1, argv + 1);
        if (command == "export") return cmdExport(argc - 1, argv + 1);
        if (command == "case") return cmdCase(argc - 1, argv + 1);
        if (command == "enqueue") return cmdEnqueue(argc - 1, argv + 1);
        if (command == "worker") return cmdWorker(argc - 1, argv + 1);
        if (command == "status") return cmdStatus(argc - 1, argv + 1);
        // Internal: a worker process started by `saksi process` (not in the usage).
        if (command == "__worker" && argc == 4 && std::string(argv[2]) == "--fd")
            return saksi::workerMain(std::stoi(argv[3]));
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
