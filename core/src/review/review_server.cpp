#include "review/review_server.hpp"

#include "audit_log.hpp"
#include "hashing.hpp"
#include "mapped_file.hpp"
#include "review/assets.hpp"
#include "review/page_image.hpp"
#include "review/redacted_copies.hpp"
#include "review/revisions.hpp"

#include <saksi/sdk/files.hpp>

#include <httplib.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace saksi::review {
namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kMaxBody = 64 * 1024;  // a correction is a few hundred bytes
constexpr double kLowConfidence = 0.7;       // below this an entity is worth a look
constexpr std::size_t kPngCacheEntries = 32;
constexpr const char* kCookie = "saksi_review";

std::string randomToken() {
    unsigned char bytes[24];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        throw std::runtime_error("no random bytes for the token");
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out;
}

bool sameSecret(const std::string& a, const std::string& b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string readText(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A file's identity for caches: its modification time and size.
std::string stamp(const fs::path& file) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec) return "-";
    const auto time = fs::last_write_time(file, ec).time_since_epoch().count();
    return std::to_string(time) + ":" + std::to_string(size);
}

void sendJson(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace),
                    "application/json; charset=utf-8");
}

void sendError(httplib::Response& res, int status, const std::string& reason) {
    sendJson(res, status, {{"error", reason}});
}

std::string cookieToken(const httplib::Request& req) {
    const std::string header = req.get_header_value("Cookie");
    const std::string key = std::string(kCookie) + "=";
    std::size_t at = 0;
    while ((at = header.find(key, at)) != std::string::npos) {
        if (at == 0 || header[at - 1] == ' ' || header[at - 1] == ';') {
            const std::size_t start = at + key.size();
            return header.substr(start, header.find(';', start) - start);
        }
        at += key.size();
    }
    return {};
}

}  // namespace

class ReviewServer::Impl {
public:
    Impl(const PluginHost& host, ReviewOptions options)
        : options_(std::move(options)), copies_(host, options_.outDir, options_.pipeline) {
        if (options_.token.empty()) options_.token = randomToken();
        routes();
    }

    int bind() {
        port_ = options_.port == 0
                    ? server_.bind_to_any_port(options_.bind)
                    : (server_.bind_to_port(options_.bind, options_.port) ? options_.port : -1);
        if (port_ <= 0)
            throw std::runtime_error("cannot listen on " + options_.bind + ":" +
                                     std::to_string(options_.port));
        return port_;
    }

    std::string url() const {
        const bool v6 = options_.bind.find(':') != std::string::npos;
        const std::string host = v6 ? "[" + options_.bind + "]" : options_.bind;
        return "http://" + host + ":" + std::to_string(port_) + "/?token=" + options_.token;
    }

    void run() { server_.listen_after_bind(); }
    void stop() { server_.stop(); }

private:
    // --- access -----------------------------------------------------------

    // The token from the query, then the cookie, then Authorization: Bearer.
    bool authorized(const httplib::Request& req) const {
        if (req.has_param("token")) return sameSecret(req.get_param_value("token"), options_.token);
        if (const std::string c = cookieToken(req); !c.empty())
            return sameSecret(c, options_.token);
        const std::string auth = req.get_header_value("Authorization");
        if (auth.starts_with("Bearer ")) return sameSecret(auth.substr(7), options_.token);
        return false;
    }

