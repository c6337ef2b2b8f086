// What a run processes: input items (a file, or a member extracted from an
// archive) pulled one at a time from an InputSource, so a batch, a watched
// folder and a queue feed the same engine.
#pragma once

#include <atomic>
#include <filesystem>
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
    std::optional<IntakeError> error;

    // An item for a plain file on disk.
    static InputItem file(const std::filesystem::path& path);

    // For logs: the source path, then each member inside it ("a.zip!b/c.png").
    std::string display() const;

    // For handing an item to another process (a worker, a queue).
    nlohmann::json toJson() const;
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

// The regular files under the inputs (folders recursively, symlinked folders
// not followed, hidden files skipped), in a stable order, leaving out
// anything inside `exclude` (the output folder). Throws std::runtime_error
// for an input that does not exist.
std::vector<std::filesystem::path> collectInputs(const std::vector<std::string>& inputs,
                                                 const std::filesystem::path& exclude);

// The given files, in order.
class FileListSource : public InputSource {
public:
    explicit FileListSource(std::vector<std::filesystem::path> files) : files_(std::move(files)) {}
    std::optional<InputItem> next() override;
    void cancel() override { cancelled_ = true; }
    std::size_t size() const { return files_.size(); }

private:
    std::vector<std::filesystem::path> files_;
    std::size_t next_ = 0;
    std::atomic<bool> cancelled_{false};
};

}  // namespace saksi
