#include "intake.hpp"

#include "archive_reader.hpp"
#include "hashing.hpp"
#include "media_type.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
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

// The media type from the first 256 KiB (enough for libmagic to tell a docx
// from a plain zip); empty when the file cannot be read.
std::string mediaTypeOf(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return "";
    std::vector<char> head(std::size_t{256} * 1024);
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return detectMediaType({reinterpret_cast<const uint8_t*>(head.data()), head.size()});
}

// `text` with every invalid UTF-8 sequence replaced by U+FFFD: member names
// come in any encoding and end up in JSON.
std::string validUtf8(const std::string& text) {
    std::string out;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned char c = p[i];
        std::size_t len = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xE  ? 3
                          : (c >> 3) == 0x1E ? 4
                                             : 0;
        bool ok = len > 0 && i + len <= n && !(len == 2 && c < 0xC2) && !(len == 4 && c > 0xF4);
        for (std::size_t k = 1; ok && k < len; ++k) ok = (p[i + k] & 0xC0) == 0x80;
        if (ok && len == 3) {
            const unsigned cp = (c & 0x0Fu) << 12 | (p[i + 1] & 0x3Fu) << 6;
            ok = cp >= 0x800 && !(cp >= 0xD800 && cp <= 0xDFFF);
        }
        if (ok && len == 4) {
            const unsigned cp = (c & 0x07u) << 18 | (p[i + 1] & 0x3Fu) << 12;
            ok = cp >= 0x10000 && cp <= 0x10FFFF;
        }
        if (ok && len == 1 && c < 0x20) ok = false;  // control characters too
        if (ok) {
            out.append(text, i, len);
            i += len;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

std::string baseName(const std::string& memberPath) {
    std::string path = memberPath;
    while (!path.empty() && (path.back() == '/' || path.back() == '\\')) path.pop_back();
    const std::size_t slash = path.find_last_of("/\\");
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    return name.empty() ? "(unnamed)" : name;
}

// Absolute ("/x", "\\x", "C:x") or climbing ("a/../../x", "..\\x").
bool unsafePath(const std::string& path) {
    if (path.empty() || path[0] == '/' || path[0] == '\\') return true;
    if (path.size() >= 2 && std::isalpha(static_cast<unsigned char>(path[0])) && path[1] == ':')
        return true;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = path.find_first_of("/\\", start);
        if (path.substr(start, end == std::string::npos ? end : end - start) == "..") return true;
        if (end == std::string::npos) return false;
        start = end + 1;
    }
}

// A compressed file holding no archive: its one member is named after it
// without the compression suffix ("scan.pdf.gz" -> "scan.pdf").
std::string rawMemberName(const std::string& archiveName) {
    std::string lower = archiveName;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* suffix : {".gz", ".bz2", ".xz", ".zst", ".lzma", ".z"})
        if (lower.size() > std::strlen(suffix) && lower.ends_with(suffix))
            return archiveName.substr(0, archiveName.size() - std::strlen(suffix));
    return archiveName;
}

std::string bytesText(std::uint64_t n) {
    return std::to_string(n) + " bytes";
}

// Private folders of runs that no longer exist (killed): <pid> names only.
void removeStaleWorkDirs(const std::filesystem::path& workDir) {
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(workDir, ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit) || name.size() > 9)
            continue;
        const pid_t pid = static_cast<pid_t>(std::stol(name));
        std::error_code rm;
        if (pid == ::getpid() || (::kill(pid, 0) != 0 && errno == ESRCH))
            std::filesystem::remove_all(it->path(), rm);
    }
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

// One archive being read: the outermost, or one nested in it.
struct ArchiveSource::Frame {
    std::unique_ptr<ArchiveReader> reader;
    std::string label;                               // "archive" in its members' links
    std::string name;                                // base name, for messages and its own item
    std::string sha256;                              // of the archive's bytes
    nlohmann::json chain = nlohmann::json::array();  // the container of its own item
    std::filesystem::path file;
    bool temporary = false;  // `file` is ours to delete
    unsigned depth = 1;
    std::size_t yielded = 0;  // items produced from it so far
};

ArchiveSource::ArchiveSource(InputSource& inner, const ArchiveLimits& limits,
                             std::filesystem::path workDir)
    : inner_(inner),
      limits_(limits),
      workDir_(std::move(workDir)),
      privateDir_(workDir_ / std::to_string(::getpid())) {
    removeStaleWorkDirs(workDir_);
}

ArchiveSource::~ArchiveSource() {
    frames_.clear();
    std::error_code ec;
    std::filesystem::remove_all(privateDir_, ec);
    std::filesystem::remove(workDir_, ec);  // only when no other run uses it
}

void ArchiveSource::cancel() {
    cancelled_ = true;
    inner_.cancel();
}

