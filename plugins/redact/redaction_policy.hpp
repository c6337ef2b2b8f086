// redaction_policy.hpp -- what a redaction policy (config/redaction/*.toml)
// hides and how, parsed once when the stage is created.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace saksi::redact {

enum class Method { mask, pseudonym };

std::string_view methodName(Method method);

// The policies of config/redaction/, by name (file name without .toml).
const std::map<std::string, std::string>& embeddedPolicies();

// "date_of_birth" in a policy: the date entities that are birth dates.
inline constexpr std::string_view kDateOfBirth = "date_of_birth";

struct Policy {
    std::string name;
    std::string description;
    // Entity type (or kDateOfBirth) -> method.
    std::map<std::string, Method> types;
    // The whole machine-readable zone (its lines, every MRZ field, its band
    // on the page image); nothing when the policy keeps it.
    std::optional<Method> mrz;
    // Where the case key for pseudonyms comes from; empty when not given.
    std::string keyEnv;
    std::string keyFile;
    // Lower-case hex SHA-256 of the policy's TOML text.
    std::string sha256;

    bool usesPseudonym() const;
    // The method for an entity of `type`, if the policy redacts it.
    std::optional<Method> methodFor(const std::string& type) const;
};

// Parses a policy's TOML text. `origin` names it in error messages.
// Throws std::invalid_argument with the line on unknown keys, types or methods.
Policy parsePolicy(std::string_view toml, const std::string& name, const std::string& origin);

// A name in config/redaction/ ("evidence") or the path of a .toml file
// (it contains '/' or ends in ".toml"; relative to the working directory).
Policy loadPolicy(const std::string& nameOrPath);

// Reads the case key: from the file `keyFile` when not empty (one trailing
// newline ignored), else from the environment variable `keyEnv`. Throws
// std::invalid_argument saying what is missing; a key must have at least
// kMinKeyBytes bytes.
inline constexpr std::size_t kMinKeyBytes = 16;
std::string loadCaseKey(const std::string& keyEnv, const std::string& keyFile);

}  // namespace saksi::redact
