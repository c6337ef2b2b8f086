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

// The length of the valid UTF-8 sequence starting at p[i], or 0 when the
// byte there starts none (control characters count as invalid: names end up
// in JSON and on terminals).
std::size_t utf8SequenceAt(const unsigned char* p, std::size_t n, std::size_t i) {
    const unsigned char c = p[i];
    const std::size_t len = c < 0x80           ? 1
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
    if (ok && len == 1 && (c < 0x20 || c == 0x7F)) ok = false;
    return ok ? len : 0;
}

// `text` with each byte that starts no valid UTF-8 sequence replaced by
// `replace(byte)`.
template <class Replace>
std::string mapInvalidUtf8(const std::string& text, Replace replace) {
    std::string out;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    for (std::size_t i = 0; i < text.size();) {
        if (const std::size_t len = utf8SequenceAt(p, text.size(), i)) {
            out.append(text, i, len);
            i += len;
        } else {
            out += replace(p[i++]);
        }
    }
    return out;
}

// `text` with every invalid UTF-8 sequence replaced by U+FFFD: member names
// come in any encoding and end up in JSON.
std::string validUtf8(const std::string& text) {
    return mapInvalidUtf8(text, [](unsigned char) { return std::string("\xEF\xBF\xBD"); });
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
    std::string text = escapedBytes(sourcePath);
    for (const auto& link : container) text += "!" + link.value("member", std::string());
    return text;
}

namespace {

// A name's bytes through JSON (which holds only UTF-8): as itself when it is
// valid UTF-8, else as "<key>_hex" beside an escaped copy for people.
void putBytes(nlohmann::json& j, const char* key, const std::string& bytes) {
    if (escapedBytes(bytes) == bytes) {
        j[key] = bytes;
        return;
    }
    static const char* hex = "0123456789abcdef";
    std::string text;
    for (const unsigned char c : bytes) {
        text += hex[c >> 4];
        text += hex[c & 0xF];
    }
    j[key] = escapedBytes(bytes);
    j[std::string(key) + "_hex"] = text;
}

std::string getBytes(const nlohmann::json& j, const char* key) {
    const std::string hexKey = std::string(key) + "_hex";
    if (!j.contains(hexKey)) return j.at(key).get<std::string>();
    const std::string text = j.at(hexKey).get<std::string>();
    std::string bytes;
    for (std::size_t i = 0; i + 1 < text.size(); i += 2)
        bytes += static_cast<char>(std::stoi(text.substr(i, 2), nullptr, 16));
    return bytes;
}

}  // namespace

nlohmann::json InputItem::toJson() const {
    nlohmann::json j = {{"container", container}, {"temporary", temporary}};
    putBytes(j, "path", path.string());
    putBytes(j, "source_path", sourcePath);
    putBytes(j, "name", name);
    if (error) j["error"] = {{"code", error->code}, {"message", error->message}};
    if (!sha256.empty()) j["sha256"] = sha256;
    return j;
}

std::string InputItem::key() const {
    nlohmann::json j = toJson();
    j.erase("sha256");
    return j.dump();
}

InputItem InputItem::fromJson(const nlohmann::json& j) {
    InputItem item;
    item.path = getBytes(j, "path");
    item.sourcePath = getBytes(j, "source_path");
    item.name = getBytes(j, "name");
    item.container = j.at("container");
    item.temporary = j.at("temporary").get<bool>();
    item.sha256 = j.value("sha256", "");
    if (j.contains("error"))
        item.error = IntakeError{j["error"].at("code").get<std::string>(),
                                 j["error"].at("message").get<std::string>()};
    return item;
}

