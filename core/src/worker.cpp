#include "worker.hpp"

#include "logging.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <new>
#include <stdexcept>
#include <thread>

#if defined(__SANITIZE_ADDRESS__)
#define SAKSI_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SAKSI_ASAN 1
#endif
#endif

namespace saksi {
namespace {

using Clock = std::chrono::steady_clock;

// The socket's number in the worker.
constexpr int kWorkerFd = 3;
// A worker's exit status when an allocation failed (its new_handler).
constexpr int kExitOutOfMemory = 86;
// A worker's exit status when its setup failed (the reason was sent first).
constexpr int kExitSetupFailed = 2;

std::string errnoText(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

// One message: 4-byte little-endian length, then that many bytes of JSON.
void sendMessage(int fd, const nlohmann::json& message) {
    const std::string text = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const auto size = static_cast<uint32_t>(text.size());
    std::string frame(4, '\0');
    for (int i = 0; i < 4; ++i) frame[i] = static_cast<char>((size >> (8 * i)) & 0xff);
    frame += text;
    std::size_t sent = 0;
    while (sent < frame.size()) {
        const ssize_t n = ::send(fd, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error(errnoText("sending to the worker socket"));
        sent += static_cast<std::size_t>(n);
    }
}

// Takes one whole message off the front of `buffer`, if there is one.
std::optional<nlohmann::json> takeMessage(std::string& buffer) {
    if (buffer.size() < 4) return std::nullopt;
    uint32_t size = 0;
    for (int i = 0; i < 4; ++i) size |= uint32_t(static_cast<unsigned char>(buffer[i])) << (8 * i);
    if (buffer.size() < 4 + std::size_t{size}) return std::nullopt;
    nlohmann::json message = nlohmann::json::parse(buffer.begin() + 4, buffer.begin() + 4 + size);
    buffer.erase(0, 4 + std::size_t{size});
    return message;
}

enum class Received { Data, Timeout, Closed };

// Waits up to timeoutMs (-1: forever) for bytes and appends them to buffer.
Received receive(int fd, std::string& buffer, int timeoutMs) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, timeoutMs);
    if (ready < 0) return errno == EINTR ? Received::Timeout : Received::Closed;
    if (ready == 0) return Received::Timeout;
    char chunk[65536];
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0) return errno == EINTR || errno == EAGAIN ? Received::Timeout : Received::Closed;
    if (n == 0) return Received::Closed;
    buffer.append(chunk, static_cast<std::size_t>(n));
    return Received::Data;
}

// Blocks until a whole message arrives; nullopt when the peer closed.
std::optional<nlohmann::json> receiveMessage(int fd, std::string& buffer) {
    for (;;) {
        if (auto message = takeMessage(buffer)) return message;
        if (receive(fd, buffer, -1) == Received::Closed) return std::nullopt;
    }
}

std::string signalName(int sig) {
    const char* abbrev = sigabbrev_np(sig);
    const char* text = sigdescr_np(sig);
    return (abbrev ? "SIG" + std::string(abbrev) : "signal " + std::to_string(sig)) +
           (text ? " (" + std::string(text) + ")" : "");
}

nlohmann::json pipelineJson(const Pipeline& pipeline) {
    nlohmann::json stages = nlohmann::json::array();
    for (const PipelineStage& stage : pipeline.stages)
        stages.push_back({{"id", stage.def->id},
                          {"version", stage.def->plugin->version},
                          {"config", stage.config},
                          {"file", stage.file},
                          {"line", stage.line}});
    return {{"name", pipeline.name},
            {"description", pipeline.description},
            {"file", pipeline.file.string()},
            {"hash", pipeline.hash},
            {"stages", stages}};
}

// The supervisor's pipeline, over the worker's own plugin host.
Pipeline pipelineFromJson(const nlohmann::json& j, const PluginHost& host) {
    Pipeline pipeline;
    pipeline.name = j.at("name").get<std::string>();
    pipeline.description = j.at("description").get<std::string>();
    pipeline.file = j.at("file").get<std::string>();
    pipeline.hash = j.at("hash").get<std::string>();
    for (const auto& s : j.at("stages")) {
        const auto id = s.at("id").get<std::string>();
        PipelineStage stage;
        stage.def = host.findStage(id);
        if (!stage.def) throw std::runtime_error("stage '" + id + "' is not loaded");
        if (stage.def->plugin->version != s.at("version").get<std::string>())
            throw std::runtime_error("the plugin of stage '" + id + "' changed on disk (version " +
                                     stage.def->plugin->version + ", the run started with " +
                                     s.at("version").get<std::string>() + ")");
        stage.config = s.at("config");
        stage.file = s.at("file").get<std::string>();
        stage.line = s.at("line").get<int>();
        pipeline.stages.push_back(std::move(stage));
    }
    return pipeline;
}

[[maybe_unused]] std::size_t virtualMb() {
    std::ifstream statm("/proc/self/statm");
    std::size_t pages = 0;
    statm >> pages;
    return pages * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)) / (std::size_t{1024} * 1024);
}

}  // namespace

