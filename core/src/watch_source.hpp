// A watched folder as an InputSource: the files already in it at start,
// then each file closed after writing or moved in (inotify), in its
// subfolders too. Once a document's outcome is durable its original is moved
// out of the way, into INBOX/.saksi/done/ or INBOX/.saksi/failed/.
#pragma once

#include "intake.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace saksi {

// Names a watched folder never takes: files still being written by a
// browser or a copy tool (*.part, *.tmp, *.crdownload), office lock files
// (~$*) and hidden files. Compared case-insensitively.
bool isPartialName(const std::string& name);

class WatchSource : public InputSource {
public:
    // Watches `inbox` and every subfolder (later ones too), leaving out
    // hidden folders (INBOX/.saksi among them), symlinks and anything inside
    // `exclude` (the output folder). Queues the files already there, sorted
    // by path. A queued file is taken only once it is complete: no process
    // has it open for writing and its size and modification time have not
    // changed for `quiet` (so a file written in several open/close rounds
    // is one document). Throws std::runtime_error (no such folder, inotify
    // limits).
    WatchSource(const std::filesystem::path& inbox, const std::filesystem::path& exclude,
                std::chrono::milliseconds quiet = std::chrono::seconds(1));
    WatchSource(const WatchSource&) = delete;
    WatchSource& operator=(const WatchSource&) = delete;
    ~WatchSource() override;

    // Blocks until a file is ready (woken by inotify at once) or cancel().
    // Throws std::runtime_error when the inbox itself is removed.
    std::optional<InputItem> next() override;
    // Thread-safe and async-signal-safe: a SIGTERM handler may call it.
    void cancel() override;

    // Where a finished original went.
    struct Moved {
        std::filesystem::path to;
        std::filesystem::path failureRecord;  // the copy next to it, or empty
    };
    // Moves the original of an item next() returned into INBOX/.saksi/done/
    // or, when `failed`, INBOX/.saksi/failed/ together with a copy of
    // `failureRecord` (when it exists) named "<moved name>.failure.json". The path below the
    // inbox is kept; a name already taken gets "-1", "-2"... before its
    // extension (never overwritten). Renames within the inbox's file system
    // and fsyncs the folders. Returns nullopt, moving nothing, when the file
    // was written again after next() returned it, or is open for writing
    // now: next() returns it once more when it is complete. Throws std::runtime_error when the move
    // fails (the file stays). Thread-safe.
    std::optional<Moved> finish(const InputItem& item, bool failed,
                                const std::filesystem::path& failureRecord);

    // Files queued or being processed, for progress lines.
    std::size_t waiting() const;

private:
    void watchTree(const std::filesystem::path& dir, bool queueFiles);
    void unwatchTree(const std::filesystem::path& dir);
    void readEvents();
    void queue(const std::filesystem::path& file);
    bool excluded(const std::filesystem::path& path) const;
    void wake() const;

    // What a file looked like: any change means it is still being written.
    struct Stamp {
        std::uintmax_t size = 0;
        std::int64_t mtimeNs = 0, ctimeNs = 0;
        std::uint64_t inode = 0;
        bool operator==(const Stamp&) const = default;
    };
    struct Settling {
        Stamp stamp;
        std::chrono::steady_clock::time_point since;  // unchanged since then
    };
    static std::optional<Stamp> stampOf(const std::filesystem::path& file);
    // The next settled file, moved from settling_ to taken_; waits (the
    // poll timeout) for the others.
    std::optional<std::filesystem::path> takeSettled(int& pollTimeoutMs);

    std::filesystem::path inbox_, exclude_;
    std::chrono::milliseconds quiet_;
    int inotify_ = -1, wake_ = -1;  // inotify and eventfd descriptors
    int rootWatch_ = -1;
    std::atomic<bool> cancelled_{false};
    bool stopLogged_ = false;
    std::map<int, std::filesystem::path> dirs_;  // watch descriptor -> folder

    mutable std::mutex mu_;  // guards the sets and queue below
    std::deque<std::filesystem::path> queue_;
    std::set<std::filesystem::path> queued_;              // in queue_
    std::map<std::filesystem::path, Settling> settling_;  // seen, not complete yet
    std::map<std::filesystem::path, Stamp> taken_;        // returned by next(), not finished
    std::set<std::filesystem::path> rewritten_;           // taken_ and written again since
};

}  // namespace saksi