std::optional<InputItem> ArchiveSource::next() {
    for (;;) {
        if (cancelled_) return std::nullopt;
        if (!ready_.empty()) {
            InputItem item = std::move(ready_.front());
            ready_.pop_front();
            return item;
        }
        if (!frames_.empty()) {
            const std::size_t before = ready_.size();
            step();
            rootItems_ += ready_.size() - before;
            if (frames_.empty() && rootItem_) {
                const InputItem archive = std::move(*rootItem_);
                rootItem_.reset();
                if (onArchiveDone) onArchiveDone(archive, rootItems_);
            }
            continue;
        }
        std::optional<InputItem> item = inner_.next();
        if (!item || item->error || !isArchiveMediaType(mediaTypeOf(item->path))) return item;
        openOutermost(std::move(*item));
    }
}

void ArchiveSource::openOutermost(InputItem item) {
    rootSource_ = item.sourcePath;
    rootBytes_ = rootMembers_ = 0;
    auto frame = std::make_unique<Frame>();
    try {
        frame->sha256 = fileSha256(item.path);
    } catch (const std::exception&) {
        ready_.push_back(std::move(item));  // unreadable: the engine says so
        return;
    }
    frame->label = item.container.empty() ? item.sourcePath : item.name;
    frame->name = item.name;
    frame->chain = item.container;
    frame->file = item.path;
    frame->temporary = item.temporary;
    frame->reader = std::make_unique<ArchiveReader>(item.path);
    frames_.push_back(std::move(frame));
    rootItem_ = std::move(item);
    rootItems_ = 0;
}

std::filesystem::path ArchiveSource::newTempPath() {
    namespace fs = std::filesystem;
    if (counter_ == 0) {
        fs::create_directories(workDir_);
        fs::permissions(workDir_, fs::perms::owner_all, fs::perm_options::replace);
        std::error_code ec;
        fs::remove_all(privateDir_, ec);
        if (::mkdir(privateDir_.c_str(), 0700) != 0)
            throw std::runtime_error("cannot create " + privateDir_.string() + ": " +
                                     std::strerror(errno));
    }
    return privateDir_ / ("m" + std::to_string(++counter_));
}

InputItem ArchiveSource::memberItem(const nlohmann::json& chain,
                                    const std::string& memberPath) const {
    InputItem item;
    item.sourcePath = rootSource_;
    item.name = baseName(memberPath);
    item.container = chain;
    return item;
}

void ArchiveSource::step() {
    Frame& frame = *frames_.back();
    ArchiveEntry entry;
    const ArchiveReader::Status status = frame.reader->next(entry);
    if (status == ArchiveReader::Status::end) return closeFrame(std::nullopt);
    if (status == ArchiveReader::Status::damaged) {
        std::string message =
            "The archive " + frame.name + " is damaged (" + frame.reader->error() + ")";
        if (frame.yielded > 0)
            message += "; the " + std::to_string(frame.yielded) +
                       " members before the damage were processed";
        return closeFrame(IntakeError{"archive.damaged", message + "."});
    }
    const std::string memberPath =
        frame.reader->raw() ? rawMemberName(frame.name) : validUtf8(entry.path);
    nlohmann::json chain = frame.chain;
    chain.push_back({{"archive", frame.label}, {"member", memberPath}, {"sha256", frame.sha256}});
    const std::string what = "Member " + memberPath + " of " + frame.name;
    if (++rootMembers_ > limits_.maxMembers) {
        InputItem item = memberItem(chain, memberPath);
        item.error = IntakeError{"archive.too_many_members",
                                 frames_.front()->name + " holds more than " +
                                     std::to_string(limits_.maxMembers) +
                                     " members (archive.max_members in saksi.toml); " + memberPath +
                                     " and the rest of the archive were not extracted."};
        ready_.push_back(std::move(item));
        return stopAll();
    }
    if (entry.kind == ArchiveEntry::Kind::directory) return;
    std::optional<IntakeError> refused;
    if (entry.kind == ArchiveEntry::Kind::link)
        refused = IntakeError{"archive.unsafe_path",
                              what + " is a link; links are never followed or extracted."};
    else if (entry.kind == ArchiveEntry::Kind::special)
        refused = IntakeError{"archive.unsafe_path",
                              what + " is a device, FIFO or socket entry; it was not extracted."};
    else if (unsafePath(entry.path) && !frame.reader->raw())
        refused = IntakeError{"archive.unsafe_path",
                              what +
                                  " has an absolute path or one with \"..\"; it was not "
                                  "extracted."};
    else if (entry.encrypted)
        refused = IntakeError{"archive.encrypted",
                              what + " is encrypted; decrypt the archive and process it again."};
    if (refused) {
        InputItem item = memberItem(chain, memberPath);
        item.error = std::move(refused);
        ready_.push_back(std::move(item));
        ++frame.yielded;
        return;
    }
    extract(frame, memberPath, std::move(chain));
}

