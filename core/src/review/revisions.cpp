#include "review/revisions.hpp"

#include "audit_log.hpp"
#include "entity_types.hpp"
#include "hashing.hpp"
#include "utc_time.hpp"

#include <saksi/sdk/page_words.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace saksi::review {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxText = 500;    // bytes of an added entity's text
constexpr std::size_t kMaxNote = 2000;   // bytes of a note
constexpr std::size_t kMaxValue = 2000;  // bytes of a normalized value, as JSON

std::string lowerAscii(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    return lines;
}

std::string readText(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return {};
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void requireOnly(const json& request, std::initializer_list<const char*> allowed) {
    for (const auto& [key, value] : request.items()) {
        (void)value;
        if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }))
            throw InvalidCorrection(400, "unknown field '" + key + "' for op '" +
                                             request["op"].get<std::string>() + "'");
    }
}

std::size_t entityIndex(const json& request, const json& effective) {
    if (!request.contains("entity") || !request["entity"].is_number_integer())
        throw InvalidCorrection(400, "'entity' must be an entity's index (an integer)");
    const auto index = request["entity"].get<long long>();
    const std::size_t count = effective.at("entities").size();
    if (index < 0 || static_cast<std::size_t>(index) >= count)
        throw InvalidCorrection(400, "unknown entity " + std::to_string(index) +
                                         ": the document has entities 0 to " +
                                         std::to_string(count) + " (exclusive)");
    const json& e = effective["entities"][static_cast<std::size_t>(index)];
    if (e.contains("review") && e["review"].value("status", "") == "rejected")
        throw InvalidCorrection(400, "entity " + std::to_string(index) + " was rejected");
    return static_cast<std::size_t>(index);
}

// Where `text` first stands in page `page`'s text: exactly, else ignoring
// ASCII case. Throws when it is not there (nothing to point at or burn in).
std::pair<std::size_t, std::size_t> findInPage(const json& page, const std::string& text,
                                               uint32_t number) {
    const std::string pageText = page.value("text", "");
    std::size_t at = pageText.find(text);
    if (at == std::string::npos) at = lowerAscii(pageText).find(lowerAscii(text));
    if (at == std::string::npos)
        throw InvalidCorrection(
            400, "'" + text + "' is not in the text of page " + std::to_string(number));
    return {at, at + text.size()};
}

void touch(json& entity, const std::string& status, const json& revision) {
    json& review = entity["review"];
    if (!review.is_object()) review = json::object();
    review["status"] = status;
    review["reviewer"] = revision.value("reviewer", "");
    if (!review.contains("revisions")) review["revisions"] = json::array();
    review["revisions"].push_back(revision.value("number", 0));
}

}  // namespace

std::filesystem::path revisionsFile(const std::filesystem::path& outDir, const std::string& id) {
    return outDir / "revisions" / (id + ".jsonl");
}

std::vector<json> readRevisions(const std::filesystem::path& file) {
    std::vector<json> out;
    for (const std::string& line : splitLines(readText(file))) {
        json r = json::parse(line, nullptr, false);
        if (r.is_discarded() || !r.is_object())
            throw std::runtime_error(file.string() + ": a line is not a JSON object");
        out.push_back(std::move(r));
    }
    return out;
}

json effectiveRecord(const json& original, const std::vector<json>& revisions,
                     const std::string& revisionsSha256) {
    json record = original;
    json& entities = record["entities"];
    for (const json& r : revisions) {
        const std::string op = r.value("op", "");
        const std::size_t index = r.value("entity", std::size_t{0});
        if (op == "add") {
            json e = {{"type", r.at("type")},
                      {"text", r.at("text")},
                      {"normalized", r.value("normalized", json())},
                      {"page", r.at("page")},
                      {"bbox", r.at("bbox")},
                      {"span", r.at("span")},
                      {"confidence", 1.0},
                      {"detector", "saksi.review@" SAKSI_VERSION},
                      {"sensitive", true}};
            if (r.contains("redact")) e["redact"] = r["redact"];
            touch(e, "added", r);
            entities.push_back(std::move(e));
            continue;
        }
        if (index >= entities.size()) continue;  // verify reports a bad chain
        json& e = entities[index];
        if (op == "reject") {
            touch(e, "rejected", r);
        } else if (op == "confirm") {
            touch(e, "confirmed", r);
        } else if (op == "edit") {
            if (r.contains("normalized")) e["normalized"] = r["normalized"];
            if (r.contains("redact")) e["redact"] = r["redact"];
            touch(e, "edited", r);
        }
    }
    if (!revisions.empty())
        record["provenance"]["review"] = {{"revisions", revisions.size()},
                                          {"revisions_sha256", revisionsSha256}};
    return record;
}

json recordForRedaction(const json& effective) {
    json record = effective;
    json kept = json::array();
    for (const json& e : record["entities"])
        if (!(e.contains("review") && e["review"].value("status", "") == "rejected"))
            kept.push_back(e);
    record["entities"] = std::move(kept);
    return record;
}

