#include "settings.hpp"

#include "pipeline.hpp"
#include "toml_json.hpp"

#include <toml++/toml.h>

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

}  // namespace

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
        if (key.str() != "plugin_paths" && key.str() != "archive")
            throw ConfigError(sourceLine(name, node.source()) + "unknown key '" +
                              std::string(key.str()) +
                              "' (saksi.toml has plugin_paths and [archive])");
    }
    if (const toml::node* node = doc.get("archive")) readArchive(name, *node, settings.archive);
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
