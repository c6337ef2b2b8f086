// What a run processes: input items (a file, or a member extracted from an
// archive) pulled one at a time from an InputSource, so a batch, a watched
// folder and a queue feed the same engine.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace saksi {

// A failure decided before any decoding (an unsafe archive member, a member
// over the archive limits): the document gets a failure record with it.
struct IntakeError {
    std::string code;  // dotted, e.g. "archive.unsafe_path"
    std::string message;
};

struct InputItem {
    // The bytes to read: the original file, or a temporary copy of an
    // archive member (see `temporary`).
    std::filesystem::path path;
    // What the record's source.path and the ledger say: the original's
    // absolute path (for a member, the outermost archive's path).
    std::string sourcePath;
    // source.name in the record: the file or member name.
    std::string name;
    // source.container: the archive chain, outermost first, e.g.
    // [{"archive": "/in/a.zip", "member": "b.tar"}, {"archive": "b.tar", "member": "c.png"}].
    nlohmann::json container = nlohmann::json::array();
    // `path` is a temporary file the engine deletes once the outcome is recorded.
    bool temporary = false;
    // The SHA-256 its bytes had when the run received it (set by the engine
    // before handing it to a worker); empty when not known yet. Bytes read
    // later that hash otherwise fail the document with input.changed under
    // this id.
    std::string sha256;
    std::optional<IntakeError> error;

    // An item for a plain file on disk.
    static InputItem file(const std::filesystem::path& path);

    // For logs: the source path, then each member inside it ("a.zip!b/c.png").
    std::string display() const;

    // For handing an item to another process (a worker, a queue).
    nlohmann::json toJson() const;
    // The item as the source gave it, for matching an outcome to its job:
    // toJson() without `sha256`, which the engine adds once it has hashed.
    std::string key() const;
    static InputItem fromJson(const nlohmann::json& json);
};

// Where a run's documents come from. next() is called from one thread at a
// time and may block (a watched folder waits for files).
class InputSource {
public:
    virtual ~InputSource() = default;
    // The next item, or nullopt when there is nothing more to process.
    virtual std::optional<InputItem> next() = 0;
    // Makes a next() blocked in another thread return nullopt soon, and every
    // later call too: the run is stopping early. Thread-safe.
    virtual void cancel() {}
};

// Every path met under the inputs, in a stable order (names sorted
// bytewise): each regular file as an item to read, and each thing that is
// not one as an item with its IntakeError (and no path, so nothing opens
// it): input.symlink (a link inside a folder: never followed),
// input.symlink_loop, input.symlink_broken, input.not_regular (a FIFO,
// socket or device), input.unreadable (a folder that cannot be listed).
// Hidden entries (".name") and `out` (the output folder) are left out. An
// input given by name is read through a link. Throws std::runtime_error for
// an input that does not exist, and when `out` is an input folder or inside
// one (its records would become inputs).
std::vector<InputItem> collectInputs(const std::vector<std::string>& inputs,
                                     const std::filesystem::path& out);

// `bytes` (a file name: any bytes but "/" and NUL) for people and JSON: each
// byte that starts no valid UTF-8 sequence, and each control character,
// written as \xNN; valid UTF-8 is unchanged.
std::string escapedBytes(const std::string& bytes);

// The given items (or files), in order.
class FileListSource : public InputSource {
public:
    explicit FileListSource(std::vector<InputItem> items) : items_(std::move(items)) {}
    explicit FileListSource(const std::vector<std::filesystem::path>& files);
    std::optional<InputItem> next() override;
    void cancel() override { cancelled_ = true; }
    std::size_t size() const { return items_.size(); }

private:
    std::vector<InputItem> items_;
    std::size_t next_ = 0;
    std::atomic<bool> cancelled_{false};
};

// How far an archive may expand ([archive] in saksi.toml). Every limit is
// per outermost archive; a member past one gets a failure record with the
// code named, and the run goes on.
struct ArchiveLimits {
    // Archives inside archives: the outermost is level 1; an archive found
    // at a deeper level is not opened (archive.too_deep).
    unsigned maxDepth = 5;
    // Bytes extracted from one outermost archive, nested ones included
    // (archive.too_large; the rest of that archive is not read).
    std::uint64_t maxTotalBytes = std::uint64_t{8} << 30;
    // A member whose output passes this many times the compressed bytes
    // read for it, once past bombFloorBytes, is stopped (archive.bomb).
    double maxRatio = 250;
    std::uint64_t bombFloorBytes = std::uint64_t{1} << 20;
    // Entries of one outermost archive, nested ones included
    // (archive.too_many_members; the rest is not read).
    std::uint64_t maxMembers = 100000;
};

// Expands the archives among another source's items, recursively: each
// member becomes an item of its own, its bytes copied into a private folder
// (`workDir`/<pid>, mode 0700) under a counter name -- never the member's
// path, so "..", absolute paths and links cannot write anywhere else.
// Items that are not archives pass through unchanged.
//
// Each member item has sourcePath = the outermost archive's, name = the
// member's base name, and container = the chain of links, outermost first,
// {"archive": <outermost path, or the nested archive's member path>,
//  "member": <path inside it>, "sha256": <that archive's SHA-256>}.
// Directories are skipped. Failure items (no bytes): archive.unsafe_path (a
// link, a device, a path with ".." or absolute), archive.encrypted,
// archive.bomb, archive.too_large, archive.too_many_members, archive.damaged
// (a member that cannot be read). An archive that yields no member at all
// (empty, or unreadable from the start), or that is nested too deep, gets an
// item of its own with its bytes and archive.empty, archive.damaged or
// archive.too_deep.
class ArchiveSource : public InputSource {
public:
    ArchiveSource(InputSource& inner, const ArchiveLimits& limits, std::filesystem::path workDir);
    ArchiveSource(const ArchiveSource&) = delete;
    ArchiveSource& operator=(const ArchiveSource&) = delete;
    // Removes the private folder (temp files still there included).
    ~ArchiveSource() override;
    std::optional<InputItem> next() override;
    void cancel() override;

    // Called from next() once an outermost archive has been read to its end
    // (or to a limit that stops it): `archive` is the item the inner source
    // gave, `items` how many items were made of it (members, members of
    // nested archives, failure items, or the archive's own item when it
    // yielded none). Some may still wait in next(). Not called for items that
    // are not archives, nor for an archive left unfinished by cancel().
    std::function<void(const InputItem& archive, std::size_t items)> onArchiveDone;

private:
    struct Frame;
    void openOutermost(InputItem item);
    void step();
    void extract(Frame& frame, const std::string& memberPath, nlohmann::json chain);
    void closeFrame(std::optional<IntakeError> error);
    void stopAll();
    std::filesystem::path newTempPath();
    InputItem memberItem(const nlohmann::json& chain, const std::string& memberPath) const;

    InputSource& inner_;
    ArchiveLimits limits_;
    std::filesystem::path workDir_, privateDir_;
    std::atomic<bool> cancelled_{false};
    std::deque<InputItem> ready_;
    std::vector<std::unique_ptr<Frame>> frames_;  // innermost last
    std::string rootSource_;
    std::optional<InputItem> rootItem_;  // the outermost archive being read
    std::size_t rootItems_ = 0;          // items made of it so far
    std::uint64_t rootBytes_ = 0, rootMembers_ = 0, counter_ = 0;
    std::vector<char> buffer_;
};

}  // namespace saksi
