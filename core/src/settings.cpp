#include "settings.hpp"

#include "pipeline.hpp"
#include "toml_json.hpp"

#include <toml++/toml.h>

namespace saksi {

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
        if (key.str() != "plugin_paths")
            throw ConfigError(sourceLine(name, node.source()) + "unknown key '" +
                              std::string(key.str()) + "' (saksi.toml has plugin_paths)");
    }
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
