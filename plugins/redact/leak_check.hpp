// leak_check.hpp -- proves a document's redacted outputs hide every redacted
// value: searches the redacted JSON, the redacted PDF's text and decompressed
// bytes, a re-OCR of the pixels around each redaction box, and checks that
// the boxes cover every word of every redacted entity.
#pragma once

#include <saksi/plugin_abi.h>
#include <saksi/sdk/document.hpp>

#include <cstdint>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace saksi::redact {

// A value that must not survive in the redacted outputs. Pass every form a
// reader could recognise it by: the entity's text as it stood in the page
// and its normalized value; each MRZ line as its own value.
struct SecretValue {
    std::string type;      // entity type ("phone", "person", ...) or "mrz"
    std::string value;     // UTF-8
    bool numeric = false;  // compare its digits only: "+62 812-3456-7890" == "6281234567890"
};

// What the search compares: NFKC-like compatibility folding (full-width,
// superscript and ligature forms to ASCII), case-folded, Latin diacritics
// folded to their base letter, then only [0-9a-z] kept ([0-9] when
// digitsOnly). This is evidence-metrics' norm() except that "é" becomes "e"
// where Python drops it, so a value whose accent OCR lost is still found.
// Haystacks are always folded with digitsOnly = false, so a numeric value
// matches only where its digits stand together (separators aside).
std::string normalizeForSearch(std::string_view text, bool digitsOnly = false);

// The same folding for bytes taken as Latin-1 (PDF bytes).
std::string normalizeLatin1ForSearch(std::string_view bytes);

// A page of the redacted PDF as the stage burned it in.
struct RedactedPage {
    uint32_t number = 0;           // 1-based
    sdk::ImageView image;          // the very pixels written to the PDF (borrowed)
    std::vector<saksi_box> boxes;  // redaction boxes, in image pixels
};

// A redacted entity, for the coverage check: the original page's boxes of
// every word its span overlaps (sdk::PageWords::wordRange), in the same
// pixels as RedactedPage::boxes. MRZ lines are entities of type "mrz".
struct RedactedEntity {
    std::string type;
    uint32_t page = 0;  // 1-based
    std::vector<saksi_box> words;
};

// One finding. It never carries the secret: type and place only.
struct Leak {
    std::string type;   // the secret's or entity's type; "pdf" when the PDF cannot be checked
    std::string where;  // "json" | "pdf-text" | "pdf-bytes" | "re-ocr:page N" |
                        // "coverage:page N" | "burn:page N" | "pdf"
    bool operator==(const Leak&) const = default;
};

// For test failure messages.
inline std::ostream& operator<<(std::ostream& os, const Leak& leak) {
    return os << leak.type << " in " << leak.where;
}

// Each check alone; LeakChecker::findLeaks runs them all. One Leak per
// (type, where), in a stable order.

// (a) Every string value of the redacted JSON (keys and numbers aside; the
// strings are joined, so a value split over two words is found too).
// A JSON that does not parse is a Leak {"json", "json"}.
std::vector<Leak> findJsonLeaks(std::span<const SecretValue> secrets, std::string_view json);

// (b) The text Poppler extracts from every page. A PDF Poppler cannot open
// is a Leak {"pdf", "pdf"}.
std::vector<Leak> findPdfTextLeaks(std::span<const SecretValue> secrets,
                                   std::span<const uint8_t> pdf);

// (c) The PDF's bytes with every stream replaced by its decoded data
// (FlateDecode, ASCIIHexDecode; chains of them). Image XObject streams are
// left out: their decoded bytes are pixels, where a short value can turn up
// by chance, and the re-OCR below reads those pixels instead. A non-image
// stream with a filter this cannot decode is a Leak {"pdf", "pdf-bytes"}:
// what cannot be read cannot be cleared.
std::vector<Leak> findPdfByteLeaks(std::span<const SecretValue> secrets,
                                   std::span<const uint8_t> pdf);

// (e) Every word box of every entity must lie inside the union of its page's
// redaction boxes; a word partly outside, or a page with no such number, is
// a Leak {entity type, "coverage:page N"}. Each box's pixels must be one
// flat colour (overwritten, not drawn over); otherwise {"pixels", "burn:page N"}.
std::vector<Leak> findCoverageLeaks(std::span<const RedactedEntity> entities,
                                    std::span<const RedactedPage> pages);

struct LeakCheckConfig {
    std::string languages = "ind+eng";  // Tesseract languages for the re-OCR
    std::string tessdata;               // empty: TESSDATA_PREFIX or Tesseract's default
};

// Owns one Tesseract (for the re-OCR), loaded once. Not thread-safe: one
// checker per worker thread. Needs OMP_THREAD_LIMIT=1 like the OCR stage.
class LeakChecker {
public:
    // Throws std::runtime_error when Tesseract cannot load the languages.
    explicit LeakChecker(const LeakCheckConfig& config);
    ~LeakChecker();
    LeakChecker(const LeakChecker&) = delete;
    LeakChecker& operator=(const LeakChecker&) = delete;

    // (d) Re-OCR (one block of text) of each box's surroundings: a band
    // across the page from twice the box's height (at least 16 px) above it
    // to as far below, so the rest of its line and the lines around it (where
    // a value split over two lines goes on) are read whole; overlapping bands
    // are read as one. A page with boxes whose image is
    // unusable is a Leak {"pixels", "re-ocr:page N"}.
    std::vector<Leak> findOcrLeaks(std::span<const SecretValue> secrets,
                                   std::span<const RedactedPage> pages);

    // (d) and (e) for one page, with the redacted entities of that page: a
    // long document is checked a page at a time, each page's pixels freed
    // before the next is burned in.
    struct PageLeaks {
        std::vector<Leak> ocr, coverage;
    };
    PageLeaks findPageLeaks(std::span<const SecretValue> secrets, const RedactedPage& page,
                            std::span<const RedactedEntity> entities);

    // (a) to (c) on the outputs, with (d) and (e) already found page by page
    // (`unplaced`: entities on no burned page). The same findings, in the
    // same order, as findLeaks() on all pages at once.
    static std::vector<Leak> findLeaks(std::span<const SecretValue> secrets,
                                       std::string_view redactedJson, std::span<const uint8_t> pdf,
                                       std::span<const PageLeaks> pages,
                                       std::span<const RedactedEntity> unplaced);

    // All checks, (a) to (e). Empty: the outputs may be written.
    std::vector<Leak> findLeaks(std::span<const SecretValue> secrets, std::string_view redactedJson,
                                std::span<const uint8_t> pdf, std::span<const RedactedPage> pages,
                                std::span<const RedactedEntity> entities);

private:
    struct Engine;
    std::unique_ptr<Engine> engine_;
};

// "2 leaks: phone in pdf-text, person in re-ocr:page 1" (no values).
std::string describeLeaks(std::span<const Leak> leaks);

}  // namespace saksi::redact
