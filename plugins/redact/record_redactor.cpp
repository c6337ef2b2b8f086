#include "record_redactor.hpp"

#include "pseudonym.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <regex>
#include <set>

namespace saksi::redact {
namespace {

using nlohmann::json;

bool isDigit(unsigned char c) {
    return c >= '0' && c <= '9';
}
bool isAlnum(unsigned char c) {
    return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool digitsOnly(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return isDigit(c); });
}

// The comparable characters of `text` and where each stands in it.
struct Projection {
    std::string chars;
    std::vector<std::size_t> at;
};

Projection project(std::string_view text, bool digits) {
    Projection p;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = text[i];
        if (isDigit(c) || (!digits && (isAlnum(c) || c >= 0x80))) {
            p.chars.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
            p.at.push_back(i);
        }
    }
    return p;
}

// Shortest comparable forms searched for: shorter ones match by chance.
constexpr std::size_t kMinDigits = 6;
constexpr std::size_t kMinLetters = 4;
// A whole person name may be shorter ("Sri", "Adi"): as a whole word it
// still names that person (a chat title, a sender, a signature).
constexpr std::size_t kMinNameLetters = 3;

struct Range {
    std::size_t begin = 0, end = 0;
};

// Where `form` occurs in `text` as a whole number or whole word(s).
std::vector<Range> occurrences(std::string_view text, const std::string& form,
                               std::size_t minLetters = kMinLetters) {
    std::vector<Range> found;
    const std::string needle = comparableForm(form);
    const bool digits = digitsOnly(needle);
    if (needle.size() < (digits ? kMinDigits : minLetters)) return found;
    const Projection p = project(text, digits);
    for (std::size_t pos = p.chars.find(needle); pos != std::string::npos;
         pos = p.chars.find(needle, pos + 1)) {
        const std::size_t begin = p.at[pos];
        const std::size_t end = p.at[pos + needle.size() - 1] + 1;
        auto joins = [&](std::size_t i) {
            const unsigned char c = text[i];
            return digits ? isDigit(c) : isAlnum(c);
        };
        if ((begin > 0 && joins(begin - 1)) || (end < text.size() && joins(end))) continue;
        found.push_back({begin, end});
    }
    return found;
}

// Where the secret's forms occur in `text`, as (range, `index`) pairs.
void findSecret(std::string_view text, const Secret& secret, std::size_t index,
                std::vector<std::pair<Range, std::size_t>>& found) {
    const std::size_t minLetters = secret.type == "person" ? kMinNameLetters : kMinLetters;
    for (const std::string& form : secret.forms)
        for (const Range& r : occurrences(text, form, minLetters)) found.emplace_back(r, index);
    for (const std::string& form : secret.partForms)
        for (const Range& r : occurrences(text, form)) found.emplace_back(r, index);
}

// Country calling codes of the regions Saksi reads phones for, and common
// others; longest first so that 855 wins over 85.
const std::array<std::string_view, 20> kCallingCodes = {
    "855", "856", "971", "852", "886", "880", "966", "62", "95", "66",
    "63",  "60",  "84",  "65",  "86",  "91",  "81",  "82", "44", "1"};

// Phone spellings: E.164 digits, the national number and its trunk "0" form.
std::vector<std::string> phoneForms(const std::string& normalized) {
    std::vector<std::string> forms;
    if (!normalized.starts_with('+')) return forms;
    const std::string digits = normalized.substr(1);
    for (std::string_view code : kCallingCodes) {
        if (digits.starts_with(code) && digits.size() > code.size() + kMinDigits) {
            const std::string national = digits.substr(code.size());
            forms.push_back("0" + national);
            forms.push_back(national);
            break;
        }
    }
    return forms;
}

// Date spellings from ISO 8601: 1994-03-12 -> 12031994, 12-03-1994 style.
std::vector<std::string> dateForms(const std::string& iso) {
    static const std::regex pattern("^([0-9]{4})-([0-9]{2})-([0-9]{2})$");
    std::smatch m;
    if (!std::regex_match(iso, m, pattern)) return {};
    return {m[3].str() + m[2].str() + m[1].str(), m[2].str() + m[3].str() + m[1].str()};
}

