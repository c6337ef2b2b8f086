#include "plugin_host.hpp"

#include "exec_plugin.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <stdexcept>

namespace saksi {
namespace {

// Copies the prefix of a size-prefixed struct the host knows and zero-fills
// the rest (OBS-style), so older and newer plugins both read safely.
template <class T>
T copySized(const T* src) {
    T out{};
    const std::size_t size = std::min<std::size_t>(src->struct_size, sizeof(T));
    std::memcpy(&out, src, size);
    out.struct_size = static_cast<uint32_t>(size);
    return out;
}

constexpr std::size_t kMinPluginSize =
    offsetof(saksi_plugin_descriptor, stages) + sizeof(saksi_plugin_descriptor::stages);
constexpr std::size_t kMinStageSize =
    offsetof(saksi_stage_descriptor, destroy) + sizeof(saksi_stage_descriptor::destroy);

struct Refusal : std::runtime_error {
    using std::runtime_error::runtime_error;
};

StageDef readStage(const saksi_stage_descriptor* raw, std::size_t index) {
    const std::string where = "stage #" + std::to_string(index + 1);
    if (!raw) throw Refusal(where + " is a null pointer");
    if (raw->struct_size < kMinStageSize)
        throw Refusal(where + " descriptor is too small (" + std::to_string(raw->struct_size) +
                      " bytes, at least " + std::to_string(kMinStageSize) + " needed)");
    StageDef def;
    def.abi = copySized(raw);
    if (!def.abi.id || !*def.abi.id) throw Refusal(where + " has no id");
    def.id = def.abi.id;
    const std::string named = "stage '" + def.id + "'";
    if (def.abi.kind < SAKSI_STAGE_DECODE || def.abi.kind > SAKSI_STAGE_SINK)
        throw Refusal(named + " has unknown kind " + std::to_string(def.abi.kind));
    if (def.abi.scope != SAKSI_SCOPE_DOCUMENT && def.abi.scope != SAKSI_SCOPE_PAGE)
        throw Refusal(named + " has unknown scope " + std::to_string(def.abi.scope));
    for (auto [hook, present] : {std::pair{"create", def.abi.create != nullptr},
                                 std::pair{"process", def.abi.process != nullptr},
                                 std::pair{"destroy", def.abi.destroy != nullptr}}) {
        if (!present) throw Refusal(named + " lacks the required hook " + hook + "()");
    }
    if (def.abi.description) def.description = def.abi.description;
    if (def.abi.media_types)
        for (const char* const* m = def.abi.media_types; *m; ++m) def.mediaTypes.emplace_back(*m);
    if (def.abi.config_schema) {
        try {
            def.configSchema = nlohmann::json::parse(def.abi.config_schema);
        } catch (const nlohmann::json::exception& e) {
            throw Refusal(named + " has a config schema that is not JSON: " + e.what());
        }
        if (!def.configSchema.is_object())
            throw Refusal(named + " has a config schema that is not a JSON object");
    }
    return def;
}

}  // namespace

bool StageDef::accepts(std::string_view mediaType) const {
    if (mediaTypes.empty()) return true;
    return std::any_of(mediaTypes.begin(), mediaTypes.end(), [&](const std::string& m) {
        if (m.size() > 2 && m.ends_with("/*"))
            return mediaType.starts_with(std::string_view(m).substr(0, m.size() - 1));
        return m == mediaType;
    });
}

std::string_view StageDef::kindName() const {
    static constexpr std::string_view names[] = {"",         "decode",  "preprocess", "ocr",
                                                 "classify", "extract", "redact",     "sink"};
    return abi.kind <= SAKSI_STAGE_SINK ? names[abi.kind] : "unknown";
}

std::string_view StageDef::scopeName() const {
    return abi.scope == SAKSI_SCOPE_PAGE ? "page" : "document";
}

LoadedPlugin::~LoadedPlugin() {
    if (handle) dlclose(handle);
}

void PluginHost::loadDirectory(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if ((entry.path().extension() == ".so" || isExecManifest(entry.path())) &&
            entry.is_regular_file(ec))
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) loadFile(file);
}

