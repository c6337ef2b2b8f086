#include "watch_source.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace saksi {
namespace fs = std::filesystem;

namespace {

// Complete files arrive closed after writing or moved in; folders are
// watched as they appear and dropped when moved away.
constexpr uint32_t kWatchMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
                                IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW |
                                IN_EXCL_UNLINK;

std::runtime_error systemError(const std::string& what) {
    return std::runtime_error(what + ": " + std::strerror(errno));
}

bool inside(const fs::path& path, const fs::path& dir) {
    const fs::path rel = path.lexically_relative(dir);
    return !rel.empty() && *rel.begin() != "..";
}

void syncDir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw systemError("cannot open folder " + dir.string());
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) throw systemError("cannot sync folder " + dir.string());
}

// Creates `dir` and its missing parents, syncing each parent that got a new
// entry so the folders survive a power cut along with what is moved in.
void makeDirs(const fs::path& dir) {
    std::vector<fs::path> missing;
    std::error_code ec;
    for (fs::path p = dir; !fs::is_directory(p, ec) && p.has_relative_path(); p = p.parent_path())
        missing.push_back(p);
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (::mkdir(it->c_str(), 0755) != 0 && errno != EEXIST)
            throw systemError("cannot create folder " + it->string());
        syncDir(it->parent_path());
    }
}

// Renames `from` to `to` unless `to` exists (false then): never overwrites.
bool renameNoReplace(const fs::path& from, const fs::path& to) {
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0)
        return true;
    if (errno == EEXIST) return false;
    if (errno != EINVAL && errno != ENOSYS)
        throw systemError("cannot move " + from.string() + " to " + to.string());
    // A file system without RENAME_NOREPLACE: link() refuses an existing name.
    if (::link(from.c_str(), to.c_str()) != 0) {
        if (errno == EEXIST) return false;
        throw systemError("cannot move " + from.string() + " to " + to.string());
    }
    if (::unlink(from.c_str()) != 0) throw systemError("cannot remove " + from.string());
    return true;
}

// Moves `from` into `dir` as `name`, or "<stem>-N<extension>" with the
// first N whose name is free.
fs::path placeUnique(const fs::path& from, const fs::path& dir, const std::string& name) {
    const fs::path base(name);
    const std::string stem = base.stem().string(), ext = base.extension().string();
    for (int n = 0; n < 100000; ++n) {
        fs::path to = dir / (n == 0 ? name : stem + "-" + std::to_string(n) + ext);
        if (renameNoReplace(from, to)) return to;
    }
    throw std::runtime_error("no free name for " + name + " in " + dir.string());
}

// A durable copy of `from` under a hidden temporary name in `dir`.
fs::path copyToTemp(const fs::path& from, const fs::path& dir) {
    static std::atomic<unsigned> counter{0};
    fs::path tmp = dir / (".copy-" + std::to_string(::getpid()) + "-" +
                          std::to_string(counter.fetch_add(1)) + ".tmp");
    fs::copy_file(from, tmp, fs::copy_options::overwrite_existing);
    const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        const auto error = systemError("cannot sync " + tmp.string());
        if (fd >= 0) ::close(fd);
        std::error_code ec;
        fs::remove(tmp, ec);
        throw error;
    }
    ::close(fd);
    return tmp;
}