// Words of a person name worth hiding on their own ("Dewi" of "Dewi Lestari").
std::vector<std::string> nameParts(const std::string& name) {
    static const std::set<std::string> particles = {"binti", "bin"};
    std::vector<std::string> parts;
    std::string word;
    auto flush = [&] {
        std::string lower = comparableForm(word);
        if (lower.size() >= kMinLetters && !particles.contains(lower)) parts.push_back(word);
        word.clear();
    };
    for (char c : name) {
        if (c == ' ' || c == '\n' || c == '\t' || c == ',')
            flush();
        else
            word.push_back(c);
    }
    flush();
    return parts;
}

class Redactor {
public:
    Redactor(const json& record, const Policy& policy, const RedactOptions& options)
        : in_(record), policy_(policy), options_(options) {
        if (in_.contains("passport") && in_["passport"].contains("mrz")) {
            const json& mrz = in_["passport"]["mrz"];
            if (mrz.value("birth_date", json()).is_string())
                mrzBirthDate_ = mrz["birth_date"].get<std::string>();
        }
    }

    RedactionResult run() {
        collectSecrets();
        result_.record = in_;
        json& out = result_.record;
        // Per page: the text with every secret replaced, words and entity
        // spans remapped, and the areas to burn.
        std::vector<std::vector<Replaced>> replacedByPage(out["pages"].size());
        for (std::size_t i = 0; i < out["pages"].size(); ++i)
            replacedByPage[i] = redactPage(out["pages"][i], static_cast<uint32_t>(i + 1));
        // The policy hides the MRZ, but its lines are not in any page text:
        // nothing would burn its band, so the image cannot be shared.
        const bool mrzBurned = std::any_of(result_.redactions.begin(), result_.redactions.end(),
                                           [](const Redaction& r) { return r.type == "mrz"; });
        if (policy_.mrz && !mrzSecrets_.empty() && !mrzBurned)
            problems_.emplace_back("the machine-readable zone is not in any page's text");
        redactEntities(out["entities"]);
        redactPassport(out);
        if (out.contains("things") && out["things"].is_array()) redactThings(out["things"]);
        sweep(out, "");
        json list = json::array();
        for (const Redaction& r : result_.redactions)
            list.push_back({{"page", r.page},
                            {"bbox", {r.box.x0, r.box.y0, r.box.x1, r.box.y1}},
                            {"type", r.type},
                            {"method", methodName(r.method)}});
        out["redactions"] = std::move(list);
        return std::move(result_);
    }

private:
    // A replaced range of a page's text: old [begin, end) -> new [newBegin, newEnd).
    struct Replaced {
        std::size_t begin, end, newBegin, newEnd;
        std::size_t secret;
    };

    std::optional<Method> methodOf(const json& entity, uint32_t& pageOut,
                                   std::string& policyType) const {
        const std::string type = entity.value("type", "");
        pageOut = entity.value("page", 0u);
        if (type == "date" && policy_.methodFor(std::string(kDateOfBirth))) {
            std::string pageText;
            if (pageOut >= 1 && pageOut <= in_["pages"].size())
                pageText = in_["pages"][pageOut - 1].value("text", "");
            if (isBirthDate(entity, pageText, mrzBirthDate_)) {
                policyType = std::string(kDateOfBirth);
                return policy_.methodFor(policyType);
            }
        }
        policyType = type;
        return policy_.methodFor(type);
    }

    std::size_t addSecret(const std::string& type, Method method, const std::string& keyValue,
                          std::vector<std::string> forms) {
        const std::size_t index = addWholeSecret(type, method, keyValue, std::move(forms));
        if (type == "person") {
            Secret& s = result_.secrets[index];
            for (const std::string& source : std::vector<std::string>(s.forms))
                for (auto& part : nameParts(source))
                    if (std::find(s.partForms.begin(), s.partForms.end(), part) ==
                        s.partForms.end())
                        s.partForms.push_back(std::move(part));
        }
        return index;
    }

