#include "audit_log.hpp"

#include "hashing.hpp"
#include "intake.hpp"
#include "ledger.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace saksi {
namespace {

std::string utcNowMillis() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
    return out;
}

std::string hostName() {
    char buf[256] = "";
    if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
    return buf;
}

std::string readFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Lines of `text` without their newlines; a last line without one is kept.
std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        if (end == std::string::npos) {
            lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

bool finished(const std::string& status) {
    return status == "ok" || status == "partial" || status == "failed";
}

// Every row the ledger has as finished has its record (or failure record).
void checkFinishedRecords(const std::filesystem::path& outDir, const std::vector<LedgerEntry>& rows,
                          VerifyReport& report) {
    std::size_t unfinished = 0;
    for (const LedgerEntry& e : rows) {
        if (!finished(e.status)) {
            ++unfinished;
            continue;
        }
        // No sink wrote one: the ledger says so itself.
        if (e.errorCodes.find("\"output.missing\"") != std::string::npos) continue;
        const std::string rel =
            std::string(e.status == "failed" ? "failed/" : "records/") + e.id + ".json";
        std::error_code ec;
        if (!std::filesystem::is_regular_file(outDir / rel, ec))
            report.broken.push_back(
                {rel, 0,
                 "missing: the ledger has " + escapedBytes(e.sourcePath) + " as " + e.status});
    }
    if (unfinished)
        report.notes.push_back(std::to_string(unfinished) +
                               " documents in the ledger not finished yet (queued or running)");
}

// A document's latest "processed" line: its status, and the redacted
// copies written after it (which must all still be there). `where` is empty
// when no such line was seen.
struct Processed {
    std::string time, status, where;
    std::set<std::string> redacted;
};

// The ledger and the audit log tell one story: each document processed has
// its row with the status of its last "processed" line, and each finished
// row was processed.
void checkLedgerAgainstAudit(const std::string& ledgerName, const std::vector<LedgerEntry>& rows,
                             const std::map<std::string, Processed>& processed,
                             VerifyReport& report) {
    std::map<std::string, const LedgerEntry*> byId;
    for (const LedgerEntry& e : rows) byId[e.id] = &e;
    const auto documents = std::count_if(processed.begin(), processed.end(),
                                         [](const auto& p) { return !p.second.where.empty(); });
    if (rows.empty() && documents > 0) {
        report.broken.push_back({ledgerName, 0,
                                 "empty: no document rows, but the audit log has " +
                                     std::to_string(documents) + " documents processed"});
        return;
    }
    for (const auto& [id, p] : processed) {
        if (p.where.empty()) continue;
        const auto row = byId.find(id);
        if (row == byId.end())
            report.broken.push_back(
                {ledgerName, 0, "no row for document " + id + ", which " + p.where + " processed"});
        else if (finished(row->second->status) && row->second->status != p.status)
            report.broken.push_back({ledgerName, 0,
                                     "document " + id + " is " + row->second->status +
                                         " here but " + p.status + " in " + p.where});
    }
    for (const LedgerEntry& e : rows) {
        const auto p = processed.find(e.id);
        if (finished(e.status) && (p == processed.end() || p->second.where.empty()))
            report.broken.push_back({ledgerName, 0,
                                     "document " + e.id + " (" + escapedBytes(e.sourcePath) +
                                         ") is " + e.status +
                                         " here, but no audit log line processed it"});
    }
}

}  // namespace

AuditLog::AuditLog(const std::filesystem::path& file) : path_(file.string()), prev_(kAuditGenesis) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd_ < 0)
        throw std::runtime_error("cannot open audit log " + path_ + ": " + std::strerror(errno));
    const std::string text = readFile(file);
    const auto lines = splitLines(text);
    if (!lines.empty()) prev_ = sha256Hex(std::string_view(lines.back()));
    // A line torn by a power cut is closed so the next one starts cleanly;
    // verify reports the torn line itself.
    if (!text.empty() && text.back() != '\n' && ::write(fd_, "\n", 1) != 1) {
        ::close(fd_);
        throw std::runtime_error("cannot write audit log " + path_ + ": " + std::strerror(errno));
    }
    actor_ = {{"saksi_version", SAKSI_VERSION}, {"host", hostName()}};
}