void PluginHost::loadFile(const std::filesystem::path& file) {
    const std::string path = std::filesystem::absolute(file).lexically_normal().string();
    if (isExecManifest(file)) {
        try {
            auto plugin = loadExecManifest(path);
            if (std::string reason = conflict(*plugin); !reason.empty()) throw Refusal(reason);
            plugins_.push_back(std::move(plugin));
        } catch (const std::exception& e) {
            refused_.push_back({path, e.what()});
        }
        return;
    }
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* err = dlerror();
        refused_.push_back({path, std::string("cannot be loaded: ") + (err ? err : "unknown")});
        return;
    }
    auto plugin = std::make_shared<LoadedPlugin>();
    plugin->path = path;
    plugin->handle = handle;  // closed by ~LoadedPlugin on any refusal below
    try {
        auto entry =
            reinterpret_cast<saksi_plugin_entry_fn>(dlsym(handle, SAKSI_PLUGIN_ENTRY_SYMBOL));
        if (!entry) throw Refusal("no " SAKSI_PLUGIN_ENTRY_SYMBOL " symbol: not a Saksi plugin");
        const saksi_plugin_descriptor* raw = entry(SAKSI_ABI_MAJOR, SAKSI_ABI_MINOR);
        if (!raw) throw Refusal("its entry returned no descriptor for host ABI 1.0");
        if (raw->struct_size < kMinPluginSize)
            throw Refusal("descriptor is too small (" + std::to_string(raw->struct_size) +
                          " bytes)");
        const saksi_plugin_descriptor desc = copySized(raw);
        if (desc.abi_major != SAKSI_ABI_MAJOR)
            throw Refusal("ABI major " + std::to_string(desc.abi_major) +
                          " does not match the host's " + std::to_string(SAKSI_ABI_MAJOR));
        if (desc.abi_minor > SAKSI_ABI_MINOR)
            throw Refusal("ABI " + std::to_string(desc.abi_major) + "." +
                          std::to_string(desc.abi_minor) + " is newer than the host's " +
                          std::to_string(SAKSI_ABI_MAJOR) + "." + std::to_string(SAKSI_ABI_MINOR));
        if (!desc.name || !*desc.name) throw Refusal("descriptor has no name");
        if (!desc.version || !*desc.version) throw Refusal("descriptor has no version");
        if (desc.stage_count == 0 || !desc.stages) throw Refusal("descriptor has no stages");
        plugin->name = desc.name;
        plugin->version = desc.version;
        plugin->description = desc.description ? desc.description : "";
        plugin->license = desc.license ? desc.license : "";
        plugin->abiMajor = desc.abi_major;
        plugin->abiMinor = desc.abi_minor;
        for (uint32_t i = 0; i < desc.stage_count; ++i) {
            StageDef def = readStage(desc.stages[i], i);
            def.plugin = plugin.get();
            plugin->stages.push_back(std::move(def));
        }
        if (std::string reason = conflict(*plugin); !reason.empty()) throw Refusal(reason);
    } catch (const Refusal& refusal) {
        refused_.push_back({path, refusal.what()});
        return;
    }
    plugins_.push_back(std::move(plugin));
}

std::string PluginHost::conflict(const LoadedPlugin& plugin) const {
    for (std::size_t i = 0; i < plugin.stages.size(); ++i) {
        const std::string& id = plugin.stages[i].id;
        if (const StageDef* other = findStage(id))
            return "stage '" + id + "' is already provided by " + other->plugin->path;
        for (std::size_t j = 0; j < i; ++j)
            if (plugin.stages[j].id == id) return "stage '" + id + "' is declared twice";
    }
    for (const auto& other : plugins_)
        if (other->name == plugin.name)
            return "plugin '" + plugin.name + "' is already loaded from " + other->path;
    return {};
}

const StageDef* PluginHost::findStage(std::string_view id) const {
    for (const auto& plugin : plugins_)
        for (const auto& stage : plugin->stages)
            if (stage.id == id) return &stage;
    return nullptr;
}

std::shared_ptr<const LoadedPlugin> PluginHost::owner(const StageDef& stage) const {
    for (const auto& plugin : plugins_)
        if (plugin.get() == stage.plugin) return plugin;
    return nullptr;
}

}  // namespace saksi
