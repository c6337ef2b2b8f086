// stderr logging through spdlog: plain lines for people, JSON lines for machines.
#pragma once

#include <string>

namespace saksi {

// level: trace, debug, info, warn, error, off. Throws std::invalid_argument.
void setupLogging(const std::string& level, bool json);

// What setupLogging() was last given (worker processes log the same way).
struct LoggingSettings {
    std::string level = "info";
    bool json = false;
};
const LoggingSettings& loggingSettings();

}  // namespace saksi
