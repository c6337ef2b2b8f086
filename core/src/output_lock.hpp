// One writer per output folder: every command that writes OUT (process,
// watch, review, the local side of worker) holds a flock on OUT/.saksi.lock
// for as long as it runs, so two of them can never interleave their records,
// ledger rows and audit chains.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace saksi {

// Another process holds the folder; what() names it ("pid 1234: saksi
// process in --out out").
class OutputInUse : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class OutputLock {
public:
    enum class Mode {
        exclusive,  // process, watch, review: the only writer
        shared,     // distributed workers writing one folder together
    };

    // Creates `outDir` if needed and takes the lock on its .saksi.lock without
    // waiting. Throws OutputInUse when a conflicting holder has it (a shared
    // lock conflicts only with an exclusive one), std::runtime_error when the
    // lock file cannot be opened (a symlink there is refused, not followed).
    explicit OutputLock(const std::filesystem::path& outDir, Mode mode = Mode::exclusive);
    OutputLock(const OutputLock&) = delete;
    OutputLock& operator=(const OutputLock&) = delete;
    OutputLock(OutputLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    OutputLock& operator=(OutputLock&&) = delete;
    // Releases the lock (so does the process ending, however it ends).
    ~OutputLock();

    // The lock file's name inside an output folder.
    static constexpr const char* kFileName = ".saksi.lock";

private:
    int fd_ = -1;
};

}  // namespace saksi
