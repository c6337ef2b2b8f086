#include "settings.hpp"

#include "paths.hpp"
#include "pipeline.hpp"
#include "toml_json.hpp"

#include <toml++/toml.h>

#include <cstdlib>

namespace saksi {
namespace {

// A whole number in [minimum, maximum] for `key` of [archive].
std::uint64_t archiveNumber(const std::string& file, const toml::node& node, const std::string& key,
                            std::uint64_t minimum, std::uint64_t maximum) {
    const auto value = node.value<int64_t>();
    if (!node.is_integer() || !value || *value < 0 ||
        static_cast<std::uint64_t>(*value) < minimum ||
        static_cast<std::uint64_t>(*value) > maximum)
        throw ConfigError(sourceLine(file, node.source()) + "archive." + key +
                          " must be a whole number from " + std::to_string(minimum) + " to " +
                          std::to_string(maximum));
    return static_cast<std::uint64_t>(*value);
}

void readArchive(const std::string& file, const toml::node& node, ArchiveLimits& limits) {
    const toml::table* table = node.as_table();
    if (!table)
        throw ConfigError(sourceLine(file, node.source()) +
                          "archive must be a table: [archive] with max_depth, max_total_bytes, "
                          "max_ratio and max_members");
    for (auto&& [key, value] : *table) {
        const std::string k(key.str());
        if (k == "max_depth")
            limits.maxDepth = static_cast<unsigned>(archiveNumber(file, value, k, 1, 100));
        else if (k == "max_total_bytes")
            limits.maxTotalBytes = archiveNumber(file, value, k, 1, std::uint64_t{1} << 50);
        else if (k == "max_ratio")
            limits.maxRatio = static_cast<double>(archiveNumber(file, value, k, 2, 100000));
        else if (k == "max_members")
            limits.maxMembers = archiveNumber(file, value, k, 1, 100'000'000);
        else
            throw ConfigError(sourceLine(file, value.source()) + "unknown key 'archive." + k +
                              "' ([archive] has max_depth, max_total_bytes, max_ratio and "
                              "max_members)");
    }
}

// An integer key of a table within [minimum, maximum], or `fallback` when absent.
int64_t boundedInteger(const std::string& file, const toml::table& table, const char* key,
                       int64_t minimum, int64_t maximum, int64_t fallback) {
    const toml::node* node = table.get(key);
    if (!node) return fallback;
    const auto value = node->value<int64_t>();
    if (!node->is_integer() || !value || *value < minimum || *value > maximum)
        throw ConfigError(sourceLine(file, node->source()) + key + " must be an integer from " +
                          std::to_string(minimum) + " to " + std::to_string(maximum));
    return *value;
}

void loadWorker(const std::string& file, const toml::node& node, Settings& settings) {
    const toml::table* table = node.as_table();
    if (!table)
        throw ConfigError(sourceLine(file, node.source()) +
                          "worker must be a table: [worker] with document_timeout_seconds, "
                          "page_timeout_seconds and memory_limit_mb");
    for (auto&& [key, value] : *table) {
        if (key.str() != "document_timeout_seconds" && key.str() != "memory_limit_mb" &&
            key.str() != "page_timeout_seconds")
            throw ConfigError(sourceLine(file, value.source()) + "unknown key '" +
                              std::string(key.str()) +
                              "' in [worker] (it has document_timeout_seconds, "
                              "page_timeout_seconds and memory_limit_mb)");
    }
    settings.pageTimeoutSeconds = static_cast<unsigned>(boundedInteger(
        file, *table, "page_timeout_seconds", 1, 86400, settings.pageTimeoutSeconds));
    settings.documentTimeoutSeconds = static_cast<unsigned>(boundedInteger(
        file, *table, "document_timeout_seconds", 1, 86400, settings.documentTimeoutSeconds));
    settings.memoryLimitMb =
        static_cast<std::size_t>(boundedInteger(file, *table, "memory_limit_mb", 64, 1 << 24,
                                                static_cast<int64_t>(settings.memoryLimitMb)));
}

}  // namespace

std::filesystem::path settingsFile() {
    if (const char* file = std::getenv("SAKSI_CONFIG"); file && *file) return file;
    return configDir() / "saksi.toml";
}

Settings loadSettings(const std::filesystem::path& file) {
    Settings settings;
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return settings;
    const std::string name = file.string();
    toml::table doc;
    try {
        doc = toml::parse_file(name);
    } catch (const toml::parse_error& e) {
        throw ConfigError(sourceLine(name, e.source()) + std::string(e.description()));
    }
    for (auto&& [key, node] : doc) {
        if (key.str() != "plugin_paths" && key.str() != "archive" && key.str() != "worker")
            throw ConfigError(sourceLine(name, node.source()) + "unknown key '" +
                              std::string(key.str()) +
                              "' (saksi.toml has plugin_paths, [archive] and [worker])");
    }
    if (const toml::node* node = doc.get("archive")) readArchive(name, *node, settings.archive);
    if (const toml::node* node = doc.get("worker")) loadWorker(name, *node, settings);
    if (const toml::node* node = doc.get("plugin_paths")) {
        const toml::array* paths = node->as_array();
        if (!paths)
            throw ConfigError(sourceLine(name, node->source()) +
                              "plugin_paths must be a list of folders, e.g. [\"/opt/plugins\"]");
        const std::filesystem::path base = std::filesystem::absolute(file).parent_path();
        for (auto&& entry : *paths) {
            const auto* path = entry.as_string();
            if (!path || path->get().empty())
                throw ConfigError(sourceLine(name, entry.source()) +
                                  "each entry of plugin_paths must be a non-empty string");
            settings.pluginPaths.push_back((base / path->get()).lexically_normal());
        }
    }
    return settings;
}

}  // namespace saksi
