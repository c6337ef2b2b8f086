#include "output_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace saksi {
namespace {

// A process's command line, its arguments joined by spaces; empty when it
// cannot be read (gone, or another user's).
std::string commandLine(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!text.empty() && text.back() == '\0') text.pop_back();
    for (char& c : text)
        if (c == '\0') c = ' ';
    return text;
}

// The pids holding a flock on the file with this device and inode, from
// /proc/locks ("1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF").
std::vector<pid_t> flockHolders(const struct stat& st) {
    std::vector<pid_t> pids;
    std::ifstream in("/proc/locks");
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        std::string number, kind, advisory, access, device;
        long pid = 0;
        if (!(fields >> number >> kind)) continue;
        if (kind == "->") fields >> kind;  // a waiter: "1: -> FLOCK ..."
        if (kind != "FLOCK" || !(fields >> advisory >> access >> pid >> device)) continue;
        unsigned major = 0, minor = 0;
        unsigned long long inode = 0;
        if (std::sscanf(device.c_str(), "%x:%x:%llu", &major, &minor, &inode) != 3) continue;
        if (inode == st.st_ino && major == ::major(st.st_dev) && minor == ::minor(st.st_dev) &&
            pid > 0)
            pids.push_back(static_cast<pid_t>(pid));
    }
    return pids;
}

std::string holderText(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return "another process";
    std::string text;
    for (const pid_t pid : flockHolders(st)) {
        if (pid == ::getpid()) continue;
        if (!text.empty()) text += ", ";
        const std::string command = commandLine(pid);
        text += "pid " + std::to_string(pid) + (command.empty() ? "" : " (" + command + ")");
    }
    return text.empty() ? "another process" : text;
}

}  // namespace

OutputLock::OutputLock(const std::filesystem::path& outDir, Mode mode) {
    std::filesystem::create_directories(outDir);
    const std::filesystem::path file = outDir / kFileName;
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd_ < 0)
        throw std::runtime_error("cannot open the lock file " + file.string() + ": " +
                                 std::strerror(errno));
    const int op = (mode == Mode::exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;
    int rc;
    while ((rc = ::flock(fd_, op)) != 0 && errno == EINTR) {
    }
    if (rc != 0) {
        const int err = errno;
        const std::string holder = err == EWOULDBLOCK ? holderText(fd_) : "";
        ::close(fd_);
        fd_ = -1;
        if (err != EWOULDBLOCK)
            throw std::runtime_error("cannot lock " + file.string() + ": " + std::strerror(err));
        throw OutputInUse(outDir.string() + " is in use by " + holder +
                          "; only one saksi command may write an output folder at a time: "
                          "wait for it to finish or use another --out");
    }
}

OutputLock::~OutputLock() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace saksi
