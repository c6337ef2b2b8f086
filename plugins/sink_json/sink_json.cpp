// sink.json: writes OUT/records/<id>.json, or OUT/failed/<id>.json for a
// failed document, atomically: temp file, fsync, rename, fsync of the folder.
#include <saksi/sdk/sdk.hpp>

#include <filesystem>
#include <regex>

namespace {

class JsonSink {
public:
    static constexpr saksi::sdk::StageInfo info{
        .kind = SAKSI_STAGE_SINK,
        .scope = SAKSI_SCOPE_DOCUMENT,
        .id = "sink.json",
        .description = "writes records/<id>.json (failed/<id>.json on failure) atomically",
        .configSchema = R"({"indent": {"type": "integer", "default": 2, "minimum": -1,
                            "maximum": 8,
                            "description": "JSON indentation; -1 writes one line"}})"};

    explicit JsonSink(const nlohmann::json& config) : indent_(config.at("indent").get<int>()) {}

    void process(saksi::sdk::Document& doc) {
        const auto record = doc.json("");
        if (!record) throw saksi::sdk::Error("sink.no_record", "the host returned no record");
        const std::string id = record->at("id").get<std::string>();
        // The id names the file: refuse anything but a SHA-256 so no record
        // can be written outside its folder.
        static const std::regex sha256("^[0-9a-f]{64}$");
        if (!std::regex_match(id, sha256))
            throw saksi::sdk::Error("sink.bad_id", "record id '" + id + "' is not a SHA-256");
        const bool failed = record->at("status") == "failed";
        const std::filesystem::path dir =
            std::filesystem::path(std::string(doc.outputDir())) / (failed ? "failed" : "records");
        saksi::sdk::writeFileAtomically(
            dir, id + ".json",
            record->dump(indent_, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    }

private:
    int indent_;
};

}  // namespace

SAKSI_PLUGIN("sink_json", "0.1.0", "Writes each record as JSON, atomically", "Apache-2.0", JsonSink)
