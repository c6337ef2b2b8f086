#include "paths.hpp"

namespace saksi {

std::filesystem::path executableDir() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::current_path() : exe.parent_path();
}

std::filesystem::path builtinPluginDir() {
    return (executableDir() / ".." / SAKSI_PLUGIN_INSTALL_DIR).lexically_normal();
}

std::filesystem::path dataDir() {
    std::error_code ec;
    auto installed = (executableDir() / ".." / SAKSI_DATA_INSTALL_DIR).lexically_normal();
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
