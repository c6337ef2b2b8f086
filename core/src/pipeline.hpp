// Pipeline definitions (TOML in pipelines/): stages named by id, each with a
// configuration validated against the stage's schema when the pipeline loads.
#pragma once

#include "plugin_host.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace saksi {

// A configuration error: exit code 2, message "FILE:LINE: what is wrong".
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct PipelineStage {
    const StageDef* def = nullptr;
    nlohmann::json config;  // every schema key, defaults filled in
    std::string file;
    int line = 0;
};

struct Pipeline {
    std::string name;
    std::string description;
    std::filesystem::path file;
    std::vector<PipelineStage> stages;
    std::string hash;  // sha256 over name, stage ids, plugin versions and configs
};

// Checks one setting against a stage schema; throws std::invalid_argument.
void checkSetting(const nlohmann::json& schema, const std::string& key, const nlohmann::json& value,
                  const std::string& stageId);

// Validates `config` (a TOML table turned into JSON) against a stage schema
// and fills in defaults. Throws std::invalid_argument naming the bad key.
nlohmann::json applyConfigSchema(const nlohmann::json& schema, const nlohmann::json& config,
                                 const std::string& stageId);

// Loads and validates a pipeline file; throws ConfigError. `overrides`
// (an object, e.g. {"passwords": [...]} from the command line) sets each
// key in every stage whose schema has it, over the file's value; a key no
// stage takes is a ConfigError. Settings whose schema says "secret": true
// (passwords) are left out of Pipeline::hash, so they neither show in the
// ledger nor make finished documents count as new.
Pipeline loadPipeline(const std::filesystem::path& file, const PluginHost& host,
                      const nlohmann::json& overrides = nlohmann::json::object());

// A name ("evidence") is looked up as <dir>/<name>.toml; anything with a
// slash or a .toml suffix is a file path.
std::filesystem::path resolvePipeline(const std::string& nameOrFile,
                                      const std::filesystem::path& pipelineDir);

// The *.toml files in a folder, sorted.
std::vector<std::filesystem::path> listPipelineFiles(const std::filesystem::path& dir);

}  // namespace saksi