    std::size_t addWholeSecret(const std::string& type, Method method, const std::string& keyValue,
                               std::vector<std::string> forms) {
        // One secret per (type, comparable value): its spellings share a token.
        const std::string id = type + ":" + comparableForm(keyValue);
        if (auto it = secretIds_.find(id); it != secretIds_.end()) {
            Secret& s = result_.secrets[it->second];
            for (auto& f : forms)
                if (std::find(s.forms.begin(), s.forms.end(), f) == s.forms.end())
                    s.forms.push_back(std::move(f));
            return it->second;
        }
        Secret s;
        s.type = type;
        s.method = method;
        s.replacement = method == Method::mask ? maskPlaceholder(type)
                                               : pseudonymToken(options_.key, type, keyValue);
        for (auto& f : forms)
            if (!f.empty() && std::find(s.forms.begin(), s.forms.end(), f) == s.forms.end())
                s.forms.push_back(std::move(f));
        result_.secrets.push_back(std::move(s));
        secretIds_[id] = result_.secrets.size() - 1;
        return result_.secrets.size() - 1;
    }

    std::vector<std::string> formsOf(const std::string& type, const std::string& text,
                                     const std::string& normalized) const {
        std::vector<std::string> forms = {text};
        if (!normalized.empty()) forms.push_back(normalized);
        if (type == "phone")
            for (auto& f : phoneForms(normalized)) forms.push_back(std::move(f));
        if (type == kDateOfBirth)
            for (auto& f : dateForms(normalized)) forms.push_back(std::move(f));
        return forms;
    }

    void collectSecrets() {
        const json& entities = in_["entities"];
        entitySecret_.assign(entities.size(), std::nullopt);
        for (std::size_t i = 0; i < entities.size(); ++i) {
            const json& e = entities[i];
            uint32_t page = 0;
            std::string type;
            const auto method = methodOf(e, page, type);
            if (!method) continue;
            const std::string text = e.value("text", "");
            const std::string normalized =
                e.value("normalized", json()).is_string() ? e["normalized"].get<std::string>() : "";
            const std::string keyValue = normalized.empty() ? text : normalized;
            if (comparableForm(keyValue).empty()) continue;
            entitySecret_[i] = addSecret(type, *method, keyValue, formsOf(type, text, normalized));
        }
        if (!in_.contains("passport") || !in_["passport"].contains("mrz")) return;
        const json& mrz = in_["passport"]["mrz"];
        if (policy_.mrz) {
            // The lines themselves; their fields below when their type is redacted.
            for (const auto& line : mrz.value("lines", json::array()))
                if (line.is_string())
                    mrzSecrets_.push_back(addSecret("mrz", Method::mask, line.get<std::string>(),
                                                    {line.get<std::string>()}));
        }
        const std::pair<const char*, std::string> fields[] = {
            {"document_number", "passport_number"},
            {"personal_number", "national_id"},
            {"surname", "person"},
            {"given_names", "person"},
            {"birth_date", std::string(kDateOfBirth)}};
        for (const auto& [field, type] : fields) {
            const json value = mrz.value(field, json());
            const auto method = policy_.methodFor(type);
            if (!value.is_string() || !method) continue;
            const std::string v = value.get<std::string>();
            addSecret(type, *method, v, formsOf(type, v, v));
        }
    }

    // The secret whose form occurs at this place of the page, longest first.
    std::vector<std::pair<Range, std::size_t>> findSecrets(const std::string& text) const {
        std::vector<std::pair<Range, std::size_t>> found;
        for (std::size_t s = 0; s < result_.secrets.size(); ++s)
            findSecret(text, result_.secrets[s], s, found);
        return found;
    }

