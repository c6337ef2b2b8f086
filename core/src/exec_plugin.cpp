#include "exec_plugin.hpp"

#include "toml_json.hpp"

#include "document.hpp"
#include "pipeline.hpp"

#include <saksi/sdk/document.hpp>
#include <saksi/sdk/page_words.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <thread>

extern char** environ;

namespace saksi {
namespace {

using Clock = ChildProcess::Clock;
using std::chrono::milliseconds;

constexpr std::size_t kStderrTailBytes = 2000;
constexpr std::size_t kStderrLogLineBytes = 4000;
constexpr std::size_t kQuoteBytes = 200;
constexpr int kMaxStartFailures = 3;  // in a row, per instance; then the stage gives up
constexpr milliseconds kStopGrace{2000};
constexpr int kProtocolVersion = 1;

// The entity types of DESIGN.md "Record" (config/record.schema.json, entityType).
const std::set<std::string> kEntityTypes = {
    "person",      "organization", "location", "passport_number",
    "national_id", "phone",        "email",    "bank_account",
    "money",       "date",         "url"};

std::string errnoText(const char* what, int err) {
    return std::string(what) + ": " + std::strerror(err);
}

// The first bytes of a bad line, printable, for an error message.
std::string quote(std::string_view text) {
    std::string out;
    for (char c : text.substr(0, kQuoteBytes)) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", u);
            out += buf;
        } else {
            out += c;
        }
    }
    if (text.size() > kQuoteBytes) out += "...";
    return "\"" + out + "\"";
}

std::string describeStatus(int status) {
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return "ended";
}

// Blocks SIGPIPE in this thread while writing to a pipe whose reader may be
// gone, then swallows the SIGPIPE the write raised: write() reports EPIPE and
// the host's own SIGPIPE disposition is left alone.
class SigpipeGuard {
public:
    SigpipeGuard() {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        wasPending_ = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
    }
    SigpipeGuard(const SigpipeGuard&) = delete;
    SigpipeGuard& operator=(const SigpipeGuard&) = delete;
    ~SigpipeGuard() {
        if (!wasPending_) {
            const timespec zero{};
            while (sigtimedwait(&pipe_, nullptr, &zero) > 0) {
            }
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }

private:
    sigset_t pipe_{}, old_{};
    bool wasPending_ = false;
};

int remainingMs(Clock::time_point deadline) {
    const auto left = std::chrono::ceil<milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 60'000));
}

}  // namespace

// ---- UniqueFd and ChildProcess -------------------------------------------

void UniqueFd::reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

ChildProcess::ChildProcess(Options options) : options_(std::move(options)) {
}

ChildProcess::~ChildProcess() {
    stop(milliseconds(200));
}

void ChildProcess::start() {
    if (pid_ > 0) return;
    if (options_.argv.empty()) throw ExecError("exec.start_failed", "no command to run");
    outBuffer_.clear();
    errLine_.clear();
    stderrTail_.clear();
    exitDescription_.clear();

    std::array<int, 2> in{-1, -1}, out{-1, -1}, err{-1, -1};
    for (auto* p : {&in, &out, &err})
        if (pipe2(p->data(), O_CLOEXEC) != 0) {
            const int e = errno;
            for (auto* q : {&in, &out, &err})
                for (int fd : *q)
                    if (fd >= 0) ::close(fd);
            throw ExecError("exec.start_failed", errnoText("cannot create a pipe", e));
        }
    UniqueFd childIn(in[0]), childOut(out[1]), childErr(err[1]);
    in_.reset(in[1]);
    out_.reset(out[0]);
    err_.reset(err[0]);
    for (int fd : {in_.get(), out_.get(), err_.get()})
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, childIn.get(), STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, childOut.get(), STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, childErr.get(), STDERR_FILENO);
    if (!options_.workdir.empty())
        posix_spawn_file_actions_addchdir_np(&actions, options_.workdir.c_str());
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // Its own process group, so a kill reaches whatever it started too; a
    // clean signal mask and default SIGPIPE whatever the host's threads use.
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);

    std::vector<char*> argv;
    for (auto& a : options_.argv) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        closePipes();
        throw ExecError("exec.start_failed",
                        errnoText(("cannot run " + options_.argv[0]).c_str(), rc));
    }
    pid_ = pid;
}

bool ChildProcess::alive() {
    if (pid_ <= 0) return false;
    reap(false);
    return pid_ > 0;
}