nlohmann::json workerInit(const Pipeline& pipeline, const PluginHost& host,
                          const std::filesystem::path& outDir, const WorkerLimits& limits) {
    // Only the plugins the pipeline uses, in the order they were loaded.
    nlohmann::json plugins = nlohmann::json::array();
    for (const auto& plugin : host.plugins())
        if (std::any_of(pipeline.stages.begin(), pipeline.stages.end(),
                        [&](const PipelineStage& s) { return s.def->plugin == plugin.get(); }))
            plugins.push_back(plugin->path);
    return {{"plugins", plugins},
            {"pipeline", pipelineJson(pipeline)},
            {"out", outDir.string()},
            {"log", {{"level", loggingSettings().level}, {"json", loggingSettings().json}}},
            {"memory_limit_mb", limits.memoryLimitMb}};
}

int workerMain(int fd) {
    // SIGINT and SIGTERM are the supervisor's to handle (it lets the
    // document in flight finish): a service manager that signals every
    // process of the service must not kill a worker mid-document. The
    // supervisor stops a worker by closing its socket, or with SIGKILL.
    ::signal(SIGINT, SIG_IGN);
    ::signal(SIGTERM, SIG_IGN);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    std::set_new_handler([] { ::_exit(kExitOutOfMemory); });
    std::string buffer;
    std::optional<nlohmann::json> init;
    try {
        init = receiveMessage(fd, buffer);
    } catch (const std::exception&) {
        return kExitSetupFailed;
    }
    if (!init) return 0;
    PluginHost host;
    std::unique_ptr<Pipeline> pipeline;
    std::unique_ptr<DocumentRunner> runner;
    std::filesystem::path outDir;
    try {
        setupLogging((*init)["log"].at("level").get<std::string>(),
                     (*init)["log"].at("json").get<bool>());
        for (const auto& path : init->at("plugins")) host.loadFile(path.get<std::string>());
        for (const auto& refused : host.refused())
            throw std::runtime_error("plugin " + refused.path + " was refused: " + refused.reason);
        pipeline = std::make_unique<Pipeline>(pipelineFromJson(init->at("pipeline"), host));
        outDir = init->at("out").get<std::string>();
        runner = std::make_unique<DocumentRunner>(*pipeline, host);
    } catch (const ConfigError& e) {
        sendMessage(fd, {{"error", e.what()}, {"config", true}});
        return kExitSetupFailed;
    } catch (const std::exception& e) {
        sendMessage(fd, {{"error", e.what()}, {"config", false}});
        return kExitSetupFailed;
    }
#ifndef SAKSI_ASAN
    // The address space a document may add to the ready worker: a huge
    // allocation fails at once (new_handler: memory.limit) instead of
    // paging. Not under AddressSanitizer, whose shadow mappings are huge;
    // the supervisor's resident-memory watch applies either way.
    const std::size_t limitMb = init->at("memory_limit_mb").get<std::size_t>();
    const rlim_t bytes = static_cast<rlim_t>(virtualMb() + limitMb) * 1024 * 1024;
    const rlimit limit{bytes, bytes};
    ::setrlimit(RLIMIT_AS, &limit);
#endif
    sendMessage(fd, {{"ready", true}});
    while (auto request = receiveMessage(fd, buffer)) {
        try {
            const InputItem item = InputItem::fromJson(request->at("item"));
            std::optional<DocumentFailure> failure;
            if (request->contains("failure")) {
                const auto& f = (*request)["failure"];
                failure = DocumentFailure{f.at("stage").get<std::string>(),
                                          f.at("code").get<std::string>(),
                                          f.at("message").get<std::string>()};
            }
            const DocumentResult result =
                runner->run(item, outDir, failure, [fd](const std::string& stage, uint32_t page) {
                    nlohmann::json message = {{"stage", stage}};
                    if (page != SAKSI_ALL_PAGES) message["page"] = page;
                    sendMessage(fd, message);
                });
            sendMessage(fd, {{"done",
                              {{"id", result.id},
                               {"status", result.status},
                               {"error_codes", result.errorCodes},
                               {"pages", result.pages}}}});
        } catch (const std::exception& e) {
            // The supervisor records the document as worker.crashed.
            spdlog::error("worker {}: {}", ::getpid(), e.what());
            return 70;
        }
    }
    return 0;
}

