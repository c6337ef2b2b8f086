// saksi/sdk/files.hpp -- writing output files the way DESIGN.md promises:
// atomically (temp file, fsync, rename, fsync of the folder).
#pragma once

#include <saksi/sdk/document.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <utility>

namespace saksi::sdk {

namespace detail {

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

private:
    int fd_;
};

[[noreturn]] inline void failWrite(const std::string& what, int err) {
    throw Error("output.write_failed", what + ": " + std::strerror(err) +
                                           ". Check the output folder's space and permissions.");
}

inline void writeAll(int fd, std::string_view data, const std::string& path) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) failWrite("cannot write " + path, errno);
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace detail

// Writes `data` to dir/name so that readers see the old file or the whole new
// one, never a part, and the new one survives a power cut once this returns.
// Creates `dir` if needed. Throws Error "output.write_failed".
inline void writeFileAtomically(const std::filesystem::path& dir, const std::string& name,
                                std::string_view data) {
    std::filesystem::create_directories(dir);
    const std::string final = (dir / name).string();
    std::random_device random;
    const std::string temp =
        (dir / ("." + name + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(random())))
            .string();
    detail::FileDescriptor fd(
        ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (fd.get() < 0) detail::failWrite("cannot create " + temp, errno);
    try {
        detail::writeAll(fd.get(), data, temp);
        if (::fsync(fd.get()) != 0) detail::failWrite("cannot fsync " + temp, errno);
        if (::close(fd.release()) != 0) detail::failWrite("cannot close " + temp, errno);
        if (::rename(temp.c_str(), final.c_str()) != 0)
            detail::failWrite("cannot rename to " + final, errno);
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
    detail::FileDescriptor dirFd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dirFd.get() < 0 || ::fsync(dirFd.get()) != 0)
        detail::failWrite("cannot fsync folder " + dir.string(), errno);
}

}  // namespace saksi::sdk