// Whether any process has `file` open for writing: each /proc/<pid>/fd/<n>
// that is this file (same device and inode), its access mode from
// /proc/<pid>/fdinfo/<n>. Processes this one may not inspect are not seen.
bool openForWriting(const fs::path& file) {
    struct stat target {};
    if (::stat(file.c_str(), &target) != 0) return false;
    std::error_code ec;
    for (auto proc = fs::directory_iterator("/proc", ec); !ec && proc != fs::directory_iterator();
         proc.increment(ec)) {
        const std::string pid = proc->path().filename().string();
        if (pid.empty() || !std::all_of(pid.begin(), pid.end(), ::isdigit)) continue;
        std::error_code fdEc;
        for (auto fd = fs::directory_iterator(proc->path() / "fd", fdEc);
             !fdEc && fd != fs::directory_iterator(); fd.increment(fdEc)) {
            struct stat st {};
            if (::stat(fd->path().c_str(), &st) != 0 || st.st_ino != target.st_ino ||
                st.st_dev != target.st_dev)
                continue;
            FILE* info = std::fopen((proc->path() / "fdinfo" / fd->path().filename()).c_str(), "r");
            if (!info) continue;
            char line[256];
            unsigned long flags = 0;
            bool found = false;
            while (!found && std::fgets(line, sizeof line, info))
                found = std::sscanf(line, "flags: %lo", &flags) == 1;
            std::fclose(info);
            if (found && (flags & O_ACCMODE) != O_RDONLY) return true;
        }
    }
    return false;
}

}  // namespace

bool isPartialName(const std::string& name) {
    if (name.empty() || name[0] == '.' || name.starts_with("~$")) return true;
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* suffix : {".part", ".tmp", ".crdownload"})
        if (lower.ends_with(suffix)) return true;
    return false;
}

WatchSource::WatchSource(const fs::path& inbox, const fs::path& exclude,
                         std::chrono::milliseconds quiet)
    : quiet_(quiet) {
    std::error_code ec;
    inbox_ = fs::canonical(inbox, ec);
    if (ec || !fs::is_directory(inbox_, ec))
        throw std::runtime_error("no such folder: " + inbox.string());
    exclude_ = fs::weakly_canonical(exclude);
    inotify_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify_ < 0) throw systemError("cannot start inotify");
    wake_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_ < 0) {
        const auto error = systemError("cannot create an eventfd");
        ::close(inotify_);
        throw error;
    }
    try {
        watchTree(inbox_, true);
    } catch (...) {
        ::close(inotify_);
        ::close(wake_);
        throw;
    }
}

WatchSource::~WatchSource() {
    ::close(inotify_);
    ::close(wake_);
}

bool WatchSource::excluded(const fs::path& path) const {
    return path == exclude_ || inside(path, exclude_);
}

// Watches `dir` and its subfolders, each before listing it so that a file
// arriving meanwhile is seen either way (queue() drops the second sighting).
void WatchSource::watchTree(const fs::path& dir, bool queueFiles) {
    std::vector<fs::path> files;
    std::vector<fs::path> todo{dir};
    while (!todo.empty()) {
        const fs::path d = std::move(todo.back());
        todo.pop_back();
        const int wd = ::inotify_add_watch(inotify_, d.c_str(), kWatchMask);
        if (wd < 0) {
            if (errno == ENOENT || errno == ENOTDIR) continue;  // gone meanwhile
            if (errno == ENOSPC)
                throw std::runtime_error("cannot watch " + d.string() +
                                         ": too many folders for inotify (raise "
                                         "fs.inotify.max_user_watches)");
            throw systemError("cannot watch " + d.string());
        }
        if (d == inbox_) rootWatch_ = wd;
        dirs_[wd] = d;
        std::error_code ec;
        for (auto it = fs::directory_iterator(d, ec); !ec && it != fs::directory_iterator();
             it.increment(ec)) {
            const fs::path& p = it->path();
            const std::string name = p.filename().string();
            std::error_code sec;
            const auto status = it->symlink_status(sec);
            if (sec || fs::is_symlink(status) || name[0] == '.') continue;
            if (fs::is_directory(status)) {
                if (!excluded(p)) todo.push_back(p);
            } else if (fs::is_regular_file(status) && !isPartialName(name)) {
                files.push_back(p);
            }
        }
        if (ec) spdlog::warn("cannot list {}: {}", d.string(), ec.message());
    }
    if (!queueFiles) return;
    std::sort(files.begin(), files.end());
    std::lock_guard lock(mu_);
    for (const fs::path& f : files)
        if (!taken_.contains(f) && queued_.insert(f).second) queue_.push_back(f);
}