    std::vector<Replaced> redactPage(json& page, uint32_t number) {
        const std::string text = page.value("text", "");
        std::vector<std::pair<Range, std::size_t>> spans;
        // Entities of this page at their spans.
        const json& entities = in_["entities"];
        for (std::size_t i = 0; i < entities.size(); ++i) {
            if (!entitySecret_[i] || entities[i].value("page", 0u) != number) continue;
            const json& span = entities[i].value("span", json());
            if (!span.is_array() || span.size() != 2) continue;
            const std::size_t b = span[0].get<std::size_t>(), e = span[1].get<std::size_t>();
            if (b < e && e <= text.size()) spans.push_back({{b, e}, *entitySecret_[i]});
        }
        // MRZ lines, whole.
        std::vector<Range> mrzLines;
        if (policy_.mrz) mrzLines = mrzLinesOf(text);
        for (const Range& r : mrzLines)
            spans.emplace_back(r, mrzSecrets_.empty() ? addSecret("mrz", Method::mask, "mrz", {})
                                                      : mrzSecrets_.front());
        // Every other occurrence of a secret value.
        for (auto& f : findSecrets(text)) spans.push_back(f);

        std::sort(spans.begin(), spans.end(), [](const auto& a, const auto& b) {
            return a.first.begin != b.first.begin ? a.first.begin < b.first.begin
                                                  : a.first.end > b.first.end;
        });
        std::vector<std::pair<Range, std::size_t>> merged;
        for (auto& s : spans) {
            if (!merged.empty() && s.first.begin < merged.back().first.end) {
                merged.back().first.end = std::max(merged.back().first.end, s.first.end);
                // An MRZ line wins over what lies inside it.
                if (result_.secrets[s.second].type == "mrz") merged.back().second = s.second;
            } else {
                merged.push_back(s);
            }
        }

        std::vector<Replaced> replaced;
        std::string out;
        std::size_t cursor = 0;
        for (const auto& [r, s] : merged) {
            out.append(text, cursor, r.begin - cursor);
            const std::size_t nb = out.size();
            out += result_.secrets[s].replacement;
            replaced.push_back({r.begin, r.end, nb, out.size(), s});
            cursor = r.end;
        }
        out.append(text, cursor);
        pageReplaced_[number] = replaced;
        page["text"] = out;
        redactWords(page, number, text, out, replaced);
        return replaced;
    }

    // Old offset -> new offset; `isEnd` maps the end of a replaced range to
    // the end of its replacement, a begin inside one to its begin.
    static std::size_t mapOffset(const std::vector<Replaced>& replaced, std::size_t o, bool isEnd) {
        std::ptrdiff_t delta = 0;
        for (const Replaced& r : replaced) {
            if (o < r.begin || (o == r.begin && isEnd)) break;
            if (o < r.end || (o == r.end && isEnd)) return isEnd ? r.newEnd : r.newBegin;
            delta = static_cast<std::ptrdiff_t>(r.newEnd) - static_cast<std::ptrdiff_t>(r.end);
        }
        return static_cast<std::size_t>(static_cast<std::ptrdiff_t>(o) + delta);
    }

    static saksi_box boxOf(const json& bbox) {
        if (!bbox.is_array() || bbox.size() != 4) return {0, 0, 0, 0};
        return {bbox[0].get<int32_t>(), bbox[1].get<int32_t>(), bbox[2].get<int32_t>(),
                bbox[3].get<int32_t>()};
    }