void ChildProcess::reap(bool block) {
    if (pid_ <= 0) return;
    int status = 0;
    pid_t r;
    do {
        r = waitpid(pid_, &status, block ? 0 : WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == 0) return;  // still running
    exitDescription_ = r == pid_ ? describeStatus(status) : "ended (not reapable)";
    pid_ = -1;
    while (drainStderr()) {
    }
    closePipes();
}

void ChildProcess::closePipes() {
    if (!errLine_.empty()) forwardStderr("\n");
    in_.reset();
    out_.reset();
    err_.reset();
}

void ChildProcess::kill() {
    if (pid_ > 0) {
        ::kill(-pid_, SIGKILL);
        ::kill(pid_, SIGKILL);
        reap(true);
    }
    closePipes();
}

void ChildProcess::stop(milliseconds grace) {
    if (pid_ <= 0) return closePipes();
    in_.reset();  // EOF on its stdin: the program's cue to exit
    const auto deadline = Clock::now() + grace;
    char sink[4096];
    while (pid_ > 0 && Clock::now() < deadline) {
        reap(false);
        if (pid_ <= 0) break;
        // Keep draining, so that a program blocked on a full pipe can finish.
        std::array<pollfd, 2> fds{pollfd{out_.get(), POLLIN, 0}, pollfd{err_.get(), POLLIN, 0}};
        poll(fds.data(), fds.size(), std::min(20, remainingMs(deadline)));
        if (out_ && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
            if (::read(out_.get(), sink, sizeof sink) == 0) out_.reset();
        if (err_ && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
            if (!drainStderr()) err_.reset();
    }
    kill();
}

bool ChildProcess::drainStderr() {
    if (!err_) return false;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(err_.get(), buf, sizeof buf);
        if (n > 0) {
            forwardStderr({buf, static_cast<std::size_t>(n)});
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
        return false;  // EOF or error
    }
}

void ChildProcess::forwardStderr(std::string_view chunk) {
    stderrTail_.append(chunk);
    if (stderrTail_.size() > kStderrTailBytes)
        stderrTail_.erase(0, stderrTail_.size() - kStderrTailBytes);
    for (char c : chunk) {
        if (c != '\n' && errLine_.size() < kStderrLogLineBytes) {
            errLine_ += c;
        } else if (c == '\n' || errLine_.size() >= kStderrLogLineBytes) {
            if (!errLine_.empty()) spdlog::info("{}: {}", options_.label, errLine_);
            errLine_.clear();
            if (c != '\n') errLine_ += c;
        }
    }
}

std::string ChildProcess::exchange(std::string_view line, Clock::time_point deadline) {
    if (pid_ <= 0 || !in_ || !out_) throw ExecError("exec.crashed", "the program is not running");
    if (!outBuffer_.empty()) {
        const std::string stray = outBuffer_;
        kill();
        throw ExecError("exec.invalid_output",
                        "the program wrote output nobody asked for: " + quote(stray));
    }
    std::string request(line);
    request += '\n';
    std::size_t written = 0;
    SigpipeGuard sigpipe;

    auto died = [&](const std::string& what) -> ExecError {
        // Give it a moment to finish dying so its exit status and last
        // stderr lines make it into the message.
        const auto until = Clock::now() + milliseconds(500);
        while (alive() && Clock::now() < until) {
            drainStderr();
            std::this_thread::sleep_for(milliseconds(5));
        }
        kill();
        std::string message = what + " (" + exitDescription_ + ")";
        if (!stderrTail_.empty()) {
            std::string tail = stderrTail_;
            while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
            const std::size_t cut = tail.size() > 500 ? tail.size() - 500 : 0;
            message += "; its stderr ends: " + quote(std::string_view(tail).substr(cut));
        }
        return ExecError("exec.crashed", message);
    };

    char buf[65536];
    for (;;) {
        if (const auto nl = outBuffer_.find('\n'); nl != std::string::npos) {
            std::string reply = outBuffer_.substr(0, nl);
            outBuffer_.erase(0, nl + 1);
            if (written < request.size() || !outBuffer_.empty()) {
                const std::string extra = outBuffer_;
                kill();
                throw ExecError(
                    "exec.invalid_output",
                    written < request.size()
                        ? "the program answered before reading the whole request: " + quote(reply)
                        : "the program wrote more than one line: " + quote(extra));
            }
            if (!reply.empty() && reply.back() == '\r') reply.pop_back();
            return reply;
        }
        if (outBuffer_.size() > options_.maxLineBytes) {
            const std::string head = outBuffer_.substr(0, kQuoteBytes + 1);
            kill();
            outBuffer_.clear();
            throw ExecError("exec.invalid_output", "the program wrote a line longer than " +
                                                       std::to_string(options_.maxLineBytes) +
                                                       " bytes: " + quote(head));
        }
        if (Clock::now() >= deadline) {
            kill();
            throw ExecError("exec.timeout", "the program did not answer in time; it was killed");
        }
        std::array<pollfd, 3> fds{pollfd{out_.get(), POLLIN, 0}, pollfd{err_.get(), POLLIN, 0},
                                  pollfd{written < request.size() ? in_.get() : -1, POLLOUT, 0}};
        const int n = poll(fds.data(), fds.size(), remainingMs(deadline));
        if (n < 0 && errno != EINTR) {
            const int e = errno;
            kill();
            throw ExecError("exec.crashed", errnoText("poll", e));
        }
        if (n <= 0) continue;
        if (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) {
            const ssize_t w =
                ::write(in_.get(), request.data() + written, request.size() - written);
            if (w > 0) {
                written += static_cast<std::size_t>(w);
            } else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                throw died(errno == EPIPE ? "the program closed its stdin"
                                          : errnoText("cannot write to the program", errno));
            }
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
            if (!drainStderr()) err_.reset();  // it may close stderr and carry on
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            for (;;) {
                const ssize_t r = ::read(out_.get(), buf, sizeof buf);
                if (r > 0) {
                    outBuffer_.append(buf, static_cast<std::size_t>(r));
                    if (outBuffer_.size() > options_.maxLineBytes ||
                        std::memchr(buf, '\n', static_cast<std::size_t>(r)))
                        break;
                    continue;
                }
                if (r < 0 && errno == EINTR) continue;
                if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
                if (outBuffer_.find('\n') != std::string::npos) break;  // answer, then EOF
                throw died(outBuffer_.empty()
                               ? "the program ended without answering"
                               : "the program ended in the middle of a line " + quote(outBuffer_));
            }
        }
    }
}

// ---- Manifests -----------------------------------------------------------

const ExecStageSpec* ExecPlugin::findStage(std::string_view id) const {
    for (const auto& stage : stages)
        if (stage.id == id) return &stage;
    return nullptr;
}

bool isExecManifest(const std::filesystem::path& file) {
    const std::string name = file.filename().string();
    return name.size() > 10 && name.ends_with(".exec.toml");
}

namespace {

// What the host keeps per stage instance (one per worker thread).
struct ExecInstance {
    nlohmann::json config;
    std::unique_ptr<ChildProcess> child;
    int startFailures = 0;
    uint64_t answered = 0;  // requests the current child has answered
};

ExecInstance* instanceOf(saksi_stage_instance* self) {
    return reinterpret_cast<ExecInstance*>(self);
}

void copyReason(const std::string& reason, char* err, size_t errSize) {
    if (err && errSize) std::snprintf(err, errSize, "%s", reason.c_str());
}

std::string dumpJson(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Starts the instance's program unless it runs, and hands it its config.
void ensureStarted(ExecInstance& inst, const ExecPlugin& plugin, const ExecStageSpec& spec,
                   const LoadedPlugin& owner) {
    if (inst.child && inst.child->alive()) return;
    if (inst.child) {
        spdlog::warn(
            "{}: the program {} between calls; starting it again", spec.id,
            inst.child->exitDescription().empty() ? "stopped" : inst.child->exitDescription());
        inst.child.reset();
    }
    if (inst.startFailures >= kMaxStartFailures)
        throw ExecError("exec.start_failed",
                        "the program failed to start " + std::to_string(inst.startFailures) +
                            " times in a row; this worker no longer tries. Fix " +
                            plugin.manifest.string() + " and run again.");
    ChildProcess::Options options;
    options.argv = plugin.command;
    options.workdir = plugin.workdir;
    options.label = spec.id;
    auto child = std::make_unique<ChildProcess>(std::move(options));
    const nlohmann::json hello = {{"type", "config"},
                                  {"protocol", kProtocolVersion},
                                  {"plugin", {{"name", owner.name}, {"version", owner.version}}},
                                  {"stage", spec.id},
                                  {"config", inst.config}};
    try {
        child->start();
        const std::string reply =
            child->exchange(dumpJson(hello), Clock::now() + spec.startupTimeout);
        nlohmann::json ready;
        try {
            ready = nlohmann::json::parse(reply);
        } catch (const nlohmann::json::exception&) {
        }
        if (!ready.is_object() || ready.value("type", std::string()) != "ready") {
            child->kill();
            throw ExecError("exec.invalid_output", "the program answered the config line with " +
                                                       quote(reply) +
                                                       " instead of {\"type\": \"ready\"}");
        }
    } catch (const ExecError& e) {
        ++inst.startFailures;
        const std::string code = e.code() == "exec.crashed" ? "exec.start_failed" : e.code();
        throw ExecError(code, "while starting " + plugin.command.front() + ": " + e.what() +
                                  (e.code() == "exec.timeout"
                                       ? " (startup_timeout_ms " +
                                             std::to_string(spec.startupTimeout.count()) + ")"
                                       : ""));
    }
    inst.startFailures = 0;
    inst.answered = 0;
    spdlog::debug("{}: started {} (pid {})", spec.id, plugin.command.front(), child->pid());
    inst.child = std::move(child);
}

nlohmann::json pageRequest(const nlohmann::json& page) {
    return {{"number", page.value("number", 0)},
            {"width", page.value("width", 0)},
            {"height", page.value("height", 0)},
            {"text", page.value("text", std::string())},
            {"words", page.value("words", nlohmann::json::array())}};
}

// Checks one entity of a reply and completes it (text, bbox, page, defaults).
// Returns the reason it is refused, or nothing.
std::optional<std::string> completeEntity(nlohmann::json& e, const nlohmann::json& in,
                                          uint32_t callPage,
                                          std::map<uint32_t, sdk::PageWords>& pages) {
    if (!in.is_object()) return "is not an object";
    const std::string type = in.value("type", std::string());
    if (!kEntityTypes.contains(type))
        return "has type " + (in.contains("type") ? in["type"].dump() : std::string("(none)")) +
               ", not one of DESIGN.md's entity types";
    uint32_t page = callPage;
    if (in.contains("page")) {
        if (!in["page"].is_number_unsigned()) return "has a page that is not a number >= 1";
        page = in["page"].get<uint32_t>();
        if (callPage != 0 && page != callPage)
            return "is on page " + std::to_string(page) + " but the request was for page " +
                   std::to_string(callPage);
    }
    const auto found = pages.find(page);
    if (found == pages.end())
        return page == 0
                   ? std::string("has no page")
                   : "is on page " + std::to_string(page) + ", which the document does not have";
    const sdk::PageWords& words = found->second;
    const std::string& text = words.text();
    std::size_t begin = 0, end = 0;
    if (in.contains("span")) {
        const auto& s = in["span"];
        if (!s.is_array() || s.size() != 2 || !s[0].is_number_unsigned() ||
            !s[1].is_number_unsigned())
            return "has a span that is not [begin, end]";
        begin = s[0].get<std::size_t>();
        end = s[1].get<std::size_t>();
        if (begin > end || end > text.size())
            return "has span [" + std::to_string(begin) + ", " + std::to_string(end) +
                   ") outside the page text (" + std::to_string(text.size()) + " bytes)";
    } else if (in.contains("text") && in["text"].is_string() &&
               !in["text"].get_ref<const std::string&>().empty()) {
        const std::size_t at = text.find(in["text"].get_ref<const std::string&>());
        if (at == std::string::npos) return "has no span and its text is not in the page text";
        begin = at;
        end = at + in["text"].get_ref<const std::string&>().size();
    } else {
        return "has neither a span nor a text";
    }
    const std::string spanned = text.substr(begin, end - begin);
    if (in.contains("text")) {
        if (!in["text"].is_string()) return "has a text that is not a string";
        if (in["text"].get_ref<const std::string&>() != spanned)
            return "has text " + quote(in["text"].get<std::string>()) + " but its span covers " +
                   quote(spanned) + " (spans are UTF-8 byte offsets into the page text)";
    }
    nlohmann::json bbox;
    if (in.contains("bbox") && !in["bbox"].is_null()) {
        const auto& b = in["bbox"];
        if (!b.is_array() || b.size() != 4 ||
            !std::all_of(b.begin(), b.end(), [](const auto& v) { return v.is_number_integer(); }))
            return "has a bbox that is not [x0, y0, x1, y1] in integers";
        bbox = b;
    } else {
        const saksi_box box = words.boxOf(begin, end);
        bbox = {box.x0, box.y0, box.x1, box.y1};
    }
    double confidence = 1.0;
    if (in.contains("confidence")) {
        if (!in["confidence"].is_number()) return "has a confidence that is not a number";
        confidence = in["confidence"].get<double>();
        if (!(confidence >= 0.0 && confidence <= 1.0)) return "has a confidence outside 0..1";
    }
    bool sensitive = false;
    if (in.contains("sensitive")) {
        if (!in["sensitive"].is_boolean()) return "has a sensitive that is not true or false";
        sensitive = in["sensitive"].get<bool>();
    }
    // The detector is always the host's: a program cannot speak for another stage.
    e = {{"type", type},
         {"text", spanned},
         {"normalized", in.contains("normalized") ? in["normalized"] : nlohmann::json()},
         {"page", page},
         {"bbox", bbox},
         {"span", {begin, end}},
         {"confidence", confidence},
         {"sensitive", sensitive}};
    return std::nullopt;
}

// Applies a reply to the document; returns how many problems it recorded.
int applyReply(sdk::Document& doc, const ExecStageSpec& spec, uint32_t kind,
               const std::string& line, uint32_t callPage,
               std::map<uint32_t, sdk::PageWords>& pages) {
    nlohmann::json reply;
    try {
        reply = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception&) {
        throw ExecError("exec.invalid_output", "the program's answer is not JSON: " + quote(line));
    }
    if (!reply.is_object())
        throw ExecError("exec.invalid_output",
                        "the program's answer is not a JSON object: " + quote(line));
    for (const char* key : {"entities", "errors"})
        if (reply.contains(key) && !reply[key].is_array())
            throw ExecError("exec.invalid_output", std::string("the program's \"") + key +
                                                       "\" is not an array: " + quote(line));
    int problems = 0;
    std::size_t index = 0;
    for (const auto& in : reply.value("entities", nlohmann::json::array())) {
        ++index;
        nlohmann::json entity;
        if (auto reason = completeEntity(entity, in, callPage, pages)) {
            doc.addError("exec.invalid_output", "entity #" + std::to_string(index) + " " + *reason +
                                                    ": " + quote(dumpJson(in)) +
                                                    ". See docs/exec-plugins.md.");
            ++problems;
            continue;
        }
        doc.put("/entities/-", entity);
    }
    if (reply.contains("document") && !reply["document"].is_null()) {
        const auto& d = reply["document"];
        if (kind != SAKSI_STAGE_CLASSIFY || !d.is_object()) {
            doc.addError("exec.invalid_output",
                         kind != SAKSI_STAGE_CLASSIFY
                             ? "only classify stages may answer with \"document\"; " + spec.id +
                                   " is an extract stage"
                             : "\"document\" is not an object: " + quote(dumpJson(d)));
            ++problems;
        } else {
            for (const auto& [key, value] : d.items()) {
                static const std::set<std::string> allowed = {"kind", "kind_confidence",
                                                              "languages"};
                if (!allowed.contains(key)) {
                    doc.addError("exec.invalid_output",
                                 "\"document\" may set kind, kind_confidence and languages, not " +
                                     quote(key));
                    ++problems;
                    continue;
                }
                doc.put("/document/" + key, value);
            }
        }
    }
    for (const auto& e : reply.value("errors", nlohmann::json::array())) {
        if (!e.is_object() || !e.value("code", nlohmann::json()).is_string()) {
            doc.addError("exec.invalid_output", "an error without a code: " + quote(dumpJson(e)));
        } else {
            doc.addError(e["code"].get<std::string>(),
                         e.value("message", nlohmann::json()).is_string()
                             ? e["message"].get<std::string>()
                             : std::string());
        }
        ++problems;
    }
    return problems;
}

int32_t execCreate(const saksi_host_api*, saksi_str config, saksi_stage_instance** out, char* err,
                   size_t errSize) noexcept {
    try {
        auto inst = std::make_unique<ExecInstance>();
        inst->config = nlohmann::json::parse(config.data, config.data + config.size);
        // The program starts on the instance's first call: create() carries no
        // word of which exec stage it is for; process() does (StageCall).
        *out = reinterpret_cast<saksi_stage_instance*>(inst.release());
        return SAKSI_OK;
    } catch (const std::exception& e) {
        copyReason(e.what(), err, errSize);
        return SAKSI_ERROR;
    }
}

int32_t execProcess(saksi_stage_instance* self, saksi_doc* handle, uint32_t page, char* err,
                    size_t errSize) noexcept {
    try {
        ExecInstance& inst = *instanceOf(self);
        // Host-implemented: the handle is the host's StageCall, which names the stage.
        const StageCall& call = *reinterpret_cast<const StageCall*>(handle);
        const LoadedPlugin& owner = *call.stage->plugin;
        const ExecPlugin& plugin = *owner.exec;
        const ExecStageSpec* spec = plugin.findStage(call.stage->id);
        if (!spec) throw std::logic_error("exec stage " + call.stage->id + " has no spec");
        sdk::Document doc(Document::hostApi(), handle);
        try {
            nlohmann::json request = {{"type", page == SAKSI_ALL_PAGES ? "document" : "page"},
                                      {"stage", spec->id},
                                      {"id", doc.json("/id").value_or("")}};
            std::map<uint32_t, sdk::PageWords> pages;
            uint32_t callPage = 0;
            if (page == SAKSI_ALL_PAGES) {
                nlohmann::json list = nlohmann::json::array();
                for (const auto& p : doc.json("/pages").value_or(nlohmann::json::array())) {
                    list.push_back(pageRequest(p));
                    pages.emplace(p.value("number", 0u), sdk::PageWords::fromJson(p));
                }
                request["pages"] = std::move(list);
            } else {
                const nlohmann::json p =
                    doc.json("/pages/" + std::to_string(page)).value_or(nlohmann::json::object());
                callPage = page + 1;
                request["page"] = callPage;
                request["text"] = p.value("text", std::string());
                request["words"] = p.value("words", nlohmann::json::array());
                request["width"] = p.value("width", 0);
                request["height"] = p.value("height", 0);
                pages.emplace(callPage, sdk::PageWords::fromJson(p));
            }
            request["source"] = doc.json("/source").value_or(nlohmann::json::object());
            request["document"] = doc.json("/document").value_or(nlohmann::json::object());
            const std::string line = dumpJson(request);
            std::string reply;
            for (int attempt = 0;; ++attempt) {
                ensureStarted(inst, plugin, *spec, owner);
                const bool seasoned = inst.answered > 0;
                try {
                    reply = inst.child->exchange(line, Clock::now() + spec->timeout);
                    ++inst.answered;
                    break;
                } catch (const ExecError& e) {
                    // A program that served earlier requests and ends without
                    // a word on this one most likely exited between requests
                    // (it chose to, or raced our write): one fresh try. A fresh
                    // program that dies on it is this document's problem.
                    if (e.code() != "exec.crashed" || !seasoned || attempt > 0) throw;
                    spdlog::warn("{}: {}; trying once more with a fresh process", spec->id,
                                 e.what());
                }
            }
            return applyReply(doc, *spec, call.stage->abi.kind, reply, callPage, pages) == 0
                       ? SAKSI_OK
                       : SAKSI_ERROR;
        } catch (const ExecError& e) {
            // A line that is not an answer leaves the program out of step.
            if (inst.child && e.code() == "exec.invalid_output") inst.child->kill();
            std::string message = e.what();
            if (e.code() == "exec.timeout")
                message += " (timeout_ms " + std::to_string(spec->timeout.count()) +
                           "); it starts again on the next call";
            else if (e.code() != "exec.start_failed")
                message += "; it starts again on the next call";
            doc.addError(e.code(), message);
            return SAKSI_ERROR;
        }
    } catch (const std::exception& e) {
        copyReason(e.what(), err, errSize);
        return SAKSI_ERROR;
    }
}

void execDestroy(saksi_stage_instance* self) noexcept {
    std::unique_ptr<ExecInstance> inst(instanceOf(self));
    try {
        if (inst->child) inst->child->stop(kStopGrace);
    } catch (...) {
    }
}

// ---- Manifest parsing --------------------------------------------------------

struct ManifestError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string lineOf(const toml::node& node) {
    return "line " + std::to_string(node.source().begin.line) + ": ";
}

void onlyKeys(const toml::table& table, const std::set<std::string>& keys,
              const std::string& what) {
    for (auto&& [k, v] : table) {
        if (keys.contains(std::string(k.str()))) continue;
        std::string known;
        for (const auto& key : keys) known += (known.empty() ? "" : ", ") + key;
        throw ManifestError(lineOf(v) + what + " has no key '" + std::string(k.str()) +
                            "' (keys: " + known + ")");
    }
}

std::string requiredString(const toml::table& table, const char* key, const std::string& what) {
    const toml::node* node = table.get(key);
    if (!node) throw ManifestError(what + " needs a string '" + key + "'");
    const auto* s = node->as_string();
    if (!s || s->get().empty())
        throw ManifestError(lineOf(*node) + what + "'s '" + key + "' must be a non-empty string");
    return s->get();
}

std::string optionalString(const toml::table& table, const char* key, const std::string& what) {
    const toml::node* node = table.get(key);
    if (!node) return {};
    if (!node->is_string())
        throw ManifestError(lineOf(*node) + what + "'s '" + key + "' must be a string");
    return node->as_string()->get();
}

milliseconds optionalMs(const toml::table& table, const char* key, milliseconds fallback,
                        const std::string& what) {
    const toml::node* node = table.get(key);
    if (!node) return fallback;
    const auto* i = node->as_integer();
    if (!i || i->get() < 1 || i->get() > 86'400'000)
        throw ManifestError(lineOf(*node) + what + "'s '" + key +
                            "' must be an integer of milliseconds from 1 to 86400000");
    return milliseconds(i->get());
}

// command[0] with a slash is a path (relative to the manifest's folder);
// without one it is looked up in PATH, as a shell would.
std::string resolveProgram(const std::string& program, const std::filesystem::path& dir) {
    if (program.find('/') != std::string::npos) {
        std::filesystem::path p(program);
        if (p.is_relative()) p = dir / p;
        p = p.lexically_normal();
        if (access(p.c_str(), X_OK) != 0)
            throw ManifestError("the program " + p.string() +
                                " does not exist or is not executable");
        return p.string();
    }
    const char* path = std::getenv("PATH");
    std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    while (true) {
        const std::size_t colon = dirs.find(':');
        const std::string_view d = dirs.substr(0, colon);
        const std::filesystem::path candidate =
            std::filesystem::path(d.empty() ? "." : std::string(d)) / program;
        std::error_code ec;
        if (std::filesystem::is_regular_file(candidate, ec) && access(candidate.c_str(), X_OK) == 0)
            return program;
        if (colon == std::string_view::npos) break;
        dirs.remove_prefix(colon + 1);
    }
    throw ManifestError("the program '" + program + "' is not in PATH (write ./" + program +
                        " for a program next to the manifest)");
}

void readStageTable(const toml::table& t, ExecStageSpec& spec, std::size_t index) {
    const std::string what = "[[stage]] #" + std::to_string(index + 1);
    onlyKeys(t,
             {"id", "kind", "scope", "description", "media_types", "timeout_ms",
              "startup_timeout_ms", "config_schema"},
             what);
    spec.id = requiredString(t, "id", what);
    const std::string named = "stage '" + spec.id + "'";
    const std::string kind = requiredString(t, "kind", named);
    if (kind != "extract" && kind != "classify")
        throw ManifestError(lineOf(*t.get("kind")) + named + " has kind '" + kind +
                            "'; exec stages are \"extract\" or \"classify\" (they read page "
                            "text and words, and add entities or the document's kind)");
    if (!spec.id.starts_with(kind + ".") || spec.id.size() == kind.size() + 1)
        throw ManifestError(lineOf(*t.get("id")) + named + " must be named \"" + kind +
                            ".<name>\"");
    const std::string scope = optionalString(t, "scope", named);
    if (!scope.empty() && scope != "page" && scope != "document")
        throw ManifestError(lineOf(*t.get("scope")) + named + " has scope '" + scope +
                            "'; it is \"page\" or \"document\"");
    spec.description = optionalString(t, "description", named);
    spec.timeout = optionalMs(t, "timeout_ms", milliseconds(30000), named);
    spec.startupTimeout = optionalMs(t, "startup_timeout_ms", milliseconds(60000), named);
    if (const toml::node* m = t.get("media_types")) {
        const auto* a = m->as_array();
        if (!a || !a->is_homogeneous(toml::node_type::string))
            throw ManifestError(lineOf(*m) + named + "'s media_types must be a list of strings");
        for (auto&& v : *a) spec.mediaTypes.push_back(v.as_string()->get());
    }
    nlohmann::json schema = nlohmann::json::object();
    if (const toml::node* c = t.get("config_schema")) {
        if (c->is_table()) {
            try {
                schema = tomlToJson(*c);
            } catch (const std::invalid_argument& e) {
                throw ManifestError(lineOf(*c) + e.what());
            }
        } else if (c->is_string()) {
            try {
                schema = nlohmann::json::parse(c->as_string()->get());
            } catch (const nlohmann::json::exception& e) {
                throw ManifestError(lineOf(*c) + named +
                                    "'s config_schema is not JSON: " + e.what());
            }
        } else {
            throw ManifestError(lineOf(*c) + named +
                                "'s config_schema must be a table or a JSON string");
        }
        if (!schema.is_object())
            throw ManifestError(lineOf(*c) + named + "'s config_schema is not an object");
        for (auto& [key, setting] : schema.items()) {
            if (!setting.is_object())
                throw ManifestError(lineOf(*c) + named + "'s setting '" + key +
                                    "' must be an object {type, default, description}");
            static const std::set<std::string> types = {"string", "integer", "number", "boolean",
                                                        "string_list"};
            if (!types.contains(setting.value("type", std::string("string"))))
                throw ManifestError(lineOf(*c) + named + "'s setting '" + key +
                                    "' has an unknown type (string, integer, number, boolean, "
                                    "string_list)");
            try {
                if (setting.contains("default"))
                    checkSetting(schema, key, setting["default"], spec.id);
            } catch (const std::invalid_argument& e) {
                throw ManifestError(lineOf(*c) + "the default of " + e.what());
            }
        }
    }
    spec.configSchema = schema.dump();

    saksi_stage_descriptor& d = spec.descriptor;
    d.struct_size = sizeof(saksi_stage_descriptor);
    d.kind = kind == "extract" ? SAKSI_STAGE_EXTRACT : SAKSI_STAGE_CLASSIFY;
    d.scope = scope == "document" ? SAKSI_SCOPE_DOCUMENT : SAKSI_SCOPE_PAGE;
    d.create = execCreate;
    d.process = execProcess;
    d.destroy = execDestroy;
}

}  // namespace

std::shared_ptr<LoadedPlugin> loadExecManifest(const std::filesystem::path& manifestPath) {
    const std::filesystem::path file = std::filesystem::absolute(manifestPath).lexically_normal();
    toml::table doc;
    try {
        doc = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw std::runtime_error("exec manifest: line " + std::to_string(e.source().begin.line) +
                                 ": " + std::string(e.description()));
    }
    auto exec = std::make_shared<ExecPlugin>();
    auto plugin = std::make_shared<LoadedPlugin>();
    try {
        onlyKeys(doc, {"name", "version", "description", "license", "command", "stage"},
                 "the manifest");
        exec->manifest = file;
        exec->workdir = file.parent_path();
        plugin->path = file.string();
        plugin->name = requiredString(doc, "name", "the manifest");
        plugin->version = requiredString(doc, "version", "the manifest");
        plugin->description = optionalString(doc, "description", "the manifest");
        plugin->license = optionalString(doc, "license", "the manifest");
        plugin->abiMajor = SAKSI_ABI_MAJOR;
        plugin->abiMinor = SAKSI_ABI_MINOR;
        const toml::node* command = doc.get("command");
        const toml::array* argv = command ? command->as_array() : nullptr;
        if (!argv || argv->empty() || !argv->is_homogeneous(toml::node_type::string))
            throw ManifestError((command ? lineOf(*command) : std::string()) +
                                "the manifest needs 'command', a non-empty list of strings "
                                "(program and arguments)");
        for (auto&& a : *argv) exec->command.push_back(a.as_string()->get());
        exec->command.front() = resolveProgram(exec->command.front(), exec->workdir);
        const toml::node* stages = doc.get("stage");
        const toml::array* list = stages ? stages->as_array() : nullptr;
        if (!list || list->empty() || !list->is_homogeneous(toml::node_type::table))
            throw ManifestError("the manifest needs at least one [[stage]]");
        for (std::size_t i = 0; i < list->size(); ++i)
            readStageTable(*list->get(i)->as_table(), exec->stages.emplace_back(), i);
    } catch (const ManifestError& e) {
        throw std::runtime_error("exec manifest: " + std::string(e.what()));
    }
    // The descriptors point into `exec`, which never moves again.
    for (ExecStageSpec& spec : exec->stages) {
        saksi_stage_descriptor& d = spec.descriptor;
        d.id = spec.id.c_str();
        d.description = spec.description.empty() ? nullptr : spec.description.c_str();
        d.config_schema = spec.configSchema.c_str();
        if (!spec.mediaTypes.empty()) {
            for (const auto& m : spec.mediaTypes) spec.mediaTypePtrs.push_back(m.c_str());
            spec.mediaTypePtrs.push_back(nullptr);
            d.media_types = spec.mediaTypePtrs.data();
        }
        StageDef def;
        def.abi = d;
        def.id = spec.id;
        def.description = spec.description;
        def.mediaTypes = spec.mediaTypes;
        def.configSchema = nlohmann::json::parse(spec.configSchema);
        def.plugin = plugin.get();
        plugin->stages.push_back(std::move(def));
    }
    plugin->exec = std::move(exec);
    return plugin;
}

}  // namespace saksi
