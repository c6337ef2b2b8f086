#include "document_runner.hpp"

#include "document.hpp"
#include "utc_time.hpp"

#include <chrono>
#include <ctime>

namespace saksi {

using Clock = std::chrono::steady_clock;

// A stage instance, created and destroyed through the plugin's hooks. It
// keeps its plugin loaded for as long as it lives.
class DocumentRunner::Instance {
public:
    Instance(const StageDef& def, std::shared_ptr<const LoadedPlugin> plugin,
             const nlohmann::json& config)
        : def_(def), plugin_(std::move(plugin)) {
        const std::string text = config.dump();
        char err[1024] = "";
        if (def_.abi.create(Document::hostApi(), {text.data(), text.size()}, &self_, err,
                            sizeof err) != SAKSI_OK ||
            !self_) {
            self_ = nullptr;
            throw std::runtime_error(*err ? err : "create() failed without a reason");
        }
    }
    Instance(const Instance&) = delete;
    Instance& operator=(const Instance&) = delete;
    ~Instance() {
        if (self_) def_.abi.destroy(self_);
    }
    saksi_stage_instance* get() const { return self_; }

private:
    const StageDef& def_;
    std::shared_ptr<const LoadedPlugin> plugin_;
    saksi_stage_instance* self_ = nullptr;
};

struct DocumentRunner::Job {
    std::unique_ptr<Document> doc;
    bool failed = false;      // intake or decoding failed: only sinks still run
    bool decoderRan = false;  // some decode stage accepted the media type
    bool finalized = false;
    bool bytesChecked = false;
    std::vector<int64_t> stageMicros;
    const BeforeStage* beforeStage = nullptr;
    const StageDef* docStage = nullptr;  // the document-scope stage running, if any
};

DocumentRunner::DocumentRunner(const Pipeline& pipeline, const PluginHost& host)
    : pipeline_(pipeline) {
    for (const PipelineStage& stage : pipeline_.stages) {
        try {
            instances_.push_back(
                std::make_unique<Instance>(*stage.def, host.owner(*stage.def), stage.config));
        } catch (const std::exception& e) {
            throw ConfigError(stage.file + ":" + std::to_string(stage.line) + ": stage '" +
                              stage.def->id + "' refused its configuration: " + e.what());
        }
    }
    for (std::size_t i = 0; i < pipeline_.stages.size(); ++i) {
        const bool page = pipeline_.stages[i].def->abi.scope == SAKSI_SCOPE_PAGE;
        if (runs_.empty() || runs_.back().pageScope != page) runs_.push_back({page, {}});
        runs_.back().stages.push_back(i);
    }
}

DocumentRunner::~DocumentRunner() = default;

DocumentResult DocumentRunner::run(const InputItem& item, const std::filesystem::path& outDir,
                                   const std::optional<DocumentFailure>& failure,
                                   const BeforeStage& beforeStage) {
    Job job;
    job.stageMicros.assign(pipeline_.stages.size(), 0);
    job.beforeStage = &beforeStage;
    job.doc = std::make_unique<Document>(item, outDir);
    job.doc->setPageDecoder([this, &job](uint32_t page, const StageDef& decoder) {
        return decodePage(job, page, decoder);
    });
    job.failed = job.doc->hasErrors();
    if (failure) {
        job.doc->addError(failure->stage, failure->code, failure->message);
        job.failed = true;
    }
    for (const Run& run : runs_) {
        if (run.pageScope) {
            if (job.failed) continue;
            // A page at a time: its image is made (decoded on demand) when
            // the run starts on it and released when the run is done with it,
            // so memory does not grow with the page count.
            const std::size_t pages = job.doc->pageCount();
            for (uint32_t p = 0; p < pages; ++p) {
                job.doc->loadPageImage(p);
                for (std::size_t i : run.stages) {
                    // A page whose preprocessing refused its image (noise, a
                    // bad image) is not OCR'd: the rest of its run is skipped.
                    if (!runStage(job, i, p) &&
                        pipeline_.stages[i].def->abi.kind == SAKSI_STAGE_PREPROCESS)
                        break;
                }
                job.doc->releasePageImage(p);
            }
            continue;
        }
        bool hasDecoder = false, checked = false;
        for (std::size_t i : run.stages) {
            const auto kind = pipeline_.stages[i].def->abi.kind;
            // A sink right after the decoders (no page stage between) must
            // see the decoding's verdict in the record's status.
            if (kind == SAKSI_STAGE_SINK && hasDecoder && !checked) {
                checkDecoded(job);
                checked = true;
            }
            hasDecoder |= kind == SAKSI_STAGE_DECODE;
            runStage(job, i, SAKSI_ALL_PAGES);
            job.doc->releaseLoadedImages();
        }
        if (hasDecoder && !checked) checkDecoded(job);
    }
    if (!job.finalized) finalize(job);
    return {job.doc->id(), job.doc->status(), job.doc->errorCodes(), job.doc->pageCount()};
}

void DocumentRunner::checkDecoded(Job& job) {
    if (job.failed) return;
    if (job.doc->bytes().empty()) {
        job.doc->addError("intake", "input.empty", "The file is empty (0 bytes).");
        job.failed = true;
    } else if (!job.decoderRan) {
        job.doc->addError("intake", "input.unsupported_type",
                          "No decode stage of pipeline '" + pipeline_.name +
                              "' accepts media type " + job.doc->mediaType() + ".");
        job.failed = true;
    } else if (job.doc->pageCount() == 0) {
        job.doc->addError("intake", "document.empty", "Decoding produced no pages.");
        job.failed = true;
    }
}

bool DocumentRunner::runStage(Job& job, std::size_t index, uint32_t page) {
    const StageDef& def = *pipeline_.stages[index].def;
    // Sinks and redaction stages write the record out, so they see it with
    // status and provenance. A redaction stage's own time and errors go into
    // the record the sinks write: finalize again after it.
    const bool writesOut = def.abi.kind == SAKSI_STAGE_SINK || def.abi.kind == SAKSI_STAGE_REDACT;
    if (writesOut && !job.bytesChecked) {
        // Before anything is written: were all the bytes decoded the ones
        // the id is the hash of, first to last?
        job.bytesChecked = true;
        if (!job.doc->checkBytesUnchanged()) {
            job.failed = true;
            job.finalized = false;
        }
    }
    if (writesOut && !job.finalized) finalize(job);
    if (def.abi.kind == SAKSI_STAGE_REDACT) job.finalized = false;
    if (job.failed && def.abi.kind != SAKSI_STAGE_SINK) return true;
    if (!def.accepts(job.doc->mediaType())) return true;
    if (def.abi.kind == SAKSI_STAGE_DECODE) job.decoderRan = true;
    if (*job.beforeStage) (*job.beforeStage)(def.id, page);
    if (page == SAKSI_ALL_PAGES) job.docStage = &def;
    StageCall call{job.doc.get(), &def, page, def.id + "@" + def.plugin->version, 0};
    char err[1024] = "";
    const auto t0 = Clock::now();
    const int32_t status =
        def.abi.process(instances_[index]->get(), call.handle(), page, err, sizeof err);
    job.stageMicros[index] +=
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
    job.docStage = nullptr;
    job.doc->endCall(page);
    if (status == SAKSI_OK) return true;
    if (call.errorsAdded == 0)
        job.doc->addError(def.id, "stage.failed",
                          *err ? std::string(err) : "the stage failed without a reason");
    if (def.abi.kind == SAKSI_STAGE_DECODE) job.failed = true;
    return false;
}

bool DocumentRunner::decodePage(Job& job, uint32_t page, const StageDef& def) {
    std::size_t index = 0;
    while (index < pipeline_.stages.size() && pipeline_.stages[index].def != &def) ++index;
    if (index == pipeline_.stages.size() || !def.abi.decode_page) return false;
    // Asked for by a document-scope stage (burn-in): part of that stage's
    // time, not a page's; otherwise part of the page's.
    const StageDef* caller = job.docStage;
    if (*job.beforeStage) (*job.beforeStage)(def.id, caller ? SAKSI_ALL_PAGES : page);
    StageCall call{job.doc.get(), &def, page, def.id + "@" + def.plugin->version, 0, true};
    char err[1024] = "";
    const auto t0 = Clock::now();
    const int32_t status =
        def.abi.decode_page(instances_[index]->get(), call.handle(), page, err, sizeof err);
    job.stageMicros[index] +=
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
    if (caller && *job.beforeStage) (*job.beforeStage)(caller->id, SAKSI_ALL_PAGES);
    if (status == SAKSI_OK) return true;
    if (call.errorsAdded == 0)
        job.doc->addError(def.id, "stage.failed",
                          "page " + std::to_string(page + 1) + ": " +
                              (*err ? std::string(err) : "decode_page failed without a reason"));
    return false;
}

void DocumentRunner::finalize(Job& job) {
    nlohmann::json stages = nlohmann::json::array();
    for (std::size_t i = 0; i < pipeline_.stages.size(); ++i) {
        const StageDef& def = *pipeline_.stages[i].def;
        stages.push_back({{"id", def.id},
                          {"plugin", def.plugin->name},
                          {"version", def.plugin->version},
                          {"ms", static_cast<double>(job.stageMicros[i]) / 1000.0}});
    }
    job.doc->finalize(job.failed,
                      {{"saksi_version", SAKSI_VERSION},
                       {"pipeline", {{"name", pipeline_.name}, {"hash", pipeline_.hash}}},
                       {"stages", stages},
                       {"processed_at", utcNow()}});
    job.finalized = true;
}

}  // namespace saksi