    void redactWords(json& page, uint32_t number, const std::string& oldText,
                     const std::string& newText, const std::vector<Replaced>& replaced) {
        const int32_t width = page.value("width", 0), height = page.value("height", 0);
        json words = json::array();
        // Word boxes per replaced range, to burn and to check coverage.
        std::vector<std::vector<saksi_box>> covered(replaced.size());
        std::vector<bool> written(replaced.size(), false);
        std::size_t cursor = 0;
        for (const json& w : page.value("words", json::array())) {
            const std::string wt = w.value("text", "");
            const std::size_t at = wt.empty() ? std::string::npos : oldText.find(wt, cursor);
            json nw = w;
            if (at == std::string::npos) {
                std::string t = wt;
                replaceSecrets(t, result_.secrets);
                nw["text"] = t;
                words.push_back(std::move(nw));
                continue;
            }
            cursor = at + wt.size();
            const std::size_t b = at, e = at + wt.size();
            std::optional<std::size_t> firstHit;
            for (std::size_t k = 0; k < replaced.size(); ++k) {
                if (replaced[k].begin < e && b < replaced[k].end) {
                    covered[k].push_back(boxOf(w["bbox"]));
                    if (!firstHit) firstHit = k;
                }
            }
            if (firstHit && written[*firstHit] && b >= replaced[*firstHit].begin &&
                e <= replaced[*firstHit].end)
                continue;  // wholly inside a replacement another word already carries
            if (firstHit) written[*firstHit] = true;
            const std::size_t nb = mapOffset(replaced, b, false);
            const std::size_t ne = std::max(nb, mapOffset(replaced, e, true));
            nw["text"] = newText.substr(nb, ne - nb);
            words.push_back(std::move(nw));
        }
        page["words"] = std::move(words);

        for (std::size_t k = 0; k < replaced.size(); ++k) {
            const Secret& secret = result_.secrets[replaced[k].secret];
            const bool mrz = secret.type == "mrz";
            std::vector<saksi_box> boxes = covered[k];
            if (boxes.empty()) {
                problems_.push_back(secret.type + " on page " + std::to_string(number) +
                                    " has no word box to burn");
                continue;
            }
            result_.covered.push_back({mrz ? "mrz" : recordType(secret.type), number, boxes});
            // One burned box per line of words; an MRZ line across the page.
            std::sort(boxes.begin(), boxes.end(),
                      [](const saksi_box& a, const saksi_box& b) { return a.x0 < b.x0; });
            std::vector<saksi_box> lines;
            for (const saksi_box& box : boxes) {
                auto same = std::find_if(lines.begin(), lines.end(), [&](const saksi_box& l) {
                    return std::min(l.y1, box.y1) - std::max(l.y0, box.y0) >
                           std::min(l.y1 - l.y0, box.y1 - box.y0) / 2;
                });
                if (same == lines.end()) {
                    lines.push_back(box);
                } else {
                    same->x0 = std::min(same->x0, box.x0), same->y0 = std::min(same->y0, box.y0);
                    same->x1 = std::max(same->x1, box.x1), same->y1 = std::max(same->y1, box.y1);
                }
            }
            const int32_t m = options_.margin;
            for (saksi_box l : lines) {
                if (mrz) l.x0 = 0, l.x1 = width;
                l = {std::max(0, l.x0 - m), std::max(0, l.y0 - m), std::min(width, l.x1 + m),
                     std::min(height, l.y1 + m)};
                result_.redactions.push_back(
                    {number, l, mrz ? "mrz" : recordType(secret.type), secret.method});
            }
        }
    }

    static std::string recordType(const std::string& type) {
        return type == kDateOfBirth ? "date" : type;
    }

    void redactEntities(json& entities) {
        for (std::size_t i = 0; i < entities.size(); ++i) {
            json& e = entities[i];
            const uint32_t page = e.value("page", 0u);
            auto replacedIt = pageReplaced_.find(page);
            const json& span = e.value("span", json());
            if (replacedIt != pageReplaced_.end() && span.is_array() && span.size() == 2) {
                const auto& replaced = replacedIt->second;
                const std::size_t b = mapOffset(replaced, span[0].get<std::size_t>(), false);
                const std::size_t en =
                    std::max(b, mapOffset(replaced, span[1].get<std::size_t>(), true));
                e["span"] = {b, en};
                const std::string& pageText =
                    result_.record["pages"][page - 1]["text"].get_ref<const std::string&>();
                if (en <= pageText.size()) e["text"] = pageText.substr(b, en - b);
            }
            if (entitySecret_[i]) {
                const Secret& s = result_.secrets[*entitySecret_[i]];
                e["text"] = s.replacement;
                e["normalized"] = s.replacement;
            }
        }
    }