void WatchSource::unwatchTree(const fs::path& dir) {
    for (auto it = dirs_.begin(); it != dirs_.end();) {
        if (it->second == dir || inside(it->second, dir)) {
            ::inotify_rm_watch(inotify_, it->first);
            it = dirs_.erase(it);
        } else {
            ++it;
        }
    }
}

// A file closed after writing or moved in: queued, or, when it is being
// processed, marked so finish() takes it again instead of moving it.
void WatchSource::queue(const fs::path& file) {
    std::lock_guard lock(mu_);
    if (taken_.contains(file))
        rewritten_.insert(file);
    else if (queued_.insert(file).second)
        queue_.push_back(file);
}

void WatchSource::readEvents() {
    alignas(inotify_event) char buf[16384];
    bool inboxGone = false;
    for (;;) {
        const ssize_t n = ::read(inotify_, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) break;
        if (n <= 0) throw systemError("cannot read inotify events for " + inbox_.string());
        for (ssize_t at = 0; at < n;) {
            inotify_event ev{};
            std::memcpy(&ev, buf + at, sizeof ev);
            const std::string name = ev.len ? std::string(buf + at + sizeof ev) : std::string();
            at += static_cast<ssize_t>(sizeof ev + ev.len);
            if (ev.mask & IN_Q_OVERFLOW) {
                spdlog::warn("too many events at once; listing {} again", inbox_.string());
                watchTree(inbox_, true);
                continue;
            }
            if (ev.wd == rootWatch_ && (ev.mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)))
                inboxGone = true;
            if (ev.mask & IN_IGNORED) dirs_.erase(ev.wd);
            const auto dir = dirs_.find(ev.wd);
            if (dir == dirs_.end() || name.empty() || name[0] == '.') continue;
            const fs::path path = dir->second / name;
            if (ev.mask & IN_ISDIR) {
                if (excluded(path)) continue;
                if (ev.mask & (IN_CREATE | IN_MOVED_TO)) watchTree(path, true);
                if (ev.mask & IN_MOVED_FROM) unwatchTree(path);
            } else if ((ev.mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) && !isPartialName(name)) {
                queue(path);
            }
        }
    }
    if (inboxGone)
        throw std::runtime_error("the inbox " + inbox_.string() + " was removed or moved away");
}

std::optional<WatchSource::Stamp> WatchSource::stampOf(const fs::path& file) {
    struct stat st {};
    // Moved away or replaced by something else since it was seen.
    if (::lstat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    const auto ns = [](const timespec& t) {
        return std::int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec;
    };
    return Stamp{static_cast<std::uintmax_t>(st.st_size), ns(st.st_mtim), ns(st.st_ctim),
                 static_cast<std::uint64_t>(st.st_ino)};
}

std::optional<fs::path> WatchSource::takeSettled(int& pollTimeoutMs) {
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mu_);
    // A file seen again (closed after another write) starts its quiet time
    // over.
    while (!queue_.empty()) {
        fs::path file = std::move(queue_.front());
        queue_.pop_front();
        queued_.erase(file);
        if (const auto stamp = stampOf(file))
            settling_[file] = {*stamp, now};
        else
            settling_.erase(file);
    }
    pollTimeoutMs = -1;
    for (auto it = settling_.begin(); it != settling_.end();) {
        const auto stamp = stampOf(it->first);
        if (!stamp) {
            it = settling_.erase(it);
            continue;
        }
        if (!(*stamp == it->second.stamp)) it->second = {*stamp, now};
        const auto quietFor = now - it->second.since;
        int waitMs;
        if (quietFor < quiet_) {
            waitMs = static_cast<int>(duration_cast<milliseconds>(quiet_ - quietFor).count()) + 1;
        } else if (openForWriting(it->first)) {
            waitMs = 200;  // a writer that closes also sends IN_CLOSE_WRITE
        } else {
            fs::path file = it->first;
            taken_[file] = *stamp;
            settling_.erase(it);
            return file;
        }
        pollTimeoutMs = pollTimeoutMs < 0 ? waitMs : std::min(pollTimeoutMs, waitMs);
        ++it;
    }
    return std::nullopt;
}