    void routes() {
        server_.set_payload_max_length(kMaxBody);
        server_.set_pre_routing_handler([this](const httplib::Request& req,
                                               httplib::Response& res) {
            if (!authorized(req)) {
                sendError(res, 401,
                          "a token is needed: open the URL saksi review printed, or send "
                          "Authorization: Bearer TOKEN");
                return httplib::Server::HandlerResponse::Handled;
            }
            res.set_header("Cache-Control", "no-store");
            res.set_header("X-Content-Type-Options", "nosniff");
            res.set_header("Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                           "script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
            // From the printed URL: keep the token in a cookie and drop it
            // from the address bar.
            if (req.has_param("token") && req.method == "GET" && !req.path.starts_with("/api/")) {
                res.set_header("Set-Cookie", std::string(kCookie) + "=" + options_.token +
                                                 "; HttpOnly; SameSite=Strict; Path=/");
                res.set_redirect(req.path, 303);
                return httplib::Server::HandlerResponse::Handled;
            }
            return httplib::Server::HandlerResponse::Unhandled;
        });
        server_.set_error_handler([](const httplib::Request&, httplib::Response& res) {
            if (!res.body.empty()) return;
            if (res.status == 413)
                sendError(res, 413,
                          "the body is larger than " + std::to_string(kMaxBody) +
                              " bytes; nothing was written");
            else if (res.status == 404)
                sendError(res, 404, "no such page or API");
        });
        server_.set_exception_handler(
            [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
                std::string what = "unknown error";
                try {
                    std::rethrow_exception(ep);
                } catch (const std::exception& e) {
                    what = e.what();
                } catch (...) {
                }
                spdlog::error("review: {} {}: {}", req.method, req.path, what);
                sendError(res, 500, what);
            });

        for (const std::string path : {"/", "/review.js", "/review.css"}) {
            server_.Get(path, [path](const httplib::Request&, httplib::Response& res) {
                const Asset* asset = findAsset(path == "/" ? "index.html" : path.substr(1));
                res.set_content(asset->body.data(), asset->body.size(), asset->contentType);
            });
        }
        server_.Get("/api/documents", [this](const httplib::Request&, httplib::Response& res) {
            sendJson(res, 200, listDocuments());
        });
        const std::string doc = R"(/api/documents/([0-9a-f]{64}))";
        server_.Get(doc, [this](const httplib::Request& req, httplib::Response& res) {
            withDocument(req, res,
                         [&](const std::string& id) { sendJson(res, 200, effective(id).record); });
        });
        server_.Get(doc + "/revisions",
                    [this](const httplib::Request& req, httplib::Response& res) {
                        withDocument(req, res, [&](const std::string& id) {
                            sendJson(res, 200, {{"revisions", effective(id).revisions}});
                        });
                    });
        server_.Get(doc + "/redacted", [this](const httplib::Request& req, httplib::Response& res) {
            withDocument(req, res, [&](const std::string& id) {
                const fs::path file = options_.outDir / "redacted" / (id + ".json");
                std::error_code ec;
                if (!fs::is_regular_file(file, ec))
                    return sendError(res, 404, "this document has no redacted copy");
                res.set_content(readText(file), "application/json; charset=utf-8");
            });
        });
        server_.Get(doc + R"(/pages/([0-9]{1,6})/image)", [this](const httplib::Request& req,
                                                                 httplib::Response& res) {
            withDocument(req, res, [&](const std::string& id) {
                pageImage(id, std::stoul(req.matches[2].str()),
                          req.has_param("copy") ? req.get_param_value("copy") : "original", res);
            });
        });
        server_.Post(
            doc + "/corrections", [this](const httplib::Request& req, httplib::Response& res) {
                withDocument(req, res, [&](const std::string& id) { correction(id, req, res); });
            });
    }

    // --- reading ------------------------------------------------------------

    struct Effective {
        json record;
        json revisions = json::array();
        std::string recordSha256;  // of the record file
        bool failed = false;
    };

    fs::path recordFile(const std::string& id, bool& failed) const {
        std::error_code ec;
        fs::path p = options_.outDir / "records" / (id + ".json");
        failed = false;
        if (fs::is_regular_file(p, ec)) return p;
        p = options_.outDir / "failed" / (id + ".json");
        failed = true;
        if (fs::is_regular_file(p, ec)) return p;
        return {};
    }

    // Runs `fn` for a document that exists; 404 otherwise, 4xx for a refused correction.
    template <class Fn>
    void withDocument(const httplib::Request& req, httplib::Response& res, Fn&& fn) {
        const std::string id = req.matches[1].str();
        bool failed = false;
        if (recordFile(id, failed).empty()) return sendError(res, 404, "unknown document " + id);
        try {
            fn(id);
        } catch (const InvalidCorrection& e) {
            sendError(res, e.status(), e.what());
        }
    }

    Effective effective(const std::string& id) const {
        Effective out;
        const fs::path file = recordFile(id, out.failed);
        const std::string text = readText(file);
        out.recordSha256 = sha256Hex(std::string_view(text));
        const json original = json::parse(text);
        const fs::path revFile = revisionsFile(options_.outDir, id);
        std::vector<json> revisions = readRevisions(revFile);
        for (const json& r : revisions) out.revisions.push_back(r);
        std::error_code ec;
        const std::string revSha = fs::is_regular_file(revFile, ec) ? fileSha256(revFile) : "";
        out.record = effectiveRecord(original, revisions, revSha);
        // The burned-in areas are the current redacted copy's.
        const fs::path redacted = options_.outDir / "redacted" / (id + ".json");
        if (!revisions.empty() && fs::is_regular_file(redacted, ec)) {
            const json copy = json::parse(readText(redacted), nullptr, false);
            if (copy.is_object() && copy.contains("redactions"))
                out.record["redactions"] = copy["redactions"];
        }
        return out;
    }

    json summary(const std::string& id) const {
        const Effective e = effective(id);
        const json& r = e.record;
        json types = json::object();
        std::size_t entities = 0, low = 0;
        for (const json& ent : r.value("entities", json::array())) {
            const std::string status =
                ent.contains("review") ? ent["review"].value("status", "") : "";
            if (status == "rejected") continue;
            ++entities;
            types[ent.value("type", "?")] = types.value(ent.value("type", "?"), 0) + 1;
            if (ent.value("confidence", 1.0) < kLowConfidence && status != "confirmed") ++low;
        }
        json errors = json::array();
        for (const json& err : r.value("errors", json::array()))
            errors.push_back({{"stage", err.value("stage", "")},
                              {"code", err.value("code", "")},
                              {"message", err.value("message", "")}});
        std::error_code ec;
        const fs::path redacted = options_.outDir / "redacted";
        return {{"id", id},
                {"name", r["source"].value("name", "")},
                {"media_type", r["source"].value("media_type", "")},
                {"status", r.value("status", "")},
                {"kind", r["document"].value("kind", "")},
                {"kind_confidence", r["document"].value("kind_confidence", 0.0)},
                {"pages", r.value("pages", json::array()).size()},
                {"entities", entities},
                {"entity_types", types},
                {"low_confidence", low},
                {"errors", errors},
                {"revisions", e.revisions.size()},
                {"redacted",
                 {{"json", fs::is_regular_file(redacted / (id + ".json"), ec)},
                  {"pdf", fs::is_regular_file(redacted / (id + ".pdf"), ec)}}}};
    }

    json listDocuments() {
        json docs = json::array();
        for (const char* sub : {"records", "failed"}) {
            std::error_code ec;
            for (const auto& e : fs::directory_iterator(options_.outDir / sub, ec)) {
                const fs::path p = e.path();
                if (p.extension() != ".json" || p.filename().string()[0] == '.') continue;
                const std::string id = p.stem().string();
                const std::string key = stamp(p) + "|" + stamp(revisionsFile(options_.outDir, id)) +
                                        "|" + stamp(options_.outDir / "redacted" / (id + ".json"));
                std::lock_guard lock(cacheMu_);
                auto& cached = summaries_[id];
                if (cached.first != key) {
                    try {
                        cached = {key, summary(id)};
                    } catch (const std::exception& ex) {
                        cached = {key,
                                  {{"id", id},
                                   {"name", id},
                                   {"status", "unreadable"},
                                   {"errors",
                                    {{{"code", "review.unreadable"}, {"message", ex.what()}}}}}};
                    }
                }
                docs.push_back(cached.second);
            }
        }
        std::sort(docs.begin(), docs.end(), [](const json& a, const json& b) {
            return a.value("name", "") < b.value("name", "");
        });
        return {{"output", options_.outDir.string()},
                {"reviewer", options_.reviewer},
                {"low_confidence_below", kLowConfidence},
                {"documents", docs}};
    }

    void pageImage(const std::string& id, std::size_t number, const std::string& copy,
                   httplib::Response& res) {
        const Effective e = effective(id);
        const json& pages = e.record.value("pages", json::array());
        if (number < 1 || number > pages.size())
            return sendError(res, 404, "the document has no page " + std::to_string(number));
        if (copy != "original" && copy != "redacted")
            return sendError(res, 400, "copy must be \"original\" or \"redacted\"");
        fs::path file;
        std::string mediaType = "application/pdf";
        if (copy == "redacted") {
            file = options_.outDir / "redacted" / (id + ".pdf");
            std::error_code ec;
            if (!fs::is_regular_file(file, ec))
                return sendError(res, 404, "this document has no redacted PDF");
        } else {
            file = copies_.findOriginal(e.record);
            mediaType = e.record["source"].value("media_type", "");
        }
        const std::string key = id + "/" + std::to_string(number) + "/" + copy;
        const std::string fileStamp = file.string() + "|" + stamp(file);
        {
            std::lock_guard lock(cacheMu_);
            if (auto it = pngs_.find(key); it != pngs_.end() && it->second.first == fileStamp) {
                res.set_content(it->second.second, "image/png");
                return;
            }
        }
        const MappedFile bytes(file);
        // The original must still be the recorded one.
        if (copy == "original" && sha256Hex(bytes.bytes()) != id)
            return sendError(
                res, 409,
                "the original at " + file.string() + " has changed since it was recorded");
        std::string png;
        try {
            png = pagePng(bytes.bytes(), mediaType, static_cast<uint32_t>(number - 1),
                          pages[number - 1].value("dpi", 0u));
        } catch (const std::exception& ex) {
            return sendError(res, 422, ex.what());
        }
        {
            std::lock_guard lock(cacheMu_);
            if (pngs_.size() >= kPngCacheEntries) pngs_.erase(pngs_.begin());
            pngs_[key] = {fileStamp, png};
        }
        res.set_content(png, "image/png");
    }

    // --- writing ------------------------------------------------------------

    // Everything a correction writes goes through here, one at a time. The
    // output folder's custody lock (shared with `saksi process`) belongs here.
    template <class Fn>
    auto underCustody(Fn&& fn) {
        std::lock_guard lock(writeMu_);
        return fn();
    }

    fs::path auditFile() const {
        std::error_code ec;
        // A distributed run's folder has one chain per writer in audit/.
        if (!fs::exists(options_.outDir / "audit.jsonl", ec) &&
            fs::is_directory(options_.outDir / "audit", ec))
            return options_.outDir / "audit" / "review.jsonl";
        return options_.outDir / "audit.jsonl";
    }

    void correction(const std::string& id, const httplib::Request& req, httplib::Response& res) {
        const auto started = Clock::now();
        if (!req.get_header_value("Content-Type").starts_with("application/json"))
            return sendError(res, 415, "send the correction as Content-Type: application/json");
        const json request = json::parse(req.body, nullptr, false);
        if (request.is_discarded())
            return sendError(res, 400, "the body is not valid JSON; nothing was written");
        const json done = underCustody([&] { return commit(id, request); });
        json answer = done;
        answer["ms"] =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
        sendJson(res, 200, answer);
    }

    json commit(const std::string& id, const json& request) {
        Effective current = effective(id);
        if (current.failed)
            throw InvalidCorrection(409, "a failed document has no record to correct");
        const fs::path revFile = revisionsFile(options_.outDir, id);
        const std::string rel = "revisions/" + id + ".jsonl";
        std::error_code ec;
        std::string revText = fs::is_regular_file(revFile, ec) ? readText(revFile) : "";
        if (!review::checkRevisionChain(revFile, rel).empty())
            throw InvalidCorrection(409,
                                    rel + " is broken (see saksi verify); nothing was written");
        for (const json& r : current.revisions)
            if (r.value("record_sha256", "") != current.recordSha256)
                throw InvalidCorrection(409, "the record was processed again after revision " +
                                                 std::to_string(r.value("number", 0)) +
                                                 "; its corrections no longer apply");
        const json change = checkCorrection(request, current.record);
        std::string prev = kAuditGenesis;
        if (!revText.empty()) {
            if (revText.back() != '\n') revText += '\n';
            const std::size_t start = revText.rfind('\n', revText.size() - 2);
            prev = sha256Hex(std::string_view(revText).substr(
                start == std::string::npos ? 0 : start + 1,
                revText.size() - 1 - (start == std::string::npos ? 0 : start + 1)));
        }
        const std::size_t number = current.revisions.size() + 1;
        const std::string line =
            revisionLine(change, id, number, options_.reviewer, current.recordSha256, prev);
        const std::string newText = revText + line + "\n";
        const std::string newSha = sha256Hex(std::string_view(newText));

        std::vector<json> revisions(current.revisions.begin(), current.revisions.end());
        revisions.push_back(json::parse(line));
        bool failed = false;
        const json original = json::parse(readText(recordFile(id, failed)));
        const json corrected = effectiveRecord(original, revisions, newSha);

        // The redacted copies first: should the revision then not be
        // written, they hide more than the records say, never less.
        const StagedCopies staged =
            copies_.make(recordForRedaction(corrected), copies_.findOriginal(corrected));
        AuditLog audit(auditFile());
        const std::string source = original["source"].value("path", "");
        json madeCopies = json::object();
        if (!staged.folder.empty()) {
            for (const fs::path& file : {staged.pdf, staged.json}) {
                const std::string bytes = readText(file);
                sdk::writeFileAtomically(options_.outDir / "redacted", file.filename().string(),
                                         bytes);
                const std::string relCopy = "redacted/" + file.filename().string();
                const std::string sha = sha256Hex(std::string_view(bytes));
                audit.append("written", id,
                             {{"source", source},
                              {"record", relCopy},
                              {"record_sha256", sha},
                              {"revision", number}});
                madeCopies[file.extension() == ".pdf" ? "pdf" : "json"] = sha;
            }
            fs::remove_all(staged.folder, ec);
        }
        sdk::writeFileAtomically(revFile.parent_path(), revFile.filename().string(), newText);
        audit.append("revised", id,
                     {{"revisions", rel},
                      {"revisions_sha256", newSha},
                      {"revision", number},
                      {"revision_sha256", sha256Hex(std::string_view(line))},
                      {"reviewer", options_.reviewer},
                      {"op", change["op"]},
                      {"entity", change["entity"]},
                      {"note", change.value("note", "")}});
        spdlog::info("review: {} revision {} ({} entity {}) by {}", id.substr(0, 12), number,
                     change["op"].get<std::string>(), change["entity"].dump(), options_.reviewer);
        return {{"revision", number}, {"entity", change["entity"]}, {"redacted", madeCopies}};
    }

    ReviewOptions options_;
    httplib::Server server_;
    int port_ = -1;
    RedactedCopies copies_;
    std::mutex writeMu_;
    mutable std::mutex cacheMu_;
    std::map<std::string, std::pair<std::string, json>> summaries_;
    std::map<std::string, std::pair<std::string, std::string>> pngs_;
};

ReviewServer::ReviewServer(const PluginHost& host, ReviewOptions options)
    : impl_(std::make_unique<Impl>(host, std::move(options))) {
}
ReviewServer::~ReviewServer() = default;
int ReviewServer::bind() {
    return impl_->bind();
}
std::string ReviewServer::url() const {
    return impl_->url();
}
void ReviewServer::run() {
    impl_->run();
}
void ReviewServer::stop() {
    impl_->stop();
}

}  // namespace saksi::review