    // A consolidated thing's spelling and match key are hidden when its type
    // is: by its mentions' replacement (one token per value), else (a thing
    // only the MRZ or the contract names) by a secret of its own, which the
    // leak check then also looks for.
    void redactThings(json& things) {
        for (json& t : things) {
            const std::string type = t.value("type", "");
            std::optional<std::size_t> secret;
            for (const auto& m : t.value("mentions", json::array()))
                if (m.is_number_integer() && m.get<std::int64_t>() >= 0 &&
                    m.get<std::size_t>() < entitySecret_.size() &&
                    entitySecret_[m.get<std::size_t>()]) {
                    secret = entitySecret_[m.get<std::size_t>()];
                    break;
                }
            const auto method = policy_.methodFor(type);
            const std::string name = t.value("name", "");
            if (!secret && method && !comparableForm(name).empty())
                secret = addSecret(type, *method, name, formsOf(type, name, name));
            if (!secret) continue;
            const std::string& replacement = result_.secrets[*secret].replacement;
            t["name"] = replacement;
            t["key"] = replacement;
        }
    }

    void redactPassport(json& out) {
        if (!policy_.mrz || !out.contains("passport") || !out["passport"].contains("mrz")) return;
        json& mrz = out["passport"]["mrz"];
        if (mrz.contains("lines"))
            for (auto& line : mrz["lines"])
                if (line.is_string()) line = std::string(line.get<std::string>().size(), '<');
        for (const char* field :
             {"document_number", "issuing_country", "nationality", "surname", "given_names",
              "birth_date", "sex", "expiry_date", "personal_number"})
            if (mrz.contains(field)) mrz[field] = nullptr;
        // Fields other extractors may have added to the MRZ object.
        for (auto& [key, value] : mrz.items())
            if (value.is_string() && key != "format") value = nullptr;
    }

    // Every remaining string, value-driven, except the record's own hashes.
    void sweep(json& node, const std::string& key) {
        if (node.is_string()) {
            if (key == "id" || key == "sha256" || key == "sha1" || key == "hash" || key == "schema")
                return;
            std::string s = node.get<std::string>();
            if (replaceSecrets(s, result_.secrets) > 0) node = s;
        } else if (node.is_object()) {
            for (auto& [k, v] : node.items())
                if (k != "provenance" && k != "redactions") sweep(v, k);
        } else if (node.is_array()) {
            for (auto& v : node) sweep(v, key);
        }
    }

    std::vector<Range> mrzLinesOf(const std::string& text) const {
        std::vector<Range> lines;
        std::size_t start = 0;
        std::vector<Range> all;
        while (start <= text.size()) {
            std::size_t end = text.find('\n', start);
            if (end == std::string::npos) end = text.size();
            all.push_back({start, end});
            start = end + 1;
        }
        std::vector<bool> mrz(all.size());
        for (std::size_t i = 0; i < all.size(); ++i)
            mrz[i] = looksLikeMrzLine(
                std::string_view(text).substr(all[i].begin, all[i].end - all[i].begin));
        for (std::size_t i = 0; i < all.size(); ++i) {
            bool take = mrz[i];
            // A line of MRZ characters next to an MRZ line, even without fillers.
            if (!take && ((i > 0 && mrz[i - 1]) || (i + 1 < all.size() && mrz[i + 1]))) {
                const std::string_view l =
                    std::string_view(text).substr(all[i].begin, all[i].end - all[i].begin);
                std::size_t chars = 0, upper = 0;
                for (unsigned char c : l) {
                    if (c == ' ') continue;
                    ++chars;
                    if ((c >= 'A' && c <= 'Z') || isDigit(c) || c == '<') ++upper;
                }
                take = chars >= 24 && upper * 10 >= chars * 9;
            }
            if (take && all[i].end > all[i].begin) lines.push_back(all[i]);
        }
        return lines;
    }

    const json& in_;
    const Policy& policy_;
    const RedactOptions& options_;
    std::string mrzBirthDate_;
    RedactionResult result_;
    std::map<std::string, std::size_t> secretIds_;
    std::vector<std::optional<std::size_t>> entitySecret_;
    std::vector<std::size_t> mrzSecrets_;
    std::map<uint32_t, std::vector<Replaced>> pageReplaced_;
    std::vector<std::string>& problems_ = result_.problems;
};

}  // namespace