std::optional<InputItem> WatchSource::next() {
    for (;;) {
        if (cancelled_.load()) {
            if (!stopLogged_)
                spdlog::info("stopping: no new files from {}; finishing those in flight",
                             inbox_.string());
            stopLogged_ = true;
            return std::nullopt;
        }
        int timeoutMs = -1;
        if (auto file = takeSettled(timeoutMs)) return InputItem::file(*file);
        pollfd fds[2] = {{inotify_, POLLIN, 0}, {wake_, POLLIN, 0}};
        const int ready = ::poll(fds, 2, timeoutMs);
        if (ready < 0) {
            if (errno == EINTR) continue;
            throw systemError("cannot wait for inotify events");
        }
        if (ready == 0) continue;
        if (fds[1].revents & POLLIN) {
            uint64_t value = 0;
            if (::read(wake_, &value, sizeof value) < 0 && errno != EAGAIN)
                throw systemError("cannot read an eventfd");
        }
        if (fds[0].revents & POLLIN) readEvents();
    }
}

void WatchSource::wake() const {
    const uint64_t one = 1;
    // Cannot fail short of a counter overflow, which still leaves it readable.
    if (::write(wake_, &one, sizeof one) < 0) return;
}

void WatchSource::cancel() {
    cancelled_.store(true);
    wake();
}

std::size_t WatchSource::waiting() const {
    std::lock_guard lock(mu_);
    return queue_.size() + settling_.size() + taken_.size();
}

std::optional<WatchSource::Moved> WatchSource::finish(const InputItem& item, bool failed,
                                                      const fs::path& failureRecord) {
    const fs::path file = item.path;
    struct Release {
        WatchSource& self;
        const fs::path& file;
        ~Release() {
            std::lock_guard lock(self.mu_);
            self.taken_.erase(file);
            self.rewritten_.erase(file);
        }
    };
    {
        std::lock_guard lock(mu_);
        // Written again, or being written (a writer that has not closed it
        // yet sends no event): what was processed may not be what is there.
        const auto taken = taken_.find(file);
        if (taken != taken_.end() &&
            (stampOf(file) != std::optional<Stamp>(taken->second) || openForWriting(file)))
            rewritten_.insert(file);
        if (rewritten_.contains(file)) {
            // What was processed may not be what is there now.
            taken_.erase(file);
            rewritten_.erase(file);
            if (queued_.insert(file).second) queue_.push_back(file);
            wake();
            return std::nullopt;
        }
    }
    const Release release{*this, file};
    if (!inside(file, inbox_))
        throw std::runtime_error(file.string() + " is not inside the inbox " + inbox_.string());
    const fs::path dir =
        (inbox_ / ".saksi" / (failed ? "failed" : "done") / file.lexically_relative(inbox_))
            .parent_path();
    makeDirs(dir);
    // The record's copy first, so nothing is moved when it cannot be made.
    fs::path copy;
    std::error_code ec;
    if (failed && !failureRecord.empty() && fs::is_regular_file(failureRecord, ec))
        copy = copyToTemp(failureRecord, dir);
    Moved moved;
    try {
        moved.to = placeUnique(file, dir, file.filename().string());
        if (!copy.empty())
            moved.failureRecord =
                placeUnique(copy, dir, moved.to.filename().string() + ".failure.json");
    } catch (...) {
        if (!copy.empty()) fs::remove(copy, ec);
        throw;
    }
    syncDir(dir);
    syncDir(file.parent_path());
    return moved;
}

}  // namespace saksi
