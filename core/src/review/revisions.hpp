// A reviewer's corrections to a record, kept under custody: the record in
// OUT/records/<id>.json is never edited; each correction is one line of
// OUT/revisions/<id>.jsonl (append-only, each line holding the SHA-256 of the
// line before it), and the effective record is the original with its
// revisions applied in order.
//
// A revision line: {"schema": "saksi.revision/1", "document", "number"
// (1-based), "time", "reviewer", "op" ("add" | "reject" | "edit" |
// "confirm"), "entity" (the index in the effective entities[]; for "add" the
// new one's), the op's fields, "note", "record_sha256" (the record it
// corrects), "prev"}.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace saksi {
struct VerifyIssue;
}

namespace saksi::review {

inline constexpr const char* kRevisionSchema = "saksi.revision/1";

// A correction the API refuses: a 4xx answer with this reason.
class InvalidCorrection : public std::runtime_error {
public:
    InvalidCorrection(int status, const std::string& reason)
        : std::runtime_error(reason), status_(status) {}
    int status() const { return status_; }

private:
    int status_;
};

// OUT/revisions/<id>.jsonl.
std::filesystem::path revisionsFile(const std::filesystem::path& outDir, const std::string& id);

// The lines of a revisions file (none when it does not exist), parsed.
// Throws std::runtime_error when a line is not JSON.
std::vector<nlohmann::json> readRevisions(const std::filesystem::path& file);

// The record with `revisions` applied: added entities appended, and each
// entity a revision touched given "review": {"status" ("added" |
// "confirmed" | "edited" | "rejected"), "revisions": [numbers], "reviewer"};
// provenance.review says how many revisions and their file's SHA-256.
nlohmann::json effectiveRecord(const nlohmann::json& original,
                               const std::vector<nlohmann::json>& revisions,
                               const std::string& revisionsSha256);

// What the redaction policy sees: the effective record without the
// entities a reviewer rejected.
nlohmann::json recordForRedaction(const nlohmann::json& effective);

// Checks a correction request (the API's JSON body) against the effective
// record and returns the revision's op fields ("op", "entity", and for an
// add: its type, text, normalized, page, span, bbox, redact; "note").
// Throws InvalidCorrection (400) with the reason.
nlohmann::json checkCorrection(const nlohmann::json& request, const nlohmann::json& effective);

// A new revision line (without its newline) for `change` from checkCorrection.
std::string revisionLine(const nlohmann::json& change, const std::string& documentId,
                         std::size_t number, const std::string& reviewer,
                         const std::string& recordSha256, const std::string& prev);

// `saksi verify`: the chain inside one revisions file (numbers in order, each
// prev the SHA-256 of the line before, the document its name says). `rel` is
// its path relative to the output folder.
std::vector<VerifyIssue> checkRevisionChain(const std::filesystem::path& file,
                                            const std::string& rel);

}  // namespace saksi::review
