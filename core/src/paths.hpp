// Where saksi finds its plugins and data, relative to its own executable,
// so build/bin/saksi and an installed bin/saksi both work without variables.
#pragma once

#include <filesystem>

namespace saksi {

std::filesystem::path executableDir();
// <prefix>/<libdir>/saksi/plugins, <prefix> being <exe>/.. (lib may be multiarch)
std::filesystem::path builtinPluginDir();
// <exe>/../share/saksi when installed, else the source tree.
std::filesystem::path dataDir();
std::filesystem::path pipelineDir();
// Saksi's defaults: saksi.toml, gazetteers, redaction policies, the record schema.
std::filesystem::path configDir();

}  // namespace saksi
