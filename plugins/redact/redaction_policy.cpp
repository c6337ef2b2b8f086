#include "redaction_policy.hpp"

#include "pseudonym.hpp"

#include <toml++/toml.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace saksi::redact {
namespace {

// The entity types of the record schema, plus the birth-date refinement.
const std::set<std::string, std::less<>>& knownTypes() {
    static const std::set<std::string, std::less<>> types = {
        "person",      "organization", "location", "passport_number",
        "national_id", "phone",        "email",    "bank_account",
        "money",       "date",         "url",      std::string(kDateOfBirth)};
    return types;
}

std::string at(const std::string& origin, const toml::source_region& where) {
    return origin + ":" + std::to_string(where.begin.line) + ": ";
}

Method methodOf(const toml::node& node, const std::string& key, const std::string& origin) {
    const auto value = node.value<std::string>();
    if (value == "mask") return Method::mask;
    if (value == "pseudonym") return Method::pseudonym;
    throw std::invalid_argument(at(origin, node.source()) + "'" + key +
                                "' must be \"mask\" or \"pseudonym\"");
}

std::string readFile(const std::string& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::invalid_argument("cannot read " + what + " " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

std::string_view methodName(Method method) {
    return method == Method::mask ? "mask" : "pseudonym";
}

bool Policy::usesPseudonym() const {
    if (mrz == Method::pseudonym) return true;
    for (const auto& [type, method] : types)
        if (method == Method::pseudonym) return true;
    return false;
}

std::optional<Method> Policy::methodFor(const std::string& type) const {
    const auto it = types.find(type);
    if (it == types.end()) return std::nullopt;
    return it->second;
}

Policy parsePolicy(std::string_view text, const std::string& name, const std::string& origin) {
    toml::table doc;
    try {
        doc = toml::parse(text, origin);
    } catch (const toml::parse_error& e) {
        throw std::invalid_argument(at(origin, e.source()) + std::string(e.description()));
    }
    Policy policy;
    policy.name = name;
    policy.sha256 = sha256Hex(text);
    for (auto&& [key, node] : doc) {
        const std::string k(key.str());
        if (k == "description") {
            policy.description = node.value_or(std::string());
        } else if (k == "mrz") {
            const auto value = node.value<std::string>();
            if (value == "mask")
                policy.mrz = Method::mask;
            else if (value != "keep")
                throw std::invalid_argument(at(origin, node.source()) +
                                            "'mrz' must be \"mask\" or \"keep\"");
        } else if (k == "key_env" || k == "key_file") {
            const auto value = node.value<std::string>();
            if (!value)
                throw std::invalid_argument(at(origin, node.source()) + "'" + k +
                                            "' must be a string");
            (k == "key_env" ? policy.keyEnv : policy.keyFile) = *value;
        } else if (k == "redact") {
            const toml::table* table = node.as_table();
            if (!table)
                throw std::invalid_argument(at(origin, node.source()) +
                                            "[redact] must be a table of type = \"method\"");
            for (auto&& [typeKey, methodNode] : *table) {
                const std::string type(typeKey.str());
                if (!knownTypes().contains(type))
                    throw std::invalid_argument(at(origin, methodNode.source()) +
                                                "unknown entity type '" + type + "'");
                policy.types[type] = methodOf(methodNode, type, origin);
            }
        } else {
            throw std::invalid_argument(
                at(origin, node.source()) + "unknown key '" + k +
                "' (a policy has description, mrz, key_env, key_file and [redact])");
        }
    }
    return policy;
}

Policy loadPolicy(const std::string& nameOrPath) {
    if (nameOrPath.find('/') != std::string::npos || nameOrPath.ends_with(".toml")) {
        std::string name = nameOrPath.substr(nameOrPath.rfind('/') + 1);
        if (name.ends_with(".toml")) name.resize(name.size() - 5);
        return parsePolicy(readFile(nameOrPath, "redaction policy"), name, nameOrPath);
    }
    const auto& policies = embeddedPolicies();
    const auto it = policies.find(nameOrPath);
    if (it == policies.end()) {
        std::string known;
        for (const auto& [name, _] : policies) known += (known.empty() ? "" : ", ") + name;
        throw std::invalid_argument("no redaction policy '" + nameOrPath + "' (policies: " + known +
                                    "; or give the path of a .toml file)");
    }
    return parsePolicy(it->second, it->first, "config/redaction/" + it->first + ".toml");
}

std::string loadCaseKey(const std::string& keyEnv, const std::string& keyFile) {
    std::string key;
    std::string from;
    if (!keyFile.empty()) {
        key = readFile(keyFile, "case key file");
        if (key.ends_with('\n')) key.pop_back();
        if (key.ends_with('\r')) key.pop_back();
        from = "the key file " + keyFile;
    } else if (!keyEnv.empty()) {
        const char* value = std::getenv(keyEnv.c_str());
        if (!value || !*value)
            throw std::invalid_argument("the environment variable " + keyEnv +
                                        " that should hold the case key is not set");
        key = value;
        from = "the environment variable " + keyEnv;
    } else {
        throw std::invalid_argument("no case key: set key_env or key_file in the policy or stage");
    }
    if (key.size() < kMinKeyBytes)
        throw std::invalid_argument("the case key from " + from + " is shorter than " +
                                    std::to_string(kMinKeyBytes) + " bytes");
    return key;
}

}  // namespace saksi::redact
