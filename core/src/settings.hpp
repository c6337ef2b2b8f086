// Saksi's own settings (config/saksi.toml), as opposed to a pipeline's.
#pragma once

#include "intake.hpp"

#include <cstddef>
#include <filesystem>
#include <vector>

namespace saksi {

struct Settings {
    // Extra plugin folders, absolute (relative entries resolved against the
    // folder of the file that named them).
    std::vector<std::filesystem::path> pluginPaths;
    // [archive]: how far an archive may expand.
    ArchiveLimits archive;
    // [worker]: the limits on each worker process.
    unsigned documentTimeoutSeconds = 600;
    std::size_t memoryLimitMb = 4096;
    unsigned pageTimeoutSeconds = 120;
};

// Reads a saksi.toml. A missing file gives the defaults; anything malformed
// or unknown throws ConfigError ("FILE:LINE: what is wrong").
Settings loadSettings(const std::filesystem::path& file);

// The saksi.toml in use: $SAKSI_CONFIG when set, else <config dir>/saksi.toml.
std::filesystem::path settingsFile();

}  // namespace saksi
