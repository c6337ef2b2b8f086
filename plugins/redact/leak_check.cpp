#include "leak_check.hpp"

#include "tesseract_engine.hpp"

#include <poppler-document.h>
#include <poppler-page.h>
#include <zlib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <utility>

namespace saksi::redact {
namespace {

struct FoldRow {
    char32_t first, last;
    const char* folded;
};

constexpr FoldRow kFoldRows[] = {
#include "search_fold.inc"
};

// Appends what code point `c` folds to (see normalizeForSearch).
void appendFolded(std::string& out, char32_t c, bool digitsOnly) {
    if (c < 0x80) {
        if (c >= '0' && c <= '9') {
            out += static_cast<char>(c);
        } else if (!digitsOnly) {
            if (c >= 'a' && c <= 'z') out += static_cast<char>(c);
            if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
        }
        return;
    }
    const auto* row = std::upper_bound(std::begin(kFoldRows), std::end(kFoldRows), c,
                                       [](char32_t v, const FoldRow& r) { return v < r.first; });
    if (row == std::begin(kFoldRows)) return;
    --row;
    if (c > row->last) return;
    std::string folded = row->first == row->last
                             ? std::string(row->folded)
                             : std::string(1, static_cast<char>(row->folded[0] + (c - row->first)));
    for (char f : folded)
        if (!digitsOnly || (f >= '0' && f <= '9')) out += f;
}

// The next code point of UTF-8 `s` at `i`; malformed bytes yield U+FFFD.
char32_t nextCodePoint(std::string_view s, std::size_t& i) {
    const auto b0 = static_cast<unsigned char>(s[i++]);
    if (b0 < 0x80) return b0;
    int extra = b0 >= 0xF0 ? 3 : b0 >= 0xE0 ? 2 : b0 >= 0xC0 ? 1 : -1;
    if (extra < 0 || b0 > 0xF4) return 0xFFFD;
    char32_t c = b0 & (0x3F >> extra);
    for (; extra > 0; --extra) {
        if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return 0xFFFD;
        c = (c << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
    }
    return c;
}

struct Needle {
    const SecretValue* secret;
    std::string folded;
};

std::vector<Needle> needlesOf(std::span<const SecretValue> secrets) {
    std::vector<Needle> needles;
    for (const auto& s : secrets) {
        std::string folded = normalizeForSearch(s.value, s.numeric);
        if (!folded.empty()) needles.push_back({&s, std::move(folded)});
    }
    return needles;
}

// Adds a Leak {type, where} for every needle in the folded haystack.
void search(const std::vector<Needle>& needles, const std::string& foldedHaystack,
            const std::string& where, std::vector<Leak>& leaks) {
    for (const auto& n : needles)
        if (foldedHaystack.find(n.folded) != std::string::npos)
            leaks.push_back({n.secret->type, where});
}

// One Leak per (type, where), in first-found order.
std::vector<Leak> unique(std::vector<Leak> leaks) {
    std::vector<Leak> out;
    for (auto& leak : leaks)
        if (std::find(out.begin(), out.end(), leak) == out.end()) out.push_back(std::move(leak));
    return out;
}

void collectStrings(const nlohmann::json& value, std::string& out) {
    if (value.is_string()) {
        out += value.get_ref<const std::string&>();
        out += '\n';
    } else if (value.is_structured()) {
        for (const auto& item : value) collectStrings(item, out);
    }
}

// ---- PDF streams -----------------------------------------------------------

bool isPdfWhite(unsigned char c) {
    return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}
bool isPdfDelimiter(unsigned char c) {
    return std::strchr("()<>[]{}/%", c) != nullptr && c != 0;
}

// The end of the dictionary that starts at `at` ("<<"), past its ">>";
// npos when it does not close. Skips strings, hex strings and comments.
std::size_t dictionaryEnd(std::string_view pdf, std::size_t at) {
    int depth = 0;
    std::size_t i = at;
    while (i < pdf.size()) {
        const char c = pdf[i];
        if (c == '<' && i + 1 < pdf.size() && pdf[i + 1] == '<') {
            ++depth;
            i += 2;
        } else if (c == '>' && i + 1 < pdf.size() && pdf[i + 1] == '>') {
            i += 2;
            if (--depth == 0) return i;
        } else if (c == '<') {
            const std::size_t close = pdf.find('>', i);
            if (close == std::string_view::npos) return close;
            i = close + 1;
        } else if (c == '(') {
            int parens = 0;
            for (; i < pdf.size(); ++i) {
                if (pdf[i] == '\\') {
                    ++i;
                } else if (pdf[i] == '(') {
                    ++parens;
                } else if (pdf[i] == ')' && --parens == 0) {
                    break;
                }
            }
            ++i;
        } else if (c == '%') {
            while (i < pdf.size() && pdf[i] != '\n' && pdf[i] != '\r') ++i;
        } else {
            ++i;
        }
    }
    return std::string_view::npos;
}

// The names after /Key in a dictionary's text: "/Filter [/A /B]" -> {"A", "B"}.
std::vector<std::string> namesOf(std::string_view dict, std::string_view key) {
    std::vector<std::string> names;
    std::size_t at = 0;
    while ((at = dict.find(key, at)) != std::string_view::npos) {
        at += key.size();
        // "/Filter" must not match "/FilterX".
        if (at < dict.size() && !isPdfWhite(dict[at]) && !isPdfDelimiter(dict[at])) continue;
        while (at < dict.size() && isPdfWhite(dict[at])) ++at;
        const bool array = at < dict.size() && dict[at] == '[';
        const std::size_t end = array ? dict.find(']', at) : dict.size();
        if (array) ++at;
        while (at < end && at < dict.size()) {
            while (at < end && isPdfWhite(dict[at])) ++at;
            if (at >= end || dict[at] != '/') break;
            std::size_t nameEnd = at + 1;
            while (nameEnd < dict.size() && !isPdfWhite(dict[nameEnd]) &&
                   !isPdfDelimiter(dict[nameEnd]))
                ++nameEnd;
            names.emplace_back(dict.substr(at + 1, nameEnd - at - 1));
            at = nameEnd;
            if (!array) break;
        }
        break;
    }
    return names;
}

// A direct /Length value; nullopt when absent or indirect ("12 0 R").
std::optional<std::size_t> directLength(std::string_view dict) {
    static const std::regex lengthRe(R"(/Length[\s]+([0-9]+)(?![\s]+[0-9]+[\s]+R))");
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(dict.begin(), dict.end(), m, lengthRe)) return std::nullopt;
    try {
        return static_cast<std::size_t>(std::stoull(m[1].str()));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<std::string> inflate(std::string_view data) {
    z_stream zs{};
    if (inflateInit(&zs) != Z_OK) return std::nullopt;
    std::string out;
    char buffer[1 << 15];
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(std::min<std::size_t>(data.size(), UINT32_MAX));
    int rc = Z_OK;
    while (rc == Z_OK) {
        zs.next_out = reinterpret_cast<Bytef*>(buffer);
        zs.avail_out = sizeof buffer;
        rc = ::inflate(&zs, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - zs.avail_out);
        // No progress and no end: truncated data, which PDF writers produce;
        // what came out is still searched.
        if (rc == Z_BUF_ERROR) break;
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END && rc != Z_BUF_ERROR) return std::nullopt;
    return out;
}

std::optional<std::string> asciiHexDecode(std::string_view data) {
    std::string out;
    int high = -1;
    for (char c : data) {
        if (c == '>') break;
        int v;
        if (c >= '0' && c <= '9') {
            v = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            v = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            v = c - 'A' + 10;
        } else if (isPdfWhite(static_cast<unsigned char>(c))) {
            continue;
        } else {
            return std::nullopt;
        }
        if (high < 0) {
            high = v;
        } else {
            out += static_cast<char>(high * 16 + v);
            high = -1;
        }
    }
    if (high >= 0) out += static_cast<char>(high * 16);
    return out;
}

// The PDF's bytes, each stream replaced by its decoded data (image streams
// dropped); false in `complete` when a non-image stream could not be decoded.
std::string decodedPdfBytes(std::string_view pdf, bool& complete) {
    complete = true;
    std::string out;
    out.reserve(pdf.size());
    std::size_t copied = 0;
    std::size_t at = 0;
    while ((at = pdf.find("stream", at)) != std::string_view::npos) {
        // The keyword alone, after a dictionary: "... >> stream\r\n".
        std::size_t back = at;
        while (back > 0 && isPdfWhite(static_cast<unsigned char>(pdf[back - 1]))) --back;
        const bool afterDict = back >= 2 && pdf.substr(back - 2, 2) == ">>";
        if (!afterDict || (at > 0 && pdf[at - 1] == 'd')) {  // "endstream"
            at += 6;
            continue;
        }
        // Find the dictionary's start: the "<<" whose dictionary ends at `back`.
        std::size_t dictStart = std::string_view::npos;
        for (std::size_t open = pdf.rfind("<<", back - 2); open != std::string_view::npos;
             open = open == 0 ? std::string_view::npos : pdf.rfind("<<", open - 1)) {
            if (dictionaryEnd(pdf, open) == back) {
                dictStart = open;
                break;
            }
            if (back - open > 65536) break;
        }
        std::size_t dataStart = at + 6;
        if (dataStart < pdf.size() && pdf[dataStart] == '\r') ++dataStart;
        if (dataStart < pdf.size() && pdf[dataStart] == '\n') ++dataStart;
        const std::string_view dict = dictStart == std::string_view::npos
                                          ? std::string_view()
                                          : pdf.substr(dictStart, back - dictStart);
        std::size_t dataEnd = std::string_view::npos;
        if (auto length = directLength(dict); length && dataStart + *length <= pdf.size()) {
            std::size_t after = dataStart + *length;
            while (after < pdf.size() && isPdfWhite(static_cast<unsigned char>(pdf[after])))
                ++after;
            if (pdf.substr(after, 9) == "endstream") dataEnd = dataStart + *length;
        }
        if (dataEnd == std::string_view::npos) {
            dataEnd = pdf.find("endstream", dataStart);
            if (dataEnd == std::string_view::npos) dataEnd = pdf.size();
        }
        out.append(pdf.substr(copied, dataStart - copied));
        std::string_view data = pdf.substr(dataStart, dataEnd - dataStart);

        const auto subtype = namesOf(dict, "/Subtype");
        const bool image = !subtype.empty() && subtype.front() == "Image";
        if (!image) {
            std::string decoded(data);
            for (const auto& filter : namesOf(dict, "/Filter")) {
                std::optional<std::string> next;
                if (filter == "FlateDecode" || filter == "Fl") next = inflate(decoded);
                if (filter == "ASCIIHexDecode" || filter == "AHx") next = asciiHexDecode(decoded);
                if (!next) {
                    complete = false;
                    break;
                }
                decoded = std::move(*next);
            }
            out += decoded;
        }
        copied = dataEnd;
        at = dataEnd;
    }
    out.append(pdf.substr(copied));
    return out;
}

// ---- boxes -----------------------------------------------------------------

saksi_box clip(saksi_box b, int32_t width, int32_t height) {
    return {std::clamp(b.x0, 0, width), std::clamp(b.y0, 0, height), std::clamp(b.x1, 0, width),
            std::clamp(b.y1, 0, height)};
}
bool isEmpty(const saksi_box& b) {
    return b.x1 <= b.x0 || b.y1 <= b.y0;
}
bool overlaps(const saksi_box& a, const saksi_box& b) {
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

// True when every pixel of `word` lies in some box.
bool covered(const saksi_box& word, const std::vector<saksi_box>& boxes) {
    if (isEmpty(word)) return true;
    const int64_t w = word.x1 - word.x0, h = word.y1 - word.y0;
    if (w * h > (int64_t{1} << 26)) return false;  // no word is that large
    std::vector<uint8_t> hit(static_cast<std::size_t>(w * h), 0);
    for (const auto& b : boxes) {
        const saksi_box c{std::max(b.x0, word.x0), std::max(b.y0, word.y0), std::min(b.x1, word.x1),
                          std::min(b.y1, word.y1)};
        if (isEmpty(c)) continue;
        for (int32_t y = c.y0; y < c.y1; ++y)
            std::fill_n(hit.begin() + (y - word.y0) * w + (c.x0 - word.x0), c.x1 - c.x0, 1);
    }
    return std::all_of(hit.begin(), hit.end(), [](uint8_t v) { return v != 0; });
}

// True when the box's pixels all have one colour.
bool flat(const sdk::ImageView& image, const saksi_box& box) {
    const std::size_t bpp = sdk::ImageView::bytesPerPixel(image.format);
    const uint8_t* first = image.pixels + std::size_t(box.y0) * image.stride + box.x0 * bpp;
    for (int32_t y = box.y0; y < box.y1; ++y) {
        const uint8_t* row = image.pixels + std::size_t(y) * image.stride;
        for (int32_t x = box.x0; x < box.x1; ++x)
            if (std::memcmp(row + x * bpp, first, bpp) != 0) return false;
    }
    return true;
}

bool usable(const sdk::ImageView& image) {
    constexpr uint32_t maxInt = std::numeric_limits<int32_t>::max();
    return image.pixels && image.width > 0 && image.height > 0 && image.width <= maxInt &&
           image.height <= maxInt &&
           image.stride >= uint64_t{image.width} * sdk::ImageView::bytesPerPixel(image.format);
}

// The regions re-read around a page's boxes: bands across the whole page
// width, from twice a box's height (at least kMinMargin) above it to as far
// below, so that the rest of a line and the lines around it are read whole
// (a value OCR split over two lines goes on at the next line's start);
// overlapping bands merged.
constexpr int32_t kMinMargin = 16;
std::vector<saksi_box> ocrRegions(const RedactedPage& page) {
    const auto width = static_cast<int32_t>(page.image.width);
    const auto height = static_cast<int32_t>(page.image.height);
    std::vector<saksi_box> regions;
    for (const auto& b : page.boxes) {
        if (isEmpty(b)) continue;
        const int32_t m = std::max(kMinMargin, 2 * (b.y1 - b.y0));
        const saksi_box band = clip({0, b.y0 - m, width, b.y1 + m}, width, height);
        if (!isEmpty(band) && !isEmpty(clip(b, width, height))) regions.push_back(band);
    }
    for (bool merged = true; merged;) {
        merged = false;
        for (std::size_t i = 0; i < regions.size() && !merged; ++i)
            for (std::size_t j = i + 1; j < regions.size() && !merged; ++j)
                if (overlaps(regions[i], regions[j])) {
                    auto& a = regions[i];
                    const auto& b = regions[j];
                    a = {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1),
                         std::max(a.y1, b.y1)};
                    regions.erase(regions.begin() + static_cast<std::ptrdiff_t>(j));
                    merged = true;
                }
    }
    return regions;
}

}  // namespace

std::string normalizeForSearch(std::string_view text, bool digitsOnly) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) appendFolded(out, nextCodePoint(text, i), digitsOnly);
    return out;
}

std::string normalizeLatin1ForSearch(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (char c : bytes) appendFolded(out, static_cast<unsigned char>(c), false);
    return out;
}

std::vector<Leak> findJsonLeaks(std::span<const SecretValue> secrets, std::string_view json) {
    const auto parsed = nlohmann::json::parse(json, nullptr, false);
    if (parsed.is_discarded()) return {{"json", "json"}};
    std::string text;
    collectStrings(parsed, text);
    std::vector<Leak> leaks;
    search(needlesOf(secrets), normalizeForSearch(text), "json", leaks);
    return unique(std::move(leaks));
}

std::vector<Leak> findPdfTextLeaks(std::span<const SecretValue> secrets,
                                   std::span<const uint8_t> pdf) {
    if (pdf.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        return {{"pdf", "pdf"}};
    const std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(
        reinterpret_cast<const char*>(pdf.data()), static_cast<int>(pdf.size())));
    if (!doc || doc->is_locked()) return {{"pdf", "pdf"}};
    std::string text;
    for (int i = 0; i < doc->pages(); ++i) {
        const std::unique_ptr<poppler::page> page(doc->create_page(i));
        if (!page) return {{"pdf", "pdf"}};
        const poppler::byte_array utf8 = page->text().to_utf8();
        text.append(utf8.begin(), utf8.end());
        text += '\n';
    }
    std::vector<Leak> leaks;
    search(needlesOf(secrets), normalizeForSearch(text), "pdf-text", leaks);
    return unique(std::move(leaks));
}

std::vector<Leak> findPdfByteLeaks(std::span<const SecretValue> secrets,
                                   std::span<const uint8_t> pdf) {
    bool complete = true;
    const std::string bytes = decodedPdfBytes(
        std::string_view(reinterpret_cast<const char*>(pdf.data()), pdf.size()), complete);
    std::vector<Leak> leaks;
    if (!complete) leaks.push_back({"pdf", "pdf-bytes"});
    search(needlesOf(secrets), normalizeLatin1ForSearch(bytes), "pdf-bytes", leaks);
    return unique(std::move(leaks));
}

std::vector<Leak> findCoverageLeaks(std::span<const RedactedEntity> entities,
                                    std::span<const RedactedPage> pages) {
    std::vector<Leak> leaks;
    for (const auto& entity : entities) {
        const std::string where = "coverage:page " + std::to_string(entity.page);
        const auto page = std::find_if(pages.begin(), pages.end(), [&](const RedactedPage& p) {
            return p.number == entity.page;
        });
        if (page == pages.end()) {
            if (!entity.words.empty()) leaks.push_back({entity.type, where});
            continue;
        }
        for (const auto& word : entity.words)
            if (!covered(word, page->boxes)) {
                leaks.push_back({entity.type, where});
                break;
            }
    }
    for (const auto& page : pages) {
        if (!usable(page.image)) {
            if (!page.boxes.empty())
                leaks.push_back({"pixels", "burn:page " + std::to_string(page.number)});
            continue;
        }
        for (const auto& box : page.boxes) {
            const saksi_box c = clip(box, static_cast<int32_t>(page.image.width),
                                     static_cast<int32_t>(page.image.height));
            if (!isEmpty(c) && !flat(page.image, c)) {
                leaks.push_back({"pixels", "burn:page " + std::to_string(page.number)});
                break;
            }
        }
    }
    return unique(std::move(leaks));
}

struct LeakChecker::Engine {
    ocr::TesseractEngine tesseract;
};

namespace {
ocr::OcrConfig reOcrConfig(const LeakCheckConfig& config) {
    ocr::OcrConfig ocr;
    ocr.languages = config.languages;
    ocr.tessdata = config.tessdata;
    ocr.psm = 6;  // one uniform block of text: a crop around a box
    // A second look at unsure words costs 40% of the stage on tests/eval and
    // reads nothing a burned page should show; coverage checks the boxes.
    ocr.rereadBelowConfidence = 0;
    return ocr;
}
}  // namespace

LeakChecker::LeakChecker(const LeakCheckConfig& config)
    // Engine is neither copied nor moved: built in place from the prvalue.
    : engine_(new Engine{ocr::TesseractEngine(reOcrConfig(config))}) {
}

LeakChecker::~LeakChecker() = default;

std::vector<Leak> LeakChecker::findOcrLeaks(std::span<const SecretValue> secrets,
                                            std::span<const RedactedPage> pages) {
    const auto needles = needlesOf(secrets);
    std::vector<Leak> leaks;
    for (const auto& page : pages) {
        if (page.boxes.empty()) continue;
        const std::string where = "re-ocr:page " + std::to_string(page.number);
        if (!usable(page.image)) {
            leaks.push_back({"pixels", where});
            continue;
        }
        const std::size_t bpp = sdk::ImageView::bytesPerPixel(page.image.format);
        for (const auto& region : ocrRegions(page)) {
            sdk::ImageView crop = page.image;
            crop.pixels += std::size_t(region.y0) * crop.stride + std::size_t(region.x0) * bpp;
            crop.width = static_cast<uint32_t>(region.x1 - region.x0);
            crop.height = static_cast<uint32_t>(region.y1 - region.y0);
            std::string text;
            for (const auto& word : engine_->tesseract.recognize(crop, page.image.dpi)) {
                text += word.text;
                text += ' ';
            }
            search(needles, normalizeForSearch(text), where, leaks);
        }
    }
    return unique(std::move(leaks));
}

std::vector<Leak> LeakChecker::findLeaks(std::span<const SecretValue> secrets,
                                         std::string_view redactedJson,
                                         std::span<const uint8_t> pdf,
                                         std::span<const RedactedPage> pages,
                                         std::span<const RedactedEntity> entities) {
    std::vector<Leak> leaks = findJsonLeaks(secrets, redactedJson);
    for (auto more : {findPdfTextLeaks(secrets, pdf), findPdfByteLeaks(secrets, pdf),
                      findOcrLeaks(secrets, pages), findCoverageLeaks(entities, pages)})
        leaks.insert(leaks.end(), more.begin(), more.end());
    return unique(std::move(leaks));
}

LeakChecker::PageLeaks LeakChecker::findPageLeaks(std::span<const SecretValue> secrets,
                                                  const RedactedPage& page,
                                                  std::span<const RedactedEntity> entities) {
    return {findOcrLeaks(secrets, {&page, 1}), findCoverageLeaks(entities, {&page, 1})};
}

std::vector<Leak> LeakChecker::findLeaks(std::span<const SecretValue> secrets,
                                         std::string_view redactedJson,
                                         std::span<const uint8_t> pdf,
                                         std::span<const PageLeaks> pages,
                                         std::span<const RedactedEntity> unplaced) {
    std::vector<Leak> leaks = findJsonLeaks(secrets, redactedJson);
    for (auto more : {findPdfTextLeaks(secrets, pdf), findPdfByteLeaks(secrets, pdf)})
        leaks.insert(leaks.end(), more.begin(), more.end());
    for (const PageLeaks& page : pages) leaks.insert(leaks.end(), page.ocr.begin(), page.ocr.end());
    for (const PageLeaks& page : pages)
        leaks.insert(leaks.end(), page.coverage.begin(), page.coverage.end());
    const std::vector<Leak> lost = findCoverageLeaks(unplaced, {});
    leaks.insert(leaks.end(), lost.begin(), lost.end());
    return unique(std::move(leaks));
}

std::string describeLeaks(std::span<const Leak> leaks) {
    std::string out = std::to_string(leaks.size()) + (leaks.size() == 1 ? " leak" : " leaks");
    for (std::size_t i = 0; i < leaks.size(); ++i)
        out += (i == 0 ? ": " : ", ") + leaks[i].type + " in " + leaks[i].where;
    return out;
}

}  // namespace saksi::redact