namespace {

// An item that gets a failure record instead of being read: no path, so
// nothing opens it (a FIFO would block, a device could be endless).
InputItem refusedItem(const std::filesystem::path& path, const std::string& code,
                      const std::string& message) {
    InputItem item = InputItem::file(path);
    item.path.clear();
    item.error = IntakeError{code, message};
    return item;
}

// What a path that is neither a folder nor a regular file gets (`status`:
// what it is, its link not followed).
InputItem notRegularItem(const std::filesystem::path& path, std::filesystem::file_type type) {
    namespace fs = std::filesystem;
    const char* what = type == fs::file_type::fifo        ? "a FIFO (named pipe)"
                       : type == fs::file_type::socket    ? "a socket"
                       : type == fs::file_type::block     ? "a block device"
                       : type == fs::file_type::character ? "a character device"
                                                          : "not a regular file";
    return refusedItem(path, "input.not_regular",
                       std::string("The path is ") + what +
                           ", not a file: it was not read. Copy its contents to a file to "
                           "process them.");
}

// A symbolic link met inside a folder: never followed (the tree could
// loop or leave the inputs), always accounted for.
InputItem linkItem(const std::filesystem::path& link) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status target = fs::status(link, ec);
    if (ec && ec.value() == ELOOP)
        return refusedItem(link, "input.symlink_loop",
                           "The symbolic link resolves to itself (a loop): it was not followed.");
    if (ec || !fs::exists(target))
        return refusedItem(link, "input.symlink_broken",
                           "The symbolic link points to nothing that exists: it was not followed.");
    const fs::path resolved = fs::weakly_canonical(link, ec);
    const fs::path parent = fs::weakly_canonical(link.parent_path(), ec);
    if (fs::is_directory(target) && !ec && (parent == resolved || inside(parent, resolved)))
        return refusedItem(link, "input.symlink_loop",
                           "The symbolic link points to a folder that contains it (a loop): it "
                           "was not followed.");
    const std::string to = fs::read_symlink(link, ec).string();
    return refusedItem(link, "input.symlink",
                       "A symbolic link (to " + escapedBytes(to) +
                           ") inside a folder is not followed; give its target as an input "
                           "to process it.");
}

// Everything under `dir` in a stable order (names sorted bytewise), hidden
// entries and the output folder left out.
void walkFolder(const std::filesystem::path& dir, const std::filesystem::path& out,
                std::vector<InputItem>& items) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<fs::path> entries;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec))
        entries.push_back(it->path());
    if (ec) {
        items.push_back(refusedItem(dir, "input.unreadable",
                                    "The folder cannot be read (" + ec.message() +
                                        "); the files in it were not processed. Check its "
                                        "permissions."));
        if (entries.empty()) return;
    }
    std::sort(entries.begin(), entries.end());
    for (const fs::path& p : entries) {
        if (hidden(p)) continue;
        std::error_code sec;
        const fs::file_status st = fs::symlink_status(p, sec);
        if (sec) {
            items.push_back(refusedItem(p, "input.unreadable",
                                        "The path cannot be examined (" + sec.message() + ")."));
            continue;
        }
        if (fs::is_symlink(st)) {
            items.push_back(linkItem(p));
        } else if (fs::is_directory(st)) {
            if (!inside(fs::weakly_canonical(p, sec), out) && fs::weakly_canonical(p, sec) != out)
                walkFolder(p, out, items);
        } else if (fs::is_regular_file(st)) {
            items.push_back(InputItem::file(p));
        } else {
            items.push_back(notRegularItem(p, st.type()));
        }
    }
}

}  // namespace

std::string escapedBytes(const std::string& bytes) {
    return mapInvalidUtf8(bytes, [](unsigned char c) {
        static const char* hex = "0123456789abcdef";
        return std::string{'\\', 'x', hex[c >> 4], hex[c & 0xF]};
    });
}

std::vector<InputItem> collectInputs(const std::vector<std::string>& inputs,
                                     const std::filesystem::path& out) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path outDir = out.empty() ? fs::path() : fs::weakly_canonical(out, ec);
    std::vector<InputItem> items;
    for (const std::string& input : inputs) {
        const fs::path path(input);
        const fs::file_status linkStatus = fs::symlink_status(path, ec);
        if (ec || !fs::exists(linkStatus))
            throw std::runtime_error("no such file or folder: " + escapedBytes(input));
        const fs::file_status st = fs::status(path, ec);
        if (ec && ec.value() == ELOOP) {
            items.push_back(refusedItem(path, "input.symlink_loop",
                                        "The symbolic link resolves to itself (a loop)."));
        } else if (ec || !fs::exists(st)) {
            items.push_back(refusedItem(path, "input.symlink_broken",
                                        "The symbolic link points to nothing that exists."));
        } else if (fs::is_directory(st)) {
            const fs::path root = fs::weakly_canonical(path, ec);
            if (!outDir.empty() && (outDir == root || inside(outDir, root)))
                throw std::runtime_error("the output folder " + escapedBytes(out.string()) +
                                         " is inside the input " + escapedBytes(input) +
                                         ": its own records would become inputs; choose an "
                                         "--out outside every input folder");
            walkFolder(path, outDir, items);
        } else if (fs::is_regular_file(st)) {
            items.push_back(InputItem::file(path));
        } else {
            items.push_back(notRegularItem(path, st.type()));
        }
    }
    return items;
}

FileListSource::FileListSource(const std::vector<std::filesystem::path>& files) {
    for (const auto& file : files) items_.push_back(InputItem::file(file));
}

std::optional<InputItem> FileListSource::next() {
    if (cancelled_ || next_ >= items_.size()) return std::nullopt;
    return items_[next_++];
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
