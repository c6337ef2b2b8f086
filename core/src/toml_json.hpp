// TOML values (pipelines, manifests, settings) as JSON, the form stage
// configurations and schemas take.
#pragma once

#include <toml++/toml.h>
#include <nlohmann/json.hpp>
#include <string>

namespace saksi {

// Tables, arrays, strings, integers, floats and booleans. A date or time
// throws std::invalid_argument: no Saksi setting takes one. The caller adds
// the file and line (node.source()).
nlohmann::json tomlToJson(const toml::node& node);

// "FILE:LINE: ", the prefix of every configuration error.
std::string sourceLine(const std::string& file, const toml::source_region& where);

}  // namespace saksi
