#include "identifier_finder.hpp"

#include "nik.hpp"
#include "phone_finder.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <stdexcept>

namespace saksi::identifiers {
namespace {

using Flags = std::regex::flag_type;
constexpr Flags kCase = std::regex::ECMAScript | std::regex::optimize;
constexpr Flags kNoCase = kCase | std::regex::icase;

// Indonesian and English month names and abbreviations, longest first.
constexpr const char* kMonths =
    "januari|january|jan|februari|pebruari|february|feb|maret|march|mar|april|apr|mei|may|"
    "juni|june|jun|juli|july|jul|agustus|august|agu|agt|aug|september|sept|sep|oktober|"
    "october|okt|oct|nopember|november|nov|desember|december|des|dec";

int monthNumber(std::string name) {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    static const std::map<std::string, int> months = {
        {"jan", 1},      {"januari", 1},  {"january", 1},   {"feb", 2},       {"februari", 2},
        {"pebruari", 2}, {"february", 2}, {"mar", 3},       {"maret", 3},     {"march", 3},
        {"apr", 4},      {"april", 4},    {"mei", 5},       {"may", 5},       {"jun", 6},
        {"juni", 6},     {"june", 6},     {"jul", 7},       {"juli", 7},      {"july", 7},
        {"agu", 8},      {"agt", 8},      {"aug", 8},       {"agustus", 8},   {"august", 8},
        {"sep", 9},      {"sept", 9},     {"september", 9}, {"okt", 10},      {"oct", 10},
        {"oktober", 10}, {"october", 10}, {"nov", 11},      {"nopember", 11}, {"november", 11},
        {"des", 12},     {"dec", 12},     {"desember", 12}, {"december", 12}};
    const auto it = months.find(name);
    return it == months.end() ? 0 : it->second;
}

std::string digitsOf(std::string_view s) {
    std::string out;
    for (char c : s)
        if (std::isdigit(static_cast<unsigned char>(c))) out += c;
    return out;
}

using Iterator = std::regex_iterator<std::string_view::const_iterator>;
using Match = std::match_results<std::string_view::const_iterator>;

template <class Visit>
void forEach(std::string_view text, const std::regex& re, Visit visit) {
    for (Iterator it(text.begin(), text.end(), re), end; it != end; ++it) visit(*it);
}

std::size_t at(const Match& m, int group) {
    return static_cast<std::size_t>(m.position(group));
}
std::size_t endOf(const Match& m, int group) {
    return at(m, group) + m.length(group);
}

// An amount as printed, in Indonesian ("1.200", "1.200,50") or English
// ("1,200", "1,200.50") notation, in hundredths; nothing when unreadable.
std::optional<int64_t> parseAmount(std::string_view s) {
    const std::size_t last = s.find_last_of(".,");
    std::string whole, fraction;
    if (last == std::string_view::npos) {
        whole = std::string(s);
    } else {
        const char sep = s[last];
        const char other = sep == '.' ? ',' : '.';
        const std::size_t after = s.size() - last - 1;
        const bool both = s.find(other) != std::string_view::npos;
        const bool repeated = s.find(sep) != last;
        // One kind of separator, or followed by three digits: thousands.
        const bool decimal = both || (!repeated && after != 3);
        if (decimal) {
            whole = digitsOf(s.substr(0, last));
            fraction = digitsOf(s.substr(last + 1));
        } else {
            whole = digitsOf(s);
        }
    }
    if (whole.empty() || whole.size() > 15 || fraction.size() > 2) return std::nullopt;
    while (fraction.size() < 2) fraction += '0';
    return std::stoll(whole) * 100 + std::stoll(fraction);
}

std::string formatAmount(int64_t hundredths) {
    std::string out = std::to_string(hundredths / 100);
    if (const int64_t cents = hundredths % 100) {
        char buffer[8];
        std::snprintf(buffer, sizeof buffer, ".%02d", static_cast<int>(cents));
        out += buffer;
        if (out.back() == '0') out.pop_back();
    }
    return out;
}

std::string currencyCode(const std::string& symbol) {
    std::string s = symbol;
    if (!s.empty() && s.back() == '.') s.pop_back();
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (s == "RP") return "IDR";
    if (s == "$" || s == "US$") return "USD";
    if (s == "RM") return "MYR";
    return s;
}

int64_t multiplier(const std::string& word) {
    std::string w = word;
    std::transform(w.begin(), w.end(), w.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (w == "ribu") return 1000;
    if (w == "juta") return 1000000;
    if (w == "miliar" || w == "milyar") return 1000000000;
    return 1;
}

// The text of the line that holds `pos`, from the line start (or at most
// `limit` bytes back) up to `pos`.
std::string_view lineBefore(std::string_view text, std::size_t pos, std::size_t limit) {
    std::size_t start = text.rfind('\n', pos == 0 ? 0 : pos - 1);
    start = start == std::string_view::npos ? 0 : start + 1;
    if (pos > start + limit) start = pos - limit;
    return text.substr(start, pos - start);
}

std::string_view lineAfter(std::string_view text, std::size_t pos, std::size_t limit) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    return text.substr(pos, std::min(end - pos, limit));
}

// A value that starts its line (a wrapped line, a form's value under its
// label, a chat bubble that OCR split with blank lines): the end of the
// previous non-blank line, at most `maxBlank` blank lines up and `limit`
// bytes long. Empty when text precedes `pos` on its own line or no such line.
std::string_view previousLineTail(std::string_view text, std::size_t pos, std::size_t limit,
                                  int maxBlank = 2) {
    std::size_t start = text.rfind('\n', pos == 0 ? 0 : pos - 1);
    if (pos == 0 || start == std::string_view::npos) return {};
    if (text.substr(start + 1, pos - start - 1).find_first_not_of(" \t") != std::string_view::npos)
        return {};
    for (int blank = 0; start > 0; ++blank) {
        const std::size_t end = start;
        const std::size_t previous = text.rfind('\n', end - 1);
        start = previous == std::string_view::npos ? 0 : previous + 1;
        const std::string_view line = text.substr(start, end - start);
        if (line.find_first_not_of(" \t\r") != std::string_view::npos)
            return line.substr(line.size() > limit ? line.size() - limit : 0);
        if (blank == maxBlank || previous == std::string_view::npos) return {};
        start = previous;
    }
    return {};
}

bool contains(std::string_view s, const std::regex& re) {
    return std::regex_search(s.begin(), s.end(), re);
}

std::optional<CivilDate> plausibleDate(int year, int month, int day) {
    if (year < 1900 || year > 2100) return std::nullopt;
    return CivilDate::make(year, month, day);
}

// Which match wins where two overlap: lower is more specific.
int rank(const IdentifierMatch& m, const std::vector<PhoneMatch>& phones) {
    if (m.type == "email") return 0;
    if (m.type == "url") return 1;
    if (m.type == "national_id") return 2;
    if (m.type == "passport_number") return 3;
    if (m.type == "phone") {
        const bool international = std::any_of(phones.begin(), phones.end(), [&](const auto& p) {
            return p.international && p.match.begin == m.begin && p.match.end == m.end;
        });
        if (international) return 4;
        return 8;
    }
    if (m.type == "money") return 5;
    if (m.type == "date") return 6;
    return 7;  // bank_account: beats a number without country code
}

}  // namespace

IdentifierFinder::IdentifierFinder(FinderOptions options) : options_(std::move(options)) {
    for (const auto& region : options_.regions)
        if (!isPhoneRegion(region))
            throw std::invalid_argument("unknown phone region '" + region +
                                        "' (use ISO 3166-1 alpha-2 codes such as ID or KH)");
    const FinderOptions all;
    for (const auto& type : options_.types)
        if (!all.types.count(type))
            throw std::invalid_argument("extract.identifiers does not find '" + type + "'");

    const std::string months = std::string("(") + kMonths + ")";
    email_ = std::regex(
        R"([A-Za-z0-9_%+\-][A-Za-z0-9._%+\-]{0,63}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){0,8}\.[A-Za-z]{2,24})",
        kCase);
    spacedEmail_ = std::regex(
        R"(([A-Za-z0-9_%+\-][A-Za-z0-9._%+\-]{0,63})( @|@ )([A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){0,8}\.(?:com|net|org|edu|gov|info|biz|id|my|sg|kh|ph|th|vn|la|mm|ae|sa|qa|hk|tw|jp|kr|cn|au|uk|io|me|co))(?![A-Za-z0-9\-]))",
        kCase);
    emailField_ = std::regex(
        R"(\b(?:e-?mail|surel|surat elektronik)[ \t]*:?[ \t]*([^ \t\n]{5,200}))", kNoCase);
    url_ = std::regex(
        R"((^|[^A-Za-z0-9@._\-/])((?:https?://|www\.)[^\s<>"'()\[\]{}]{1,500}|[A-Za-z0-9][A-Za-z0-9\-]{0,62}(?:\.[A-Za-z0-9\-]{1,63}){0,8}\.(?:com|net|org|id|me|io|kh|info|biz|ly|gl)(?:/[^\s<>"'()\[\]{}]{0,500})?)(?![A-Za-z0-9\-@]))",
        kCase);
    nik_ = std::regex(R"((^|[^0-9])([0-9](?:[ .]?[0-9]){15})(?![0-9]))", kCase);
    passport_ = std::regex(
        R"(\b(paspor|passport)([^\n0-9]{0,24}?)([A-Za-z]{1,2} ?[0-9]{6,8}[A-Za-z]?)(?![A-Za-z0-9]))",
        kNoCase);
    passportAtLineStart_ =
        std::regex(R"((^|\n)[ \t]*([A-Z]{1,2} ?[0-9]{6,8}[A-Z]?)(?![A-Za-z0-9]))", kCase);
    passportLabelAtLineEnd_ = std::regex(
        R"(\b(?:paspor|passport)[ \t:.#/]*(?:(?:no|nomor|number|num|nr|paspor|passport)\.?[ \t:.#/]*)*$)",
        kNoCase);
    passportFiller_ = std::regex(
        R"(^[ \t:.#/]*(?:(?:no|nomor|number|num|nr|paspor|passport)\.?[ \t:.#/]*)*$)", kNoCase);
    bankNumber_ =
        std::regex(R"((^|[^0-9+.,\-/])([0-9](?:[\-. ]?[0-9]){7,19})(?![0-9]|[.,\-/][0-9]))", kCase);
    bankName_ = std::regex(
        R"(\b(?:BCA|BRI|BNI|Mandiri|MANDIRI|BSI|CIMB|Niaga|Permata|Danamon|BTN|Muamalat|OCBC|Maybank|Panin)\b)",
        kCase);
    bankWord_ = std::regex(
        R"(\b(?:rekening|rek\.|no\.? ?rek|norek|account|acct|acc\.? ?no|a/c)(?![A-Za-z]))",
        kNoCase);
    bankAfter_ = std::regex(R"(^[ \t,]*(?:a\. ?n\.|an\.|a/n|atas nama)(?![A-Za-z]))", kNoCase);
    bankVeto_ = std::regex(
        R"(\b(?:telp|telepon|tel|hp|wa|whatsapp|phone|nik|npwp|ktp|fax|rp|usd|idr)\b)", kNoCase);
    // The amount may follow on the next line (a wrapped chat bubble or
    // table cell; blank lines between are OCR's).
    money_ = std::regex(
        R"((^|[^A-Za-z0-9])(Rp\.?|RP\.?|rp\.?|IDR|USD|US\$|\$|SGD|MYR|RM|THB|AED|EUR|KHR|PHP|VND|SAR|HKD)(?:[ \t]?|[ \t]*\n(?:[ \t]*\n){0,2}[ \t]*)([0-9]{1,3}(?:[.,][0-9]{3}){1,5}(?:[.,][0-9]{1,2})?|[0-9]{1,15}(?:[.,][0-9]{1,2})?)(,-{1,2}|,—)?(?:[ \t]+(juta|ribu|miliar|milyar)\b)?(?![0-9]))",
        kCase);
    dateDayMonth_ = std::regex(R"(\b([0-9]{1,2})(?:\s{1,3}|[ \t]?[\-.][ \t]?))" + months +
                                   R"(\.?(?:[ \t]?/[ \t]?)" + months +
                                   R"(\.?)?(?:\s{1,3}|[ \t]?[\-.,][ \t]?)([0-9]{4})\b)",
                               kNoCase);
    dateMonthDay_ = std::regex(
        R"(\b)" + months + R"(\.?[ \t]+([0-9]{1,2})(?:st|nd|rd|th)?,?[ \t]+([0-9]{4})\b)", kNoCase);
    dateNumeric_ = std::regex(
        R"((^|[^0-9/.\-])([0-9]{1,2})([/.\-])([0-9]{1,2})\3([0-9]{4})(?![0-9]|[/.\-][0-9]))",
        kCase);
    dateIso_ =
        std::regex(R"((^|[^0-9/.\-])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9]|[/.\-][0-9]))", kCase);
}

