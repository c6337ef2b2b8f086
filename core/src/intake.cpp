#include "intake.hpp"

#include <algorithm>
#include <stdexcept>

namespace saksi {
namespace {

bool hidden(const std::filesystem::path& p) {
    const std::string name = p.filename().string();
    return !name.empty() && name[0] == '.';
}

bool inside(const std::filesystem::path& p, const std::filesystem::path& dir) {
    const auto rel = p.lexically_relative(dir);
    return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

InputItem InputItem::file(const std::filesystem::path& path) {
    InputItem item;
    item.path = path;
    item.sourcePath = std::filesystem::absolute(path).lexically_normal().string();
    item.name = path.filename().string();
    return item;
}

std::string InputItem::display() const {
    std::string text = sourcePath;
    for (const auto& link : container) text += "!" + link.value("member", std::string());
    return text;
}

nlohmann::json InputItem::toJson() const {
    nlohmann::json j = {{"path", path.string()},
                        {"source_path", sourcePath},
                        {"name", name},
                        {"container", container},
                        {"temporary", temporary}};
    if (error) j["error"] = {{"code", error->code}, {"message", error->message}};
    return j;
}

InputItem InputItem::fromJson(const nlohmann::json& j) {
    InputItem item;
    item.path = j.at("path").get<std::string>();
    item.sourcePath = j.at("source_path").get<std::string>();
    item.name = j.at("name").get<std::string>();
    item.container = j.at("container");
    item.temporary = j.at("temporary").get<bool>();
    if (j.contains("error"))
        item.error = IntakeError{j["error"].at("code").get<std::string>(),
                                 j["error"].at("message").get<std::string>()};
    return item;
}

std::vector<std::filesystem::path> collectInputs(const std::vector<std::string>& inputs,
                                                 const std::filesystem::path& exclude) {
    namespace fs = std::filesystem;
    const fs::path out = fs::weakly_canonical(exclude);
    std::vector<fs::path> files;
    for (const std::string& input : inputs) {
        std::error_code ec;
        const fs::path path(input);
        if (fs::is_regular_file(path, ec)) {
            files.push_back(path);
        } else if (fs::is_directory(path, ec)) {
            std::vector<fs::path> found;
            for (auto it = fs::recursive_directory_iterator(path, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                const fs::path& p = it->path();
                if (hidden(p) || inside(fs::weakly_canonical(p), out)) {
                    if (it->is_directory(ec)) it.disable_recursion_pending();
                    continue;
                }
                if (it->is_regular_file(ec) && !it->is_symlink(ec)) found.push_back(p);
            }
            if (ec) throw std::runtime_error("cannot read folder " + input + ": " + ec.message());
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
        } else {
            throw std::runtime_error("no such file or folder: " + input);
        }
    }
    return files;
}

std::optional<InputItem> FileListSource::next() {
    if (cancelled_ || next_ >= files_.size()) return std::nullopt;
    return InputItem::file(files_[next_++]);
}

}  // namespace saksi