WorkerProcess::WorkerProcess(const nlohmann::json& init, const WorkerLimits& limits)
    : limits_(limits) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        throw std::runtime_error(errnoText("cannot create a worker socket"));
    // Built before fork(): the child may only make async-signal-safe calls.
    const std::string fdText = std::to_string(kWorkerFd);
    const char* argv[] = {"saksi", "__worker", "--fd", fdText.c_str(), nullptr};
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) {
        ::close(sv[0]);
        ::close(sv[1]);
        throw std::runtime_error(errnoText("cannot start a worker process"));
    }
    if (pid_ == 0) {
        // Its own process group, so a timeout kills whatever it started too;
        // and it dies with the supervisor, even a supervisor killed with -9.
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);
        if (sv[1] == kWorkerFd)
            ::fcntl(kWorkerFd, F_SETFD, 0);
        else if (::dup2(sv[1], kWorkerFd) < 0)
            ::_exit(127);
        ::execv("/proc/self/exe", const_cast<char* const*>(argv));
        ::_exit(127);
    }
    ::close(sv[1]);
    fd_ = sv[0];
    std::optional<DocumentFailure> failure;
    std::optional<nlohmann::json> reply;
    try {
        sendMessage(fd_, init);
        // Starting is bounded by the same limits as a document.
        reply = await(limits_.documentTimeoutSeconds, failure);
    } catch (const std::exception& e) {
        kill();
        throw std::runtime_error(std::string("a worker process failed to start: ") + e.what());
    }
    if (reply && reply->contains("ready")) return;
    if (alive()) kill();
    if (reply && reply->contains("error")) {
        if (reply->value("config", false)) throw ConfigError((*reply)["error"].get<std::string>());
        throw std::runtime_error("a worker process failed to start: " +
                                 (*reply)["error"].get<std::string>());
    }
    throw std::runtime_error("a worker process failed to start: " +
                             (failure ? failure->message : std::string("no reply")));
}

WorkerProcess::~WorkerProcess() {
    if (!alive()) return;
    ::close(fd_);
    fd_ = -1;
    const int status = reap(30);
    if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
        spdlog::warn("worker {} ended with {}", pid_,
                     WIFSIGNALED(status) ? signalName(WTERMSIG(status))
                                         : "status " + std::to_string(WEXITSTATUS(status)));
}

WorkerProcess::Reply WorkerProcess::process(const InputItem& item,
                                            const std::optional<DocumentFailure>& failure) {
    Reply reply;
    nlohmann::json request = {{"item", item.toJson()}};
    if (failure)
        request["failure"] = {
            {"stage", failure->stage}, {"code", failure->code}, {"message", failure->message}};
    stage_ = "worker";
    try {
        sendMessage(fd_, request);
    } catch (const std::exception&) {
        // It died while idle; await() below reports how.
    }
    const auto message = await(limits_.documentTimeoutSeconds, reply.failure);
    if (message && message->contains("done")) {
        const auto& d = (*message)["done"];
        reply.result =
            DocumentResult{d.at("id").get<std::string>(), d.at("status").get<std::string>(),
                           d.at("error_codes"), d.at("pages").get<std::size_t>()};
    } else if (!reply.failure) {
        kill();
        reply.failure = DocumentFailure{"worker", "worker.crashed",
                                        "The worker process sent an unexpected reply."};
    }
    return reply;
}

