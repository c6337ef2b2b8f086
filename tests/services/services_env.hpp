// The URLs run-services wrote for this build's throwaway Redis and PostgreSQL.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <stdexcept>
#include <string>

namespace saksi::testing {

// KEY=VALUE lines of SAKSI_SERVICES_ENV; throws when the fixture did not run.
inline std::string serviceUrl(const std::string& key) {
    std::ifstream in(SAKSI_SERVICES_ENV);
    if (!in)
        throw std::runtime_error(std::string("no ") + SAKSI_SERVICES_ENV +
                                 ": run through ctest (fixture services.start)");
    for (std::string line; std::getline(in, line);)
        if (line.starts_with(key + "=")) return line.substr(key.size() + 1);
    throw std::runtime_error(key + " missing from " + SAKSI_SERVICES_ENV);
}

}  // namespace saksi::testing
