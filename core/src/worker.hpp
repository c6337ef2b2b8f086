// Worker processes: each runs documents one at a time through its own stage
// instances, so a crash, hang or runaway allocation in a plugin costs one
// document and one process, never the run. The supervisor (the saksi
// process that owns the ledger and audit log) starts them as
// `saksi __worker --fd N` and talks to them over a socket: length-prefixed
// JSON messages.
#pragma once

#include "document_runner.hpp"
#include "intake.hpp"
#include "pipeline.hpp"
#include "plugin_host.hpp"

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace saksi {

struct WorkerLimits {
    // Per document, from request to result, not counting its page-scope
    // stages, which have pageTimeoutSeconds for each page instead.
    unsigned documentTimeoutSeconds = 600;
    std::size_t memoryLimitMb = 4096;   // resident memory of one worker
    unsigned pageTimeoutSeconds = 120;  // one page through a run of page-scope stages
};

// Everything a worker needs to run documents exactly as the supervisor
// resolved them: the plugin files its stages come from, the stages with their
// final configuration (command-line overrides included), the output folder,
// the logging setup and the limits.
nlohmann::json workerInit(const Pipeline& pipeline, const PluginHost& host,
                          const std::filesystem::path& outDir, const WorkerLimits& limits);

// `saksi __worker --fd N`: serves documents over the socket N until the
// supervisor closes it. Returns the process exit code.
int workerMain(int fd);

// The supervisor's handle on one worker process.
class WorkerProcess {
public:
    // Starts a worker and waits until it has created its stage instances.
    // Throws ConfigError when a stage refuses its configuration and
    // std::runtime_error when the worker cannot start.
    WorkerProcess(const nlohmann::json& init, const WorkerLimits& limits);
    WorkerProcess(const WorkerProcess&) = delete;
    WorkerProcess& operator=(const WorkerProcess&) = delete;
    // Closes the socket and waits for the worker to exit (killing it after
    // a grace period).
    ~WorkerProcess();

    // Either the document's result, or why the worker died on it (it is
    // then dead: alive() is false and a new WorkerProcess must take over).
    struct Reply {
        std::optional<DocumentResult> result;
        std::optional<DocumentFailure> failure;
    };
    // Runs one document (with `failure`: only its sinks, to write that
    // failure record) and waits for it within the limits.
    Reply process(const InputItem& item, const std::optional<DocumentFailure>& failure);

    bool alive() const { return fd_ >= 0; }
    pid_t pid() const { return pid_; }

private:
    // Waits for the next message that is not a stage note, watching the
    // deadline and the worker's resident memory. On a crash, timeout or
    // memory limit the worker is killed and reaped, and `failure` is set.
    std::optional<nlohmann::json> await(double seconds, std::optional<DocumentFailure>& failure);
    void kill();
    // waitpid() with a grace period; the wait status.
    int reap(double graceSeconds);
    std::size_t residentMb() const;

    WorkerLimits limits_;
    pid_t pid_ = -1;
    int fd_ = -1;
    std::string buffer_;            // bytes received, not yet a whole message
    std::string stage_;             // the stage the worker last said it entered
    std::optional<uint32_t> page_;  // the page it is on, in a page-scope stage
};

}  // namespace saksi