void IdentifierFinder::findEmails(std::string_view text, std::vector<IdentifierMatch>& out) const {
    forEach(text, email_, [&](const Match& m) {
        // Case-folded whole: mail providers ignore case in the local part
        // too, OCR capitalises it at line starts, and one address must
        // compare (and later pseudonymise) as one value.
        std::string email = m.str(0);
        std::transform(email.begin(), email.end(), email.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        out.push_back({"email", at(m, 0), endOf(m, 0), email, 0.95, true});
    });
}

namespace {

std::string lowerCase(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// How OCR reads an '@' on a poor scan: the capital letters of its shape and
// the circled symbols (UTF-8 "©", "®").
constexpr std::string_view kAtMisreads[] = {"G", "Q", "&", "\xC2\xA9", "\xC2\xAE"};

// OCR merges or doubles the repeated w of "www" ("https://ww.example.org"):
// a first host label of two or four w's is read as "www". True when repaired.
bool repairWorldWideWeb(std::string& url) {
    const std::size_t scheme = url.find("://");
    const std::size_t host = scheme == std::string::npos ? 0 : scheme + 3;
    for (const std::string_view label : {"ww.", "wwww."})
        if (url.compare(host, label.size(), label) == 0) {
            url.replace(host, label.size(), "www.");
            return true;
        }
    return false;
}

}  // namespace

void IdentifierFinder::findSpacedEmails(std::string_view text,
                                        std::vector<IdentifierMatch>& out) const {
    // OCR puts a space before or after the '@' of a letterhead or chat
    // address ("rekrutmen @example.org"). Only with a well-known top-level
    // domain, so that a word and a social-media handle ("ig @loker.kamboja")
    // do not become an address.
    forEach(text, spacedEmail_, [&](const Match& m) {
        const std::size_t begin = at(m, 1);
        if (begin > 0 && (text[begin - 1] == '@' || text[begin - 1] == '.')) return;
        out.push_back(
            {"email", begin, endOf(m, 3), lowerCase(m.str(1) + "@" + m.str(3)), 0.8, true});
    });
}

void IdentifierFinder::findMisreadEmails(std::string_view text,
                                         std::vector<IdentifierMatch>& out) const {
    // The value of a labelled e-mail field ("Email : slamet.44Gexample.com")
    // that has no '@' but becomes an address when exactly one of the
    // characters OCR reads an '@' as is taken for it. Several such readings
    // are ambiguous and give nothing.
    forEach(text, emailField_, [&](const Match& m) {
        std::string value = m.str(1);
        while (!value.empty() && std::string_view(".,;:").find(value.back()) != std::string::npos)
            value.pop_back();
        if (value.find('@') != std::string::npos) return;
        std::vector<std::string> readings;
        for (const std::string_view misread : kAtMisreads)
            for (std::size_t i = value.find(misread); i != std::string::npos;
                 i = value.find(misread, i + 1)) {
                std::string candidate = value;
                candidate.replace(i, misread.size(), "@");
                if (std::regex_match(candidate, email_)) readings.push_back(lowerCase(candidate));
            }
        if (readings.size() != 1) return;
        out.push_back({"email", at(m, 1), at(m, 1) + value.size(), readings.front(), 0.7, true});
    });
}

void IdentifierFinder::findUrls(std::string_view text, std::vector<IdentifierMatch>& out) const {
    forEach(text, url_, [&](const Match& m) {
        std::size_t begin = at(m, 2), end = endOf(m, 2);
        while (end > begin &&
               std::string_view(".,;:!?'\"").find(text[end - 1]) != std::string_view::npos)
            --end;
        if (end <= begin) return;
        std::string url(text.substr(begin, end - begin));
        // A chat link to a phone number (wa.me/62812...) is that phone, and
        // redacted as one; a "url" would win the overlap and leave it clear.
        if (const auto phone = phoneInLink(url)) {
            out.push_back(
                {"phone", begin + phone->begin, begin + phone->end, phone->e164, 0.9, true});
            return;
        }
        const bool scheme = url.rfind("http", 0) == 0 || url.rfind("www.", 0) == 0;
        const bool repaired = repairWorldWideWeb(url);
        out.push_back({"url", begin, end, url, repaired ? 0.7 : scheme ? 0.95 : 0.75, false});
    });
}

void IdentifierFinder::findNiks(std::string_view text, CivilDate today,
                                std::vector<IdentifierMatch>& out) const {
    static const std::regex context(R"(\b(?:NIK|KTP|N\.I\.K\.?|nomor induk)\b)", kNoCase);
    forEach(text, nik_, [&](const Match& m) {
        const auto nik = decodeNik(digitsOf(m.str(2)), today);
        if (!nik) return;
        const bool labelled = contains(lineBefore(text, at(m, 2), 40), context);
        out.push_back({"national_id",
                       at(m, 2),
                       endOf(m, 2),
                       {{"nik", nik->digits},
                        {"birth_date", nik->birthDate.iso()},
                        {"sex", std::string(1, nik->sex)},
                        {"province_code", nik->provinceCode},
                        {"province_iso", nik->provinceIso}},
                       labelled ? 0.95 : 0.75,
                       true});
    });
}

void IdentifierFinder::findPassports(std::string_view text,
                                     std::vector<IdentifierMatch>& out) const {
    forEach(text, passport_, [&](const Match& m) {
        const std::string filler = m.str(2), number = m.str(3);
        if (!std::regex_match(filler, passportFiller_)) return;
        if (std::any_of(number.begin(), number.end(),
                        [](unsigned char c) { return std::islower(c); }))
            return;
        std::string normal;
        for (char c : number)
            if (c != ' ') normal += c;
        out.push_back({"passport_number", at(m, 3), endOf(m, 3), normal, 0.9, true});
    });
}

void IdentifierFinder::findPassportsOnNextLine(std::string_view text,
                                               std::vector<IdentifierMatch>& out) const {
    // A form's value under its label ("Passport No./No. Paspor" then
    // "C3825519"), or a chat line wrapped after the label. The label must
    // end its line; the number must start the next non-blank one.
    forEach(text, passportAtLineStart_, [&](const Match& m) {
        if (!contains(previousLineTail(text, at(m, 2), 48), passportLabelAtLineEnd_)) return;
        std::string normal;
        for (char c : m.str(2))
            if (c != ' ') normal += c;
        out.push_back({"passport_number", at(m, 2), endOf(m, 2), normal, 0.85, true});
    });
}

void IdentifierFinder::findBankAccounts(std::string_view text,
                                        std::vector<IdentifierMatch>& out) const {
    forEach(text, bankNumber_, [&](const Match& m) {
        const std::size_t begin = at(m, 2), end = endOf(m, 2);
        std::string_view before = lineBefore(text, begin, 48);
        if (before.find_first_not_of(" \t") == std::string_view::npos)
            before = previousLineTail(text, begin, 48);
        const std::string_view near = before.substr(before.size() > 24 ? before.size() - 24 : 0);
        const bool context = contains(near, bankName_) || contains(before, bankWord_) ||
                             contains(lineAfter(text, end, 16), bankAfter_);
        if (!context || contains(near, bankVeto_)) return;
        out.push_back({"bank_account", begin, end, digitsOf(m.str(2)), 0.85, true});
    });
}

void IdentifierFinder::findMoney(std::string_view text, std::vector<IdentifierMatch>& out) const {
    forEach(text, money_, [&](const Match& m) {
        auto amount = parseAmount(m.str(3));
        if (!amount) return;
        const int64_t scale = multiplier(m.str(5));
        if (*amount > std::numeric_limits<int64_t>::max() / scale) return;
        *amount *= scale;
        const std::size_t end = m.length(5) ? endOf(m, 5) : m.length(4) ? endOf(m, 4) : endOf(m, 3);
        out.push_back({"money", at(m, 2), end, currencyCode(m.str(2)) + " " + formatAmount(*amount),
                       0.9, false});
    });
}

void IdentifierFinder::findDates(std::string_view text, std::vector<IdentifierMatch>& out) const {
    auto add = [&](const Match& m, int group, std::optional<CivilDate> date, double confidence) {
        if (date)
            out.push_back({"date", at(m, group), endOf(m, 0), date->iso(), confidence, false});
    };
    forEach(text, dateDayMonth_, [&](const Match& m) {
        // "10 AGU/AUG 2021": both names must be the same month.
        const int month = monthNumber(m.str(2));
        if (m.length(3) && monthNumber(m.str(3)) != month) return;
        add(m, 0, plausibleDate(std::stoi(m.str(4)), month, std::stoi(m.str(1))), 0.9);
    });
    forEach(text, dateMonthDay_, [&](const Match& m) {
        add(m, 0, plausibleDate(std::stoi(m.str(3)), monthNumber(m.str(1)), std::stoi(m.str(2))),
            0.9);
    });
    forEach(text, dateNumeric_, [&](const Match& m) {
        // Day first, as Indonesia and most of ASEAN write it.
        add(m, 2, plausibleDate(std::stoi(m.str(5)), std::stoi(m.str(4)), std::stoi(m.str(2))),
            0.8);
    });
    forEach(text, dateIso_, [&](const Match& m) {
        add(m, 2, plausibleDate(std::stoi(m.str(2)), std::stoi(m.str(3)), std::stoi(m.str(4))),
            0.9);
    });
}

std::vector<IdentifierMatch> IdentifierFinder::find(std::string_view text, CivilDate today) const {
    std::vector<IdentifierMatch> candidates;
    std::vector<PhoneMatch> phones;
    if (wants("phone")) {
        phones = findPhones(text, options_.regions);
        for (const auto& p : phones) candidates.push_back(p.match);
    }
    if (wants("email")) {
        findEmails(text, candidates);
        findSpacedEmails(text, candidates);
        findMisreadEmails(text, candidates);
    }
    if (wants("url")) findUrls(text, candidates);
    if (wants("national_id")) findNiks(text, today, candidates);
    if (wants("passport_number")) {
        findPassports(text, candidates);
        findPassportsOnNextLine(text, candidates);
    }
    if (wants("bank_account")) findBankAccounts(text, candidates);
    if (wants("money")) findMoney(text, candidates);
    if (wants("date")) findDates(text, candidates);

    std::stable_sort(candidates.begin(), candidates.end(), [&](const auto& a, const auto& b) {
        const int ra = rank(a, phones), rb = rank(b, phones);
        if (ra != rb) return ra < rb;
        if (a.begin != b.begin) return a.begin < b.begin;
        return a.end - a.begin > b.end - b.begin;
    });
    std::vector<IdentifierMatch> kept;
    for (auto& c : candidates) {
        const bool overlapping = std::any_of(kept.begin(), kept.end(), [&](const auto& k) {
            return k.begin < c.end && c.begin < k.end;
        });
        if (!overlapping) kept.push_back(std::move(c));
    }
    std::sort(kept.begin(), kept.end(),
              [](const auto& a, const auto& b) { return a.begin < b.begin; });
    return kept;
}

}  // namespace saksi::identifiers
