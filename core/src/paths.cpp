#include "paths.hpp"

namespace saksi {

std::filesystem::path executableDir() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::current_path() : exe.parent_path();
}

// The install prefix as seen from the executable: bin/saksi -> "..". The
// build tree mirrors the install tree, so this holds for build/bin/saksi too.
static std::filesystem::path prefixDir() {
    return (executableDir() / SAKSI_BIN_TO_PREFIX).lexically_normal();
}

std::filesystem::path builtinPluginDir() {
    return (prefixDir() / SAKSI_PLUGIN_INSTALL_DIR).lexically_normal();
}

std::filesystem::path dataDir() {
    std::error_code ec;
    auto installed = (prefixDir() / SAKSI_DATA_INSTALL_DIR).lexically_normal();
    if (std::filesystem::is_directory(installed / "pipelines", ec)) return installed;
    return SAKSI_SOURCE_DIR;
}

std::filesystem::path pipelineDir() {
    return dataDir() / "pipelines";
}
std::filesystem::path configDir() {
    return dataDir() / "config";
}

}  // namespace saksi