AuditLog::~AuditLog() {
    if (fd_ >= 0) ::close(fd_);
}

void AuditLog::append(const std::string& action, const std::string& documentId,
                      const nlohmann::json& details) {
    std::lock_guard lock(mu_);
    const nlohmann::json entry = {{"action", action},   {"time", utcNowMillis()},
                                  {"actor", actor_},    {"document", documentId},
                                  {"details", details}, {"prev", prev_}};
    const std::string line = entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const std::string bytes = line + "\n";
    // One write() per line: with O_APPEND the line lands whole at the end.
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            throw std::runtime_error("cannot append to audit log " + path_ + ": " +
                                     std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
    // Per line, not per batch: a line describes a record already fsynced, so
    // it must not be lost when the record survives. A document costs a few
    // lines against seconds of OCR; the fdatasync is noise.
    if (::fdatasync(fd_) != 0)
        throw std::runtime_error("cannot sync audit log " + path_ + ": " + std::strerror(errno));
    prev_ = sha256Hex(std::string_view(line));
}

VerifyReport verifyOutput(const std::filesystem::path& outDir, Ledger* sharedLedger) {
    namespace fs = std::filesystem;
    VerifyReport report;
    // Everything verify reads lies inside OUT: a link there could make a
    // tampered copy elsewhere pass for the output, so it is refused.
    std::set<std::string> links;
    for (const char* name :
         {"records", "failed", "redacted", "audit", "audit.jsonl", "ledger.sqlite"}) {
        std::error_code ec;
        if (fs::is_symlink(fs::symlink_status(outDir / name, ec))) {
            links.insert(name);
            report.broken.push_back(
                {name, 0,
                 "a symbolic link: refused, not followed (outputs must be inside the "
                 "output folder)"});
        }
    }
    // The chains: OUT/audit.jsonl (`process`), and one per distributed
    // worker in OUT/audit/ (`saksi worker`).
    std::vector<fs::path> chains;
    if (!links.count("audit.jsonl") && fs::is_regular_file(outDir / "audit.jsonl"))
        chains.push_back(outDir / "audit.jsonl");
    if (!links.count("audit")) {
        std::error_code ec;
        std::vector<fs::path> workers;
        for (auto it = fs::directory_iterator(outDir / "audit", ec);
             !ec && it != fs::directory_iterator(); it.increment(ec)) {
            if (it->path().extension() != ".jsonl") continue;
            if (it->is_symlink(ec))
                report.broken.push_back({it->path().lexically_relative(outDir).string(), 0,
                                         "a symbolic link: refused, not followed"});
            else if (it->is_regular_file(ec))
                workers.push_back(it->path());
        }
        std::sort(workers.begin(), workers.end());
        chains.insert(chains.end(), workers.begin(), workers.end());
    }
    if (chains.empty() && !links.empty()) return report;
    if (chains.empty())
        throw std::runtime_error("no audit log at " + (outDir / "audit.jsonl").string() +
                                 " or in " + (outDir / "audit").string() +
                                 "; is this a saksi output folder?");

    // 1. Each chain, and the hashes the logs hold for each output file: the
    // last one of a single chain; with several workers' chains, any of them
    // (two workers may both have written a reclaimed document's record).
    struct Written {
        std::vector<std::string> sha256;
        std::string where;  // "<chain>" line N of the last one
    };
    struct LastOutput {
        std::string time, path, where;
    };
    std::map<std::string, Written> written;        // output path (relative) -> hashes
    std::map<std::string, LastOutput> lastOutput;  // document id -> its latest record
    // A watched folder's originals move once recorded: (document, source) -> to.
    std::map<std::pair<std::string, std::string>, std::string> movedTo;
    std::map<std::string, Processed> processed;  // by document id
    for (const fs::path& chain : chains) {
        const std::string chainName = chain.lexically_relative(outDir).string();
        const std::string text = readFile(chain);
        const auto lines = splitLines(text);
        report.auditLines += lines.size();
        std::string expected = kAuditGenesis;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const std::size_t number = i + 1;
            const std::string& line = lines[i];
            const std::string thisHash = sha256Hex(std::string_view(line));
            nlohmann::json entry;
            try {
                entry = nlohmann::json::parse(line);
            } catch (const std::exception&) {
                report.broken.push_back({chainName, number, "not a JSON line"});
                expected = thisHash;
                continue;
            }
            const std::string prev = entry.contains("prev") && entry["prev"].is_string()
                                         ? entry["prev"].get<std::string>()
                                         : "(missing)";
            if (prev != expected)
                report.broken.push_back(
                    {chainName, number,
                     "chain broken: prev should be " + expected + " (the SHA-256 of " +
                         (number == 1 ? std::string("nothing: first line")
                                      : "line " + std::to_string(number - 1)) +
                         "), found " + prev +
                         "; a line before it was removed, changed or inserted"});
            expected = thisHash;
            const std::string action = entry.value("action", "");
            const std::string document = entry.contains("document") && entry["document"].is_string()
                                             ? entry["document"].get<std::string>()
                                             : "";
            const std::string time = entry.contains("time") && entry["time"].is_string()
                                         ? entry["time"].get<std::string>()
                                         : "";
            const auto* details = entry.contains("details") && entry["details"].is_object()
                                      ? &entry["details"]
                                      : nullptr;
            if (action == "processed" && details) {
                Processed& p = processed[document];
                if (time >= p.time)
                    p = {time,
                         details->contains("status") && (*details)["status"].is_string()
                             ? (*details)["status"].get<std::string>()
                             : "",
                         chainName + " line " + std::to_string(number),
                         {}};
            }
            if (action == "written" && details && details->contains("record") &&
                (*details)["record"].is_string()) {
                const std::string path = (*details)["record"].get<std::string>();
                Processed& p = processed[document];
                if (path.starts_with("redacted/") && time >= p.time) p.redacted.insert(path);
            }
            if (action == "moved" && entry.contains("details") && entry["details"].is_object()) {
                const auto& d = entry["details"];
                if (d.contains("source") && d["source"].is_string() && d.contains("to") &&
                    d["to"].is_string())
                    movedTo[{entry.value("document", ""), d["source"].get<std::string>()}] =
                        d["to"].get<std::string>();
            }
            if ((action == "written" || action == "failed") && entry.contains("details") &&
                entry["details"].contains("record") && entry["details"].contains("record_sha256")) {
                const std::string path = entry["details"]["record"].get<std::string>();
                Written& w = written[path];
                if (chains.size() == 1) w.sha256.clear();
                w.sha256.push_back(entry["details"]["record_sha256"].get<std::string>());
                w.where = chainName + " line " + std::to_string(number);
                if (!path.starts_with("redacted/")) {
                    LastOutput& last = lastOutput[document];
                    if (time >= last.time) last = {time, path, w.where};
                }
            }
        }
        if (!text.empty() && text.back() != '\n')
            report.broken.push_back({chainName, lines.size(), "last line is incomplete"});
    }

    // 2. Every output file present against the log.
    for (const char* sub : {"records", "failed", "redacted"}) {
        const fs::path dir = outDir / sub;
        std::error_code ec;
        if (links.count(sub) || !fs::is_directory(dir, ec)) continue;
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(dir, ec)) {
            if (e.path().filename().string()[0] == '.') continue;
            if (e.is_symlink(ec))
                report.broken.push_back({std::string(sub) + "/" + e.path().filename().string(), 0,
                                         "a symbolic link: refused, not followed"});
            else if (e.is_regular_file(ec))
                files.push_back(e.path());
        }
        std::sort(files.begin(), files.end());
        for (const fs::path& file : files) {
            const std::string rel = std::string(sub) + "/" + file.filename().string();
            ++report.outputsChecked;
            const std::string found = fileSha256(file);
            const auto it = written.find(rel);
            if (it == written.end()) {
                report.broken.push_back(
                    {rel, 0, "not in the audit log: no \"written\" or \"failed\" line names it"});
            } else if (std::find(it->second.sha256.begin(), it->second.sha256.end(), found) ==
                       it->second.sha256.end()) {
                report.broken.push_back({rel, 0,
                                         "content changed: SHA-256 should be " +
                                             it->second.sha256.back() + " (" + it->second.where +
                                             "), found " + found});
            }
        }
    }
    // ...and every document's last record still there.
    for (const auto& [id, last] : lastOutput) {
        std::error_code ec;
        if (!fs::exists(outDir / last.path, ec))
            report.broken.push_back(
                {last.path, 0, "missing: " + last.where + " says it was written"});
    }

    // ...and each one's redacted copies, written after its last "processed"
    // line, still there; a failed document keeps none.
    for (const auto& [id, p] : processed) {
        for (const std::string& path : p.redacted) {
            std::error_code ec;
            if (p.status != "failed" && !fs::exists(outDir / path, ec))
                report.broken.push_back({path, 0,
                                         "missing: the audit log says it was written after " +
                                             p.where + " processed the document"});
        }
        if (p.status != "failed") continue;
        for (const char* ext : {".json", ".pdf"}) {
            const std::string path = "redacted/" + id + ext;
            std::error_code ec;
            if (fs::exists(outDir / path, ec))
                report.broken.push_back({path, 0,
                                         "a redacted copy of a document whose last outcome is "
                                         "failed (" +
                                             p.where + ")"});
        }
    }

    // 3. The ledger against the audit log, then the originals still
    // reachable against the ledger.
    const fs::path ledgerFile = outDir / "ledger.sqlite";
    std::error_code ledgerEc;
    if (!sharedLedger && links.count("ledger.sqlite")) return report;
    if (sharedLedger || fs::exists(ledgerFile, ledgerEc)) {
        const std::string ledgerName = sharedLedger ? "ledger" : "ledger.sqlite";
        std::vector<LedgerEntry> entries;
        try {
            entries = sharedLedger ? sharedLedger->entries()
                                   : openSqliteLedgerToRead(ledgerFile)->entries();
        } catch (const std::exception& e) {
            report.broken.push_back({ledgerName, 0, e.what()});
            return report;
        }
        checkFinishedRecords(outDir, entries, report);
        checkLedgerAgainstAudit(ledgerName, entries, processed, report);
        // What to re-hash: a file's own bytes, or for an archive member the
        // outermost archive (its SHA-256 in the first link of the chain),
        // once per archive however many members it had.
        struct Original {
            std::string path, sha256, id;
        };
        std::vector<Original> originals;
        std::set<std::pair<std::string, std::string>> seen;
        for (const LedgerEntry& e : entries) {
            Original o{e.sourcePath, e.sha256, e.id};
            // A watched folder moved it once recorded.
            if (const auto moved = movedTo.find({e.id, escapedBytes(e.sourcePath)});
                moved != movedTo.end())
                o.path = moved->second;
            const auto chain = nlohmann::json::parse(e.container, nullptr, false);
            if (chain.is_array() && !chain.empty()) {
                const auto& first = chain.front();
                o.sha256 =
                    first.is_object() && first.contains("sha256") && first["sha256"].is_string()
                        ? first["sha256"].get<std::string>()
                        : "";
                o.id = "archive " + o.sha256;
            }
            if (o.sha256.empty()) continue;  // never readable: nothing to compare
            if (seen.insert({o.path, o.sha256}).second) originals.push_back(o);
        }
        // A path re-used for another document (its own ledger row) is a
        // replaced original, not a changed one.
        std::map<std::string, std::vector<std::string>> hashesAtPath;
        for (const Original& o : originals) hashesAtPath[o.path].push_back(o.sha256);
        for (const Original& o : originals) {
            std::error_code ec;
            if (!fs::is_regular_file(o.path, ec)) {
                report.notes.push_back("original not reachable: " + escapedBytes(o.path) + " (" +
                                       o.id + ")");
                continue;
            }
            ++report.originalsChecked;
            std::string found;
            try {
                found = fileSha256(o.path);
            } catch (const std::exception&) {
                report.notes.push_back("original not readable: " + escapedBytes(o.path));
                continue;
            }
            const auto& known = hashesAtPath[o.path];
            if (found != o.sha256 && std::find(known.begin(), known.end(), found) != known.end())
                report.notes.push_back("original not reachable: " + escapedBytes(o.path) +
                                       " now holds another document (" + found + ")");
            else if (found != o.sha256)
                report.broken.push_back({escapedBytes(o.path), 0,
                                         "original changed: SHA-256 should be " + o.sha256 + " (" +
                                             ledgerName + "), found " + found});
        }
    } else {
        report.broken.push_back({"ledger.sqlite", 0, "missing"});
    }
    return report;
}

}  // namespace saksi