bool looksLikeMrzLine(std::string_view line) {
    std::size_t chars = 0, mrzChars = 0, fillers = 0;
    for (unsigned char c : line) {
        if (c == ' ') continue;
        ++chars;
        if ((c >= 'A' && c <= 'Z') || isDigit(c) || c == '<') ++mrzChars;
        if (c == '<') ++fillers;
    }
    // "«" (OCR of "<<") counts as fillers too.
    for (std::size_t at = line.find("\xC2\xAB"); at != std::string_view::npos;
         at = line.find("\xC2\xAB", at + 2))
        fillers += 2, mrzChars += 2;
    return chars >= 24 && fillers >= 2 && mrzChars * 10 >= chars * 9;
}

bool isBirthDate(const json& entity, const std::string& pageText, const std::string& mrzBirthDate) {
    if (!mrzBirthDate.empty() && entity.value("normalized", json()) == mrzBirthDate) return true;
    const json& span = entity.value("span", json());
    if (!span.is_array() || span.size() != 2) return false;
    const std::size_t begin = std::min(span[0].get<std::size_t>(), pageText.size());
    // The text before the date on its line; when there is none, the previous
    // non-blank line (a label row above its value, as in passports). Only
    // what follows the last digit counts: a label before an earlier number
    // belongs to that number.
    auto blank = [](std::string_view s) {
        return std::all_of(s.begin(), s.end(), [](unsigned char c) {
            return c == ' ' || c == '\t' || c == '\r' || c == ':' || c == '\n';
        });
    };
    std::size_t lineStart = pageText.rfind('\n', begin == 0 ? 0 : begin - 1);
    lineStart = (lineStart == std::string::npos || begin == 0) ? 0 : lineStart + 1;
    std::string context = pageText.substr(lineStart, begin - lineStart);
    if (blank(context) && lineStart > 0) {
        std::size_t end = lineStart - 1;  // the '\n' ending the line above
        while (end > 0) {
            std::size_t start = pageText.rfind('\n', end - 1);
            start = start == std::string::npos ? 0 : start + 1;
            const std::string line = pageText.substr(start, end - start);
            if (!blank(line)) {
                context = line;
                break;
            }
            if (start == 0) break;
            end = start - 1;
        }
    }
    const std::size_t lastDigit = context.find_last_of("0123456789");
    if (lastDigit != std::string::npos) context.erase(0, lastDigit + 1);
    if (context.size() > 60) context.erase(0, context.size() - 60);
    for (char& c : context)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    static const std::regex words(R"((lahir|birth|\bdob\b|\bborn\b|naissance|\btgl\.?\s*lhr\b))");
    return std::regex_search(context, words);
}

std::size_t replaceSecrets(std::string& text, const std::vector<Secret>& secrets) {
    std::vector<std::pair<Range, std::size_t>> found;
    for (std::size_t s = 0; s < secrets.size(); ++s) findSecret(text, secrets[s], s, found);
    if (found.empty()) return 0;
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return a.first.begin != b.first.begin ? a.first.begin < b.first.begin
                                              : a.first.end > b.first.end;
    });
    std::string out;
    std::size_t cursor = 0, count = 0;
    for (const auto& [r, s] : found) {
        if (r.begin < cursor) {
            if (r.end > cursor) cursor = r.end;  // overlaps the previous: swallow its tail
            continue;
        }
        out.append(text, cursor, r.begin - cursor);
        out += secrets[s].replacement;
        cursor = r.end;
        ++count;
    }
    out.append(text, cursor);
    text = std::move(out);
    return count;
}

std::vector<SecretValue> secretValues(const std::vector<Secret>& secrets) {
    std::vector<SecretValue> values;
    for (const Secret& s : secrets)
        for (const std::string& form : s.forms) {
            const std::string c = comparableForm(form);
            const bool numeric = digitsOnly(c);
            if (c.size() < (numeric ? kMinDigits : kMinLetters)) continue;
            values.push_back({s.type == kDateOfBirth ? "date" : s.type, form, numeric});
        }
    return values;
}

RedactionResult redactRecord(const json& record, const Policy& policy,
                             const RedactOptions& options) {
    return Redactor(record, policy, options).run();
}

}  // namespace saksi::redact
