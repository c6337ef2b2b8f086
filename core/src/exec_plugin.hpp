// Exec plugins: stages served by an external program that speaks JSON lines
// on stdin/stdout (docs/exec-plugins.md). A manifest `<name>.exec.toml` in a
// plugin folder describes the program and its stages; the host implements
// the stages' C hooks itself and runs one child process per stage instance.
#pragma once

#include "plugin_host.hpp"

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace saksi {

// A failed exchange with a child, with its record error code:
// "exec.timeout", "exec.crashed", "exec.invalid_output" or "exec.start_failed".
class ExecError : public std::runtime_error {
public:
    ExecError(std::string code, const std::string& message)
        : std::runtime_error(message), code_(std::move(code)) {}
    const std::string& code() const noexcept { return code_; }

private:
    std::string code_;
};

// An owned file descriptor, closed on destruction.
class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : fd_(fd) {}
    UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        if (this != &other) reset(other.release());
        return *this;
    }
    ~UniqueFd() { reset(); }
    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    int release() { return std::exchange(fd_, -1); }
    void reset(int fd = -1);

private:
    int fd_ = -1;
};

// A child process with pipes on stdin, stdout and stderr, exchanged with one
// line at a time under a deadline. Never blocks past the deadline, never
// leaves a zombie or an fd behind. stderr is drained while exchanging and
// while stopping, and forwarded to the log line by line. Not thread-safe:
// one owner thread at a time.
class ChildProcess {
public:
    using Clock = std::chrono::steady_clock;

    struct Options {
        std::vector<std::string> argv;  // argv[0] with a slash: a path; otherwise looked up in PATH
        std::filesystem::path workdir;  // empty: the host's
        std::string label;              // prefixes forwarded stderr lines in the log
        std::size_t maxLineBytes = std::size_t(64) << 20;
    };

    explicit ChildProcess(Options options);
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess();  // stop() with a short grace period

    // Starts the program in its own process group; throws ExecError
    // ("exec.start_failed") when it cannot be spawned.
    void start();
    // True when started and not known to have exited; reaps it when it has.
    bool alive();
    pid_t pid() const { return pid_; }

    // Writes `line` plus '\n' and returns the next line of stdout (without
    // its '\n'). On timeout, death, or a line over the limit the child is
    // killed and reaped and ExecError thrown; the next exchange needs start().
    std::string exchange(std::string_view line, Clock::time_point deadline);

    // Closes stdin (the program's cue to exit), waits up to `grace`, then
    // kills the process group. Always reaps. Idempotent.
    void stop(std::chrono::milliseconds grace);
    // SIGKILL to the process group, then reap. Idempotent.
    void kill();

    // The last bytes the program wrote to stderr (for error messages).
    std::string stderrTail() const { return stderrTail_; }
    // How the program ended ("exited with status 1", "killed by signal 9"),
    // empty while it runs.
    const std::string& exitDescription() const { return exitDescription_; }

private:
    void closePipes();
    void reap(bool block);
    bool drainStderr();  // false on EOF
    void forwardStderr(std::string_view chunk);

    Options options_;
    pid_t pid_ = -1;
    UniqueFd in_, out_, err_;  // our ends of the child's stdin, stdout and stderr
    std::string outBuffer_;
    std::string errLine_;
    std::string stderrTail_;
    std::string exitDescription_;
};

struct ExecStageSpec {
    std::string id;
    std::string description;
    std::string configSchema;  // JSON object text; "{}" when the stage takes no keys
    std::vector<std::string> mediaTypes;
    std::vector<const char*> mediaTypePtrs;  // NULL-terminated view of mediaTypes
    std::chrono::milliseconds timeout{30000};
    std::chrono::milliseconds startupTimeout{60000};
    saksi_stage_descriptor descriptor{};  // hooks implemented in exec_plugin.cpp
};

// What an exec manifest describes. Owned by its LoadedPlugin; the stage
// descriptors and every string they point to live here, at stable addresses.
struct ExecPlugin {
    std::filesystem::path manifest;
    std::filesystem::path workdir;  // the manifest's folder: the program's working directory
    std::vector<std::string> command;
    std::deque<ExecStageSpec> stages;

    const ExecStageSpec* findStage(std::string_view id) const;
};

// True for "<name>.exec.toml".
bool isExecManifest(const std::filesystem::path& file);

// Reads a manifest into a plugin whose stages run the program. Throws
// std::runtime_error with the reason for refusing it.
std::shared_ptr<LoadedPlugin> loadExecManifest(const std::filesystem::path& manifest);

}  // namespace saksi
