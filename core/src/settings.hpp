// Saksi's own settings (config/saksi.toml), as opposed to a pipeline's.
#pragma once

#include "intake.hpp"

#include <filesystem>
#include <vector>

namespace saksi {

struct Settings {
    // Extra plugin folders, absolute (relative entries resolved against the
    // folder of the file that named them).
    std::vector<std::filesystem::path> pluginPaths;
    // [archive]: how far an archive may expand.
    ArchiveLimits archive;
};

// Reads a saksi.toml. A missing file gives the defaults; anything malformed
// or unknown throws ConfigError ("FILE:LINE: what is wrong").
Settings loadSettings(const std::filesystem::path& file);

}  // namespace saksi