json checkCorrection(const json& request, const json& effective) {
    if (!request.is_object()) throw InvalidCorrection(400, "the body must be a JSON object");
    if (!request.contains("op") || !request["op"].is_string())
        throw InvalidCorrection(400, "'op' must be \"add\", \"reject\", \"edit\" or \"confirm\"");
    const std::string op = request["op"].get<std::string>();
    json change = {{"op", op}};
    if (request.contains("note")) {
        if (!request["note"].is_string() || request["note"].get<std::string>().size() > kMaxNote)
            throw InvalidCorrection(
                400, "'note' must be a string of at most " + std::to_string(kMaxNote) + " bytes");
        change["note"] = request["note"];
    }
    auto checkRedact = [&] {
        if (!request.contains("redact")) return;
        if (!request["redact"].is_boolean())
            throw InvalidCorrection(400, "'redact' must be true or false");
        change["redact"] = request["redact"];
    };
    auto checkNormalized = [&] {
        if (!request.contains("normalized")) return;
        if (request["normalized"].dump().size() > kMaxValue)
            throw InvalidCorrection(
                400, "'normalized' is longer than " + std::to_string(kMaxValue) + " bytes");
        change["normalized"] = request["normalized"];
    };
    if (op == "add") {
        requireOnly(request, {"op", "type", "text", "page", "redact", "normalized", "note"});
        if (!request.contains("type") || !request["type"].is_string() ||
            !entityTypes().contains(request["type"].get<std::string>()))
            throw InvalidCorrection(400,
                                    "'type' must be an entity type (person, organization, "
                                    "location, passport_number, national_id, phone, email, "
                                    "bank_account, money, date, url)");
        if (!request.contains("text") || !request["text"].is_string())
            throw InvalidCorrection(400,
                                    "'text' must be the entity's text as it stands on the page");
        const std::string text = request["text"].get<std::string>();
        if (text.find_first_not_of(" \t\r\n") == std::string::npos || text.size() > kMaxText)
            throw InvalidCorrection(
                400, "'text' must be 1 to " + std::to_string(kMaxText) + " bytes, not only spaces");
        const json& pages = effective.at("pages");
        if (!request.contains("page") || !request["page"].is_number_integer() ||
            request["page"].get<long long>() < 1 ||
            request["page"].get<long long>() > static_cast<long long>(pages.size()))
            throw InvalidCorrection(
                400, "'page' must be a page number from 1 to " + std::to_string(pages.size()));
        const auto number = request["page"].get<uint32_t>();
        const json& page = pages[number - 1];
        const auto [begin, end] = findInPage(page, text, number);
        const saksi_box box = sdk::PageWords::fromJson(page).boxOf(begin, end);
        const std::string pageText = page.value("text", "");
        change["type"] = request["type"];
        change["text"] = pageText.substr(begin, end - begin);
        change["normalized"] = change["text"];
        checkNormalized();
        change["page"] = number;
        change["span"] = {begin, end};
        change["bbox"] = {box.x0, box.y0, box.x1, box.y1};
        checkRedact();
        change["entity"] = effective["entities"].size();
    } else if (op == "reject" || op == "confirm") {
        requireOnly(request, {"op", "entity", "note"});
        change["entity"] = entityIndex(request, effective);
    } else if (op == "edit") {
        requireOnly(request, {"op", "entity", "normalized", "redact", "note"});
        change["entity"] = entityIndex(request, effective);
        if (!request.contains("normalized") && !request.contains("redact"))
            throw InvalidCorrection(400, "an edit sets 'normalized', 'redact' or both");
        checkNormalized();
        checkRedact();
    } else {
        throw InvalidCorrection(
            400, "unknown op '" + op + "': use \"add\", \"reject\", \"edit\" or \"confirm\"");
    }
    return change;
}

std::string revisionLine(const json& change, const std::string& documentId, std::size_t number,
                         const std::string& reviewer, const std::string& recordSha256,
                         const std::string& prev) {
    json line = {{"schema", kRevisionSchema},
                 {"document", documentId},
                 {"number", number},
                 {"time", utcNow()},
                 {"reviewer", reviewer}};
    for (const auto& [key, value] : change.items()) line[key] = value;
    line["record_sha256"] = recordSha256;
    line["prev"] = prev;
    return line.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<VerifyIssue> checkRevisionChain(const std::filesystem::path& file,
                                            const std::string& rel) {
    std::vector<VerifyIssue> issues;
    const std::string text = readText(file);
    const std::string id = file.stem().string();
    std::string expected = kAuditGenesis;
    std::size_t lineNumber = 0;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        ++lineNumber;
        const json r = json::parse(line, nullptr, false);
        if (r.is_discarded() || !r.is_object()) {
            issues.push_back({rel, lineNumber, "not a JSON line"});
        } else {
            if (r.value("prev", "") != expected)
                issues.push_back({rel, lineNumber,
                                  "chain broken: prev should be " + expected + ", found " +
                                      r.value("prev", "(missing)") +
                                      "; a revision before it was removed, changed or inserted"});
            if (r.value("number", std::size_t{0}) != lineNumber)
                issues.push_back(
                    {rel, lineNumber, "revision number should be " + std::to_string(lineNumber)});
            if (r.value("document", "") != id)
                issues.push_back({rel, lineNumber, "revision of another document"});
        }
        expected = sha256Hex(std::string_view(line));
    }
    return issues;
}

}  // namespace saksi::review
