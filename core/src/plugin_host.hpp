// Loads plugins through their one entry symbol and keeps what they describe.
#pragma once

#include <saksi/plugin_abi.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace saksi {

struct LoadedPlugin;
struct ExecPlugin;  // exec_plugin.hpp

// A stage as the host knows it: the plugin's descriptor copied into the
// host's layout (unknown tail zero-filled), plus parsed metadata.
struct StageDef {
    saksi_stage_descriptor abi{};
    std::string id;
    std::string description;
    std::vector<std::string> mediaTypes;  // empty: every document
    nlohmann::json configSchema = nlohmann::json::object();
    const LoadedPlugin* plugin = nullptr;

    bool accepts(std::string_view mediaType) const;
    std::string_view kindName() const;
    std::string_view scopeName() const;
};

// A loaded library, or an exec plugin's manifest. The handle is closed when
// the last owner lets go: stage instances hold a shared_ptr, so no dlclose
// happens while one lives.
struct LoadedPlugin {
    std::string path;  // the library, or the exec manifest: the plugin's origin
    std::string name;
    std::string version;
    std::string description;
    std::string license;
    uint16_t abiMajor = 0;
    uint16_t abiMinor = 0;
    std::vector<StageDef> stages;
    void* handle = nullptr;  // dlopen handle; null for an exec plugin
    // Exec plugins only: the manifest's program and the stage descriptors
    // (with their strings) that `stages` point into.
    std::shared_ptr<const ExecPlugin> exec;

    LoadedPlugin() = default;
    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;
    ~LoadedPlugin();
};

struct RefusedPlugin {
    std::string path;
    std::string reason;
};

class PluginHost {
public:
    // Loads every *.so and *.exec.toml in `dir` (not recursive), in name
    // order. A missing folder is not an error.
    void loadDirectory(const std::filesystem::path& dir);
    // Loads one library or exec manifest; a refusal is recorded, never thrown.
    void loadFile(const std::filesystem::path& file);

    const std::vector<std::shared_ptr<LoadedPlugin>>& plugins() const { return plugins_; }
    const std::vector<RefusedPlugin>& refused() const { return refused_; }
    // The stage with this id, and the plugin that owns it; nullptr when none.
    const StageDef* findStage(std::string_view id) const;
    std::shared_ptr<const LoadedPlugin> owner(const StageDef& stage) const;

private:
    // Why `plugin` clashes with one already loaded (a plugin name or a stage
    // id taken); empty when it does not.
    std::string conflict(const LoadedPlugin& plugin) const;

    std::vector<std::shared_ptr<LoadedPlugin>> plugins_;
    std::vector<RefusedPlugin> refused_;
};

}  // namespace saksi
