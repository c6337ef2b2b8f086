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
};

struct RunSummary {
    std::size_t ok = 0, partial = 0, failed = 0, duplicates = 0, pages = 0;
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
// configuration stops the run before any document (ConfigError).
RunSummary runPipeline(const Pipeline& pipeline, const PluginHost& host,
                       const std::vector<std::filesystem::path>& files, const RunOptions& options);

}  // namespace saksi
