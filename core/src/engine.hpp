// Runs a pipeline over documents: N worker threads, each with its own stage
// instances; documents and the pages inside them run in parallel.
#pragma once

#include "pipeline.hpp"
#include "plugin_host.hpp"

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace saksi {

struct RunOptions {
    std::filesystem::path outDir;
    unsigned jobs = 0;  // 0: one per core
    // Redo documents the ledger has as failed under the same pipeline
    // (otherwise every finished document is skipped).
    bool retryFailed = false;
};

struct RunSummary {
    std::size_t ok = 0, partial = 0, failed = 0, duplicates = 0, pages = 0;
    // Finished by an earlier run under the same pipeline; skippedNotOk of
    // them ended partial or failed there.
    std::size_t skipped = 0, skippedNotOk = 0;
    double seconds = 0;
    std::map<std::string, std::size_t> errorCodes;

    std::size_t documents() const { return ok + partial + failed; }
};

// The regular files under the inputs (folders recursively, symlinked folders
// not followed, hidden files skipped), in a stable order, leaving out
// anything inside `exclude` (the output folder). Throws std::runtime_error
// for an input that does not exist.
std::vector<std::filesystem::path> collectInputs(const std::vector<std::string>& inputs,
                                                 const std::filesystem::path& exclude);

// Creates every worker's stage instances first, so a stage that refuses its
// configuration stops the run before any document (ConfigError). Records
// every document in OUT/ledger.sqlite and every action in OUT/audit.jsonl,
// skipping documents an earlier run finished under the same pipeline, and
// first removes temp files a killed run left in OUT's output folders.
// Throws std::runtime_error when the ledger or audit log cannot be written.
RunSummary runPipeline(const Pipeline& pipeline, const PluginHost& host,
                       const std::vector<std::filesystem::path>& files, const RunOptions& options);

}  // namespace saksi
