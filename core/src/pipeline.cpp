#include "pipeline.hpp"

#include "hashing.hpp"
#include "toml_json.hpp"

#include <toml++/toml.h>
#include <algorithm>

namespace saksi {
namespace {

bool hasType(const nlohmann::json& v, const std::string& type) {
    if (type == "string") return v.is_string();
    if (type == "integer") return v.is_number_integer();
    if (type == "number") return v.is_number();
    if (type == "boolean") return v.is_boolean();
    if (type == "string_list")
        return v.is_array() &&
               std::all_of(v.begin(), v.end(), [](auto& e) { return e.is_string(); });
    return false;
}

}  // namespace

void checkSetting(const nlohmann::json& schema, const std::string& key, const nlohmann::json& value,
                  const std::string& stageId) {
    if (!schema.contains(key)) {
        std::string known;
        for (auto& [k, _] : schema.items()) known += (known.empty() ? "" : ", ") + k;
        throw std::invalid_argument(
            "stage '" + stageId + "' has no setting '" + key + "'" +
            (known.empty() ? " (it takes none)" : " (settings: " + known + ")"));
    }
    const nlohmann::json& spec = schema[key];
    const std::string type = spec.value("type", "string");
    const std::string setting = "setting '" + key + "' of stage '" + stageId + "'";
    if (!hasType(value, type))
        throw std::invalid_argument(setting + " must be of type " + type + ", not " + value.dump());
    if (spec.contains("enum") &&
        std::find(spec["enum"].begin(), spec["enum"].end(), value) == spec["enum"].end())
        throw std::invalid_argument(setting + " must be one of " + spec["enum"].dump());
    if (value.is_number() && spec.contains("minimum") && value < spec["minimum"])
        throw std::invalid_argument(setting + " must be at least " + spec["minimum"].dump());
    if (value.is_number() && spec.contains("maximum") && value > spec["maximum"])
        throw std::invalid_argument(setting + " must be at most " + spec["maximum"].dump());
}

nlohmann::json applyConfigSchema(const nlohmann::json& schema, const nlohmann::json& config,
                                 const std::string& stageId) {
    nlohmann::json out = nlohmann::json::object();
    for (auto& [key, value] : config.items()) {
        checkSetting(schema, key, value, stageId);
        out[key] = value;
    }
    for (auto& [key, spec] : schema.items()) {
        if (out.contains(key)) continue;
        if (!spec.contains("default"))
            throw std::invalid_argument("stage '" + stageId + "' needs the setting '" + key + "'");
        out[key] = spec["default"];
    }
    return out;
}

Pipeline loadPipeline(const std::filesystem::path& file, const PluginHost& host,
                      const nlohmann::json& overrides) {
    const std::string name = file.string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw ConfigError("no pipeline file " + name + " (see `saksi pipelines`)");
    toml::table doc;
    try {
        doc = toml::parse_file(name);
    } catch (const toml::parse_error& e) {
        throw ConfigError(sourceLine(name, e.source()) + std::string(e.description()));
    }
    Pipeline pipeline;
    pipeline.file = file;
    const toml::source_region top{{1, 1}, {1, 1}, nullptr};
    for (auto&& [key, node] : doc) {
        const std::string k(key.str());
        if (k != "name" && k != "description" && k != "stage")
            throw ConfigError(sourceLine(name, node.source()) + "unknown key '" + k +
                              "' (a pipeline has name, description and [[stage]] tables)");
    }
    if (auto n = doc["name"].value<std::string>())
        pipeline.name = *n;
    else
        throw ConfigError(
            sourceLine(name, doc["name"].node() ? doc["name"].node()->source() : top) +
            "the pipeline needs name = \"...\"");
    pipeline.description = doc["description"].value_or(std::string());
    const toml::array* stages = doc["stage"].as_array();
    if (!stages || stages->empty())
        throw ConfigError(sourceLine(name, top) + "the pipeline has no [[stage]] tables");

    nlohmann::json identity = {{"name", pipeline.name}, {"stages", nlohmann::json::array()}};
    for (auto&& node : *stages) {
        const toml::table* table = node.as_table();
        if (!table) throw ConfigError(sourceLine(name, node.source()) + "a stage must be a table");
        auto id = (*table)["id"].value<std::string>();
        if (!id)
            throw ConfigError(sourceLine(name, node.source()) + "the stage has no id = \"...\"");
        const StageDef* def = host.findStage(*id);
        if (!def)
            throw ConfigError(sourceLine(name, node.source()) + "unknown stage '" + *id +
                              "': no loaded plugin provides it (see `saksi plugins`)");
        nlohmann::json config = nlohmann::json::object();
        for (auto&& [key, value] : *table) {
            if (key.str() == "id") continue;
            // Checked key by key so that an error names that key's line.
            try {
                nlohmann::json setting = tomlToJson(value);
                checkSetting(def->configSchema, std::string(key.str()), setting, *id);
                config[std::string(key.str())] = std::move(setting);
            } catch (const std::invalid_argument& e) {
                throw ConfigError(sourceLine(name, value.source()) + e.what());
            }
        }
        for (auto& [key, value] : overrides.items()) {
            if (!def->configSchema.contains(key)) continue;
            try {
                checkSetting(def->configSchema, key, value, *id);
            } catch (const std::invalid_argument& e) {
                throw ConfigError(e.what());
            }
            config[key] = value;
        }
        PipelineStage stage;
        stage.def = def;
        stage.file = name;
        stage.line = static_cast<int>(node.source().begin.line);
        try {
            stage.config = applyConfigSchema(def->configSchema, config, *id);
        } catch (const std::invalid_argument& e) {
            throw ConfigError(sourceLine(name, node.source()) + e.what());
        }
        nlohmann::json hashed = stage.config;
        for (auto& [key, spec] : def->configSchema.items())
            if (spec.value("secret", false)) hashed.erase(key);
        identity["stages"].push_back({{"id", *id},
                                      {"plugin", def->plugin->name},
                                      {"version", def->plugin->version},
                                      {"config", hashed}});
        pipeline.stages.push_back(std::move(stage));
    }
    for (auto& [key, value] : overrides.items()) {
        if (std::none_of(pipeline.stages.begin(), pipeline.stages.end(),
                         [&](auto& s) { return s.def->configSchema.contains(key); }))
            throw ConfigError("no stage of pipeline '" + pipeline.name + "' (" + name +
                              ") takes the setting '" + key + "'");
    }
    if (std::none_of(pipeline.stages.begin(), pipeline.stages.end(),
                     [](auto& s) { return s.def->abi.kind == SAKSI_STAGE_DECODE; }))
        throw ConfigError(sourceLine(name, top) + "the pipeline has no decode stage");
    pipeline.hash = sha256Hex(identity.dump());
    return pipeline;
}

std::filesystem::path resolvePipeline(const std::string& nameOrFile,
                                      const std::filesystem::path& pipelineDir) {
    if (nameOrFile.find('/') != std::string::npos || nameOrFile.ends_with(".toml"))
        return nameOrFile;
    return pipelineDir / (nameOrFile + ".toml");
}

std::vector<std::filesystem::path> listPipelineFiles(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.path().extension() == ".toml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace saksi
