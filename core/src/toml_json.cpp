#include "toml_json.hpp"

#include <stdexcept>

namespace saksi {

nlohmann::json tomlToJson(const toml::node& node) {
    if (const auto* t = node.as_table()) {
        nlohmann::json out = nlohmann::json::object();
        for (auto&& [k, v] : *t) out[std::string(k.str())] = tomlToJson(v);
        return out;
    }
    if (const auto* a = node.as_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (auto&& v : *a) out.push_back(tomlToJson(v));
        return out;
    }
    if (const auto* s = node.as_string()) return s->get();
    if (const auto* i = node.as_integer()) return i->get();
    if (const auto* f = node.as_floating_point()) return f->get();
    if (const auto* b = node.as_boolean()) return b->get();
    throw std::invalid_argument("a TOML date or time has no meaning in a Saksi setting");
}

std::string sourceLine(const std::string& file, const toml::source_region& where) {
    return file + ":" + std::to_string(where.begin.line) + ": ";
}

}  // namespace saksi
