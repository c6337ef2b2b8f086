// Makes a document's redacted copies (OUT/redacted/<id>.json and .pdf) again
// from a corrected record, through the same stages that made them: the
// document's pipeline's decode and preprocess stages rebuild the page images
// from the original, then its redact stage (policy, burn-in, leak check) runs
// over the corrected record instead of the one the extractors built.
#pragma once

#include "pipeline.hpp"
#include "plugin_host.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace saksi::review {

// Where the new copies were staged (inside OUT, so a rename moves them);
// empty paths when the pipeline has no redact stage.
struct StagedCopies {
    std::filesystem::path folder;  // remove when done
    std::filesystem::path json, pdf;
};

class RedactedCopies {
public:
    // `pipelineOverride`: a pipeline name or file to use instead of the one
    // each record names; empty: the record's.
    RedactedCopies(const PluginHost& host, std::filesystem::path outDir,
                   std::string pipelineOverride);
    ~RedactedCopies();
    RedactedCopies(const RedactedCopies&) = delete;
    RedactedCopies& operator=(const RedactedCopies&) = delete;

    // Redacts `record` over the pages of `original` into a staging folder in
    // OUT. Throws InvalidCorrection (409) when the original is not the
    // record's or the pipeline cannot be loaded, and (422) when the
    // redaction stage refuses (a value would survive): nothing is staged then.
    // Not thread-safe.
    StagedCopies make(const nlohmann::json& record, const std::filesystem::path& original);

    // Where the original of `record` is now: its source path, or where a
    // watched folder moved it (an audit "moved" line); throws
    // InvalidCorrection (409) when it is not reachable as a plain file.
    std::filesystem::path findOriginal(const nlohmann::json& record) const;

private:
    struct Rerun;
    Rerun& rerunFor(const std::string& pipelineName);

    const PluginHost& host_;
    std::filesystem::path outDir_;
    std::string pipelineOverride_;
    std::map<std::string, std::unique_ptr<Rerun>> reruns_;
    unsigned staged_ = 0;
};

}  // namespace saksi::review
