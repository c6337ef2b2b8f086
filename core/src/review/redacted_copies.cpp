#include "review/redacted_copies.hpp"

#include "document.hpp"
#include "document_runner.hpp"
#include "paths.hpp"
#include "review/revisions.hpp"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace saksi::review {
namespace fs = std::filesystem;
using json = nlohmann::json;

// The pipeline's stages that rebuild the page images and redact: no OCR,
// no extractors, no sink.
struct RedactedCopies::Rerun {
    Pipeline pipeline;
    std::unique_ptr<DocumentRunner> runner;
    bool redacts = false;
};

RedactedCopies::RedactedCopies(const PluginHost& host, fs::path outDir,
                               std::string pipelineOverride)
    : host_(host), outDir_(std::move(outDir)), pipelineOverride_(std::move(pipelineOverride)) {
}

RedactedCopies::~RedactedCopies() = default;

RedactedCopies::Rerun& RedactedCopies::rerunFor(const std::string& pipelineName) {
    const std::string name = pipelineOverride_.empty() ? pipelineName : pipelineOverride_;
    if (auto it = reruns_.find(name); it != reruns_.end()) return *it->second;
    auto rerun = std::make_unique<Rerun>();
    try {
        rerun->pipeline = loadPipeline(resolvePipeline(name, pipelineDir()), host_);
    } catch (const std::exception& e) {
        throw InvalidCorrection(
            409, "cannot load pipeline '" + name + "' to redact the corrected record: " + e.what());
    }
    std::vector<PipelineStage> kept;
    for (const PipelineStage& s : rerun->pipeline.stages) {
        const auto kind = s.def->abi.kind;
        if (kind == SAKSI_STAGE_DECODE || kind == SAKSI_STAGE_PREPROCESS ||
            kind == SAKSI_STAGE_REDACT)
            kept.push_back(s);
        rerun->redacts |= kind == SAKSI_STAGE_REDACT;
    }
    rerun->pipeline.stages = std::move(kept);
    try {
        rerun->runner = std::make_unique<DocumentRunner>(rerun->pipeline, host_);
    } catch (const std::exception& e) {
        throw InvalidCorrection(409, e.what());
    }
    return *reruns_.emplace(name, std::move(rerun)).first->second;
}

fs::path RedactedCopies::findOriginal(const json& record) const {
    const json& source = record.value("source", json::object());
    if (source.contains("container") && source["container"].is_array() &&
        !source["container"].empty())
        throw InvalidCorrection(409,
                                "the original is a member of an archive, which the review "
                                "cannot read pages from yet");
    const std::string id = record.value("id", "");
    std::vector<fs::path> candidates;
    // A watched folder moved it once recorded; the audit log says where.
    std::ifstream audit(outDir_ / "audit.jsonl");
    for (std::string line; std::getline(audit, line);) {
        if (line.find("\"moved\"") == std::string::npos || line.find(id) == std::string::npos)
            continue;
        const json entry = json::parse(line, nullptr, false);
        if (entry.is_object() && entry.value("action", "") == "moved" &&
            entry.value("document", "") == id && entry.contains("details") &&
            entry["details"].value("to", json()).is_string())
            candidates.insert(candidates.begin(), entry["details"]["to"].get<std::string>());
    }
    candidates.push_back(source.value("path", ""));
    for (const fs::path& p : candidates) {
        std::error_code ec;
        if (!p.empty() && fs::is_regular_file(p, ec)) return p;
    }
    throw InvalidCorrection(409, "the original " + source.value("path", std::string("?")) +
                                     " is not reachable (its pages cannot be shown or redacted "
                                     "again)");
}

StagedCopies RedactedCopies::make(const json& record, const fs::path& original) {
    const std::string id = record.at("id").get<std::string>();
    Rerun& rerun = rerunFor(record["provenance"]["pipeline"].value("name", "evidence"));
    StagedCopies staged;
    if (!rerun.redacts) return staged;
    staged.folder =
        outDir_ / ".review" / (std::to_string(::getpid()) + "-" + std::to_string(++staged_));
    fs::remove_all(staged.folder);
    fs::create_directories(staged.folder);
    std::size_t errorsBefore = record.value("errors", json::array()).size();
    std::string mismatch;
    const DocumentResult result = rerun.runner->run(
        InputItem::file(original), staged.folder, std::nullopt, [](const std::string&, uint32_t) {},
        [&](Document& doc) {
            try {
                doc.replaceRecord(record);
            } catch (const std::invalid_argument& e) {
                mismatch = e.what();
                doc.addError("review", "review.original_changed", e.what());
                ++errorsBefore;
            }
        });
    auto fail = [&](int status, const std::string& reason) {
        std::error_code ec;
        fs::remove_all(staged.folder, ec);
        throw InvalidCorrection(status, reason);
    };
    if (result.id != id || !mismatch.empty())
        fail(409, "the original at " + original.string() + " is not the recorded one (" +
                      (mismatch.empty() ? "SHA-256 " + result.id : mismatch) +
                      "); no correction was recorded");
    staged.json = staged.folder / "redacted" / (id + ".json");
    staged.pdf = staged.folder / "redacted" / (id + ".pdf");
    std::error_code ec;
    if (!fs::is_regular_file(staged.json, ec) || !fs::is_regular_file(staged.pdf, ec)) {
        std::string why;
        for (std::size_t i = errorsBefore; i < result.errors.size(); ++i)
            why += (why.empty() ? "" : "; ") + result.errors[i].value("code", "") + ": " +
                   result.errors[i].value("message", "");
        fail(422, "the redaction refused the corrected record" +
                      (why.empty() ? std::string(".") : " (" + why + ")") +
                      " No correction was recorded.");
    }
    return staged;
}

}  // namespace saksi::review
