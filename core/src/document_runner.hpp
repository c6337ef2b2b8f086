// Runs one document through a pipeline's stages, in the calling thread, with
// stage instances created once: what a worker process does per document.
#pragma once

#include "intake.hpp"
#include "pipeline.hpp"
#include "plugin_host.hpp"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace saksi {

// A failure decided outside the stages (the worker crashed, timed out or
// passed its memory limit): the document gets it as a record error and only
// the sinks run, so they write its failure record.
struct DocumentFailure {
    std::string stage;  // the stage running when it happened, or "worker"
    std::string code;   // dotted: worker.crashed, worker.timeout, memory.limit
    std::string message;
};

// What the sinks were told: the record's id, status, error codes and pages.
struct DocumentResult {
    std::string id;
    std::string status;  // ok | partial | failed
    nlohmann::json errorCodes = nlohmann::json::array();
    std::size_t pages = 0;
};

class DocumentRunner {
public:
    // Creates one instance of every stage; throws ConfigError naming the
    // pipeline file and line of the stage that refused its configuration.
    DocumentRunner(const Pipeline& pipeline, const PluginHost& host);
    DocumentRunner(const DocumentRunner&) = delete;
    DocumentRunner& operator=(const DocumentRunner&) = delete;
    ~DocumentRunner();

    // Runs every stage (sinks included) over the item. `beforeStage` is
    // called with a stage's id and page (SAKSI_ALL_PAGES for a document-scope
    // call) before each call into it, so a supervisor can say which stage a
    // crash happened in and time each page.
    using BeforeStage = std::function<void(const std::string& stage, uint32_t page)>;
    DocumentResult run(const InputItem& item, const std::filesystem::path& outDir,
                       const std::optional<DocumentFailure>& failure,
                       const BeforeStage& beforeStage);

private:
    class Instance;
    struct Job;

    // False when the stage ran and failed.
    bool runStage(Job& job, std::size_t index, uint32_t page);
    // Calls `decoder`'s decode_page for a page it added on demand.
    bool decodePage(Job& job, uint32_t page, const StageDef& decoder);
    void checkDecoded(Job& job);
    void finalize(Job& job);

    const Pipeline& pipeline_;
    std::vector<std::unique_ptr<Instance>> instances_;
    // Consecutive stages of one scope; a page run loops over the pages.
    struct Run {
        bool pageScope = false;
        std::vector<std::size_t> stages;  // indexes into pipeline.stages
    };
    std::vector<Run> runs_;
};

}  // namespace saksi
