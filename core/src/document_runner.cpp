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
    std::vector<int64_t> stageMicros;
    const std::function<void(const std::string&)>* beforeStage = nullptr;
    const std::function<void(Document&)>* beforeOutput = nullptr;
    bool outputPrepared = false;
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
                                   const std::function<void(const std::string&)>& beforeStage,
                                   const std::function<void(Document&)>& beforeOutput) {
    Job job;
    job.stageMicros.assign(pipeline_.stages.size(), 0);
    job.beforeStage = &beforeStage;
    job.beforeOutput = &beforeOutput;
    job.doc = std::make_unique<Document>(item, outDir);
    job.failed = job.doc->hasErrors();
    if (failure) {
        job.doc->addError(failure->stage, failure->code, failure->message);
        job.failed = true;
    }
    for (const Run& run : runs_) {
        if (run.pageScope) {
            if (job.failed) continue;
            const std::size_t pages = job.doc->pageCount();
            for (uint32_t p = 0; p < pages; ++p)
                for (std::size_t i : run.stages) runStage(job, i, p);
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
        }
        if (hasDecoder && !checked) checkDecoded(job);
    }
    if (!job.finalized) finalize(job);
    return {job.doc->id(), job.doc->status(), job.doc->errorCodes(), job.doc->pageCount(),
            job.doc->errors()};
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

void DocumentRunner::runStage(Job& job, std::size_t index, uint32_t page) {
    const StageDef& def = *pipeline_.stages[index].def;
    // Sinks and redaction stages write the record out, so they see it with
    // status and provenance. A redaction stage's own time and errors go into
    // the record the sinks write: finalize again after it.
    const bool writesOut = def.abi.kind == SAKSI_STAGE_SINK || def.abi.kind == SAKSI_STAGE_REDACT;
    if (writesOut && !job.finalized) finalize(job);
    if (writesOut && !job.outputPrepared && !job.failed) {
        job.outputPrepared = true;
        if (*job.beforeOutput) (*job.beforeOutput)(*job.doc);
    }
    if (def.abi.kind == SAKSI_STAGE_REDACT) job.finalized = false;
    if (job.failed && def.abi.kind != SAKSI_STAGE_SINK) return;
    if (!def.accepts(job.doc->mediaType())) return;
    if (def.abi.kind == SAKSI_STAGE_DECODE) job.decoderRan = true;
    if (*job.beforeStage) (*job.beforeStage)(def.id);
    StageCall call{job.doc.get(), &def, page, def.id + "@" + def.plugin->version, 0};
    char err[1024] = "";
    const auto t0 = Clock::now();
    const int32_t status =
        def.abi.process(instances_[index]->get(), call.handle(), page, err, sizeof err);
    job.stageMicros[index] +=
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
    job.doc->endCall(page);
    if (status == SAKSI_OK) return;
    if (call.errorsAdded == 0)
        job.doc->addError(def.id, "stage.failed",
                          *err ? std::string(err) : "the stage failed without a reason");
    if (def.abi.kind == SAKSI_STAGE_DECODE) job.failed = true;
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