void ArchiveSource::extract(Frame& frame, const std::string& memberPath, nlohmann::json chain) {
    const std::filesystem::path temp = newTempPath();
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        throw std::runtime_error("cannot create " + temp.string() + ": " + std::strerror(errno));
    const std::string what = "Member " + memberPath + " of " + frame.name;
    ArchiveReader& reader = *frame.reader;
    std::optional<IntakeError> error;
    bool stopRoot = false, stopFrame = false;
    std::uint64_t written = 0;
    buffer_.resize(std::size_t{256} * 1024);
    for (;;) {
        const long n = reader.read(buffer_.data(), buffer_.size());
        if (n == 0) break;
        if (n < 0) {
            stopFrame = reader.fatal();
            error = IntakeError{"archive.damaged",
                                what + " cannot be read (" + reader.error() + ")" +
                                    (stopFrame ? "; the rest of the archive is lost." : ".")};
            break;
        }
        written += static_cast<std::uint64_t>(n);
        rootBytes_ += static_cast<std::uint64_t>(n);
        if (rootBytes_ > limits_.maxTotalBytes) {
            stopRoot = true;
            error = IntakeError{"archive.too_large",
                                frames_.front()->name + " expands to more than " +
                                    bytesText(limits_.maxTotalBytes) +
                                    " (archive.max_total_bytes in saksi.toml); " + memberPath +
                                    " and the rest of the archive were not extracted."};
            break;
        }
        const std::uint64_t compressed =
            std::max<std::uint64_t>(1, reader.consumed() - reader.memberStart());
        if (written > limits_.bombFloorBytes &&
            static_cast<double>(written) > limits_.maxRatio * static_cast<double>(compressed)) {
            stopFrame = !reader.cheapSkip();
            error = IntakeError{
                "archive.bomb",
                what + " expands more than " + std::to_string(static_cast<long>(limits_.maxRatio)) +
                    " times its compressed size (a decompression bomb; archive.max_ratio in "
                    "saksi.toml); extraction stopped at " +
                    bytesText(written) +
                    (stopFrame ? " and the rest of the archive was not read." : ".")};
            break;
        }
        for (long done = 0; done < n;) {
            const ssize_t w =
                ::write(fd, buffer_.data() + done, static_cast<std::size_t>(n - done));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) {
                const std::string reason = std::strerror(errno);
                ::close(fd);
                std::error_code ec;
                std::filesystem::remove(temp, ec);
                throw std::runtime_error("cannot write " + temp.string() + ": " + reason);
            }
            done += w;
        }
    }
    ::close(fd);
    ++frame.yielded;
    if (error) {
        std::error_code ec;
        std::filesystem::remove(temp, ec);
        InputItem item = memberItem(chain, memberPath);
        item.error = std::move(error);
        ready_.push_back(std::move(item));
        if (stopRoot) return stopAll();
        if (stopFrame) closeFrame(std::nullopt);
        return;
    }
    InputItem item = memberItem(chain, memberPath);
    item.path = temp;
    item.temporary = true;
    if (!isArchiveMediaType(mediaTypeOf(temp))) {
        ready_.push_back(std::move(item));
        return;
    }
    if (frame.depth + 1 > limits_.maxDepth) {
        item.error = IntakeError{"archive.too_deep",
                                 what + " is an archive nested more than " +
                                     std::to_string(limits_.maxDepth) +
                                     " levels deep (archive.max_depth in saksi.toml); it was "
                                     "not opened."};
        ready_.push_back(std::move(item));
        return;
    }
    auto nested = std::make_unique<Frame>();
    nested->sha256 = fileSha256(temp);
    nested->label = memberPath;
    nested->name = item.name;
    nested->chain = std::move(chain);
    nested->file = temp;
    nested->temporary = true;
    nested->depth = frame.depth + 1;
    nested->reader = std::make_unique<ArchiveReader>(temp);
    frames_.push_back(std::move(nested));  // `frame` may move: not used below
}

void ArchiveSource::closeFrame(std::optional<IntakeError> error) {
    std::unique_ptr<Frame> frame = std::move(frames_.back());
    frames_.pop_back();
    frame->reader.reset();
    if (error || frame->yielded == 0) {
        // The archive itself gets the outcome, with its own bytes.
        InputItem item;
        item.path = frame->file;
        item.sourcePath = rootSource_;
        item.name = frame->name;
        item.container = frame->chain;
        item.temporary = frame->temporary;
        item.error =
            error ? std::move(error)
                  : IntakeError{"archive.empty", "The archive " + frame->name + " holds no files."};
        ready_.push_back(std::move(item));
    } else if (frame->temporary) {
        std::error_code ec;
        std::filesystem::remove(frame->file, ec);
    }
}

void ArchiveSource::stopAll() {
    while (!frames_.empty()) {
        std::unique_ptr<Frame> frame = std::move(frames_.back());
        frames_.pop_back();
        frame->reader.reset();
        std::error_code ec;
        if (frame->temporary) std::filesystem::remove(frame->file, ec);
    }
}

}  // namespace saksi