std::optional<nlohmann::json> WorkerProcess::await(double seconds,
                                                   std::optional<DocumentFailure>& failure) {
    // The document's clock stops while a page is in its page-scope stages:
    // each page has the page limit instead, so the limits scale with pages.
    auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
    auto pageStarted = Clock::now();
    page_.reset();
    for (;;) {
        while (auto message = takeMessage(buffer_)) {
            if (!message->contains("stage")) return message;
            stage_ = (*message)["stage"].get<std::string>();
            std::optional<uint32_t> page;
            if (message->contains("page")) page = (*message)["page"].get<uint32_t>();
            const auto now = Clock::now();
            if (page_ && page != page_) deadline += now - pageStarted;
            if (page && page != page_) pageStarted = now;
            page_ = page;
        }
        const Received got = receive(fd_, buffer_, 100);
        if (got == Received::Data) continue;
        const std::string where = stage_ == "worker" ? "" : " in stage " + stage_;
        if (got == Received::Closed) {
            const int status = reap(2);
            if (WIFEXITED(status) && WEXITSTATUS(status) == kExitOutOfMemory) {
                failure = DocumentFailure{
                    stage_, "memory.limit",
                    "The worker process ran out of memory" + where + " (limit " +
                        std::to_string(limits_.memoryLimitMb) +
                        " MB, [worker] memory_limit_mb in saksi.toml); it was replaced."};
            } else {
                const std::string how =
                    WIFSIGNALED(status)
                        ? "was killed by " + signalName(WTERMSIG(status))
                        : "exited with status " + std::to_string(WEXITSTATUS(status));
                failure = DocumentFailure{
                    stage_, "worker.crashed",
                    "The worker process " + how + where + "; it was replaced and the run went on."};
            }
            return std::nullopt;
        }
        if (page_ && Clock::now() - pageStarted >
                         std::chrono::duration<double>(limits_.pageTimeoutSeconds)) {
            kill();
            failure = DocumentFailure{
                stage_, "worker.timeout",
                "Page " + std::to_string(*page_ + 1) + " took longer than " +
                    std::to_string(limits_.pageTimeoutSeconds) + " s" + where +
                    " ([worker] page_timeout_seconds in saksi.toml); the worker was stopped "
                    "and replaced."};
            return std::nullopt;
        }
        if (!page_ && Clock::now() > deadline) {
            kill();
            failure = DocumentFailure{
                stage_, "worker.timeout",
                "The document took longer than " + std::to_string(limits_.documentTimeoutSeconds) +
                    " s" + where +
                    " ([worker] document_timeout_seconds in saksi.toml, or --timeout); the worker "
                    "was stopped and replaced."};
            return std::nullopt;
        }
        if (const std::size_t rss = residentMb(); rss > limits_.memoryLimitMb) {
            kill();
            failure = DocumentFailure{stage_, "memory.limit",
                                      "The worker process used " + std::to_string(rss) +
                                          " MB of memory" + where + ", over the limit of " +
                                          std::to_string(limits_.memoryLimitMb) +
                                          " MB ([worker] memory_limit_mb in saksi.toml); it was "
                                          "stopped and replaced."};
            return std::nullopt;
        }
    }
}

void WorkerProcess::kill() {
    if (pid_ <= 0) return;
    // The whole group: plugins' own child processes go with the worker.
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    reap(30);
}

int WorkerProcess::reap(double graceSeconds) {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    if (pid_ <= 0) return 0;
    int status = 0;
    const auto deadline = Clock::now() + std::chrono::duration<double>(graceSeconds);
    for (;;) {
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_ || (r < 0 && errno != EINTR)) break;
        if (Clock::now() > deadline) {
            ::kill(-pid_, SIGKILL);
            ::kill(pid_, SIGKILL);
            while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
            }
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pid_ = -1;
    return status;
}

std::size_t WorkerProcess::residentMb() const {
    std::ifstream statm("/proc/" + std::to_string(pid_) + "/statm");
    std::size_t size = 0, resident = 0;
    statm >> size >> resident;
    return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)) /
           (std::size_t{1024} * 1024);
}

}  // namespace saksi
