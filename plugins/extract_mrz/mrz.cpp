// mrz.cpp -- ICAO 9303 MRZ parsing, check digits and OCR repair.
#include "mrz.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>

namespace saksi::mrz {
namespace {

using Lines = std::vector<std::string>;

// A field: `length` characters of line `line` from column `begin`.
struct Span {
    std::size_t line = 0;
    std::size_t begin = 0;
    std::size_t length = 0;
};

struct Pos {
    std::size_t line = 0;
    std::size_t col = 0;
};

// Where each field sits in a format (ICAO 9303 parts 4 to 7; 0-based columns).
struct Layout {
    Format format = Format::TD3;
    std::size_t lineCount = 2;
    std::size_t lineLength = 44;
    Span documentCode, issuingCountry, names, documentNumber, documentCheck, nationality, birthDate,
        birthCheck, sex, expiryDate, expiryCheck;
    Span optional1;                     // optional data / personal number
    Span optional2;                     // TD1 line 2 optional data; empty elsewhere
    std::optional<Span> personalCheck;  // TD3 only
    std::optional<Span> composite;      // not for visas
    std::vector<Span> compositeParts;   // what the composite check digit covers
    bool longNumber = false;  // a '<' document check digit means the number goes on in optional1
};

Layout layoutFor(Format format) {
    switch (format) {
        case Format::TD1:
            return {.format = format,
                    .lineCount = 3,
                    .lineLength = 30,
                    .documentCode = {0, 0, 2},
                    .issuingCountry = {0, 2, 3},
                    .names = {2, 0, 30},
                    .documentNumber = {0, 5, 9},
                    .documentCheck = {0, 14, 1},
                    .nationality = {1, 15, 3},
                    .birthDate = {1, 0, 6},
                    .birthCheck = {1, 6, 1},
                    .sex = {1, 7, 1},
                    .expiryDate = {1, 8, 6},
                    .expiryCheck = {1, 14, 1},
                    .optional1 = {0, 15, 15},
                    .optional2 = {1, 18, 11},
                    .personalCheck = std::nullopt,
                    .composite = Span{1, 29, 1},
                    .compositeParts = {{0, 5, 25}, {1, 0, 7}, {1, 8, 7}, {1, 18, 11}},
                    .longNumber = true};
        case Format::TD2:
        case Format::MRVB:
        case Format::TD3:
        case Format::MRVA: {
            const bool wide = format == Format::TD3 || format == Format::MRVA;
            const bool visa = format == Format::MRVA || format == Format::MRVB;
            const std::size_t n = wide ? 44 : 36;
            Layout layout{.format = format,
                          .lineCount = 2,
                          .lineLength = n,
                          .documentCode = {0, 0, 2},
                          .issuingCountry = {0, 2, 3},
                          .names = {0, 5, n - 5},
                          .documentNumber = {1, 0, 9},
                          .documentCheck = {1, 9, 1},
                          .nationality = {1, 10, 3},
                          .birthDate = {1, 13, 6},
                          .birthCheck = {1, 19, 1},
                          .sex = {1, 20, 1},
                          .expiryDate = {1, 21, 6},
                          .expiryCheck = {1, 27, 1},
                          .optional1 = {1, 28, n - 28},
                          .optional2 = {},
                          .personalCheck = std::nullopt,
                          .composite = std::nullopt,
                          .compositeParts = {},
                          .longNumber = false};
            if (visa) return layout;  // optional data to the end, no composite
            if (wide) {               // TD3
                layout.optional1 = {1, 28, 14};
                layout.personalCheck = Span{1, 42, 1};
                layout.composite = Span{1, 43, 1};
                layout.compositeParts = {{1, 0, 10}, {1, 13, 7}, {1, 21, 22}};
            } else {  // TD2
                layout.optional1 = {1, 28, 7};
                layout.composite = Span{1, 35, 1};
                layout.compositeParts = {{1, 0, 10}, {1, 13, 7}, {1, 21, 14}};
                layout.longNumber = true;
            }
            return layout;
        }
    }
    return {};
}

int charValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 0;
}

bool isFiller(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == '<'; });
}

// An all-filler field (no personal number, no optional data) may carry '<' or
// '0' as its check digit; issuers use both.
bool checkPasses(std::string_view field, char check) {
    if (isFiller(field)) return check == '<' || check == '0';
    return check == checkDigit(field);
}

std::string text(const Lines& lines, Span span) {
    return lines[span.line].substr(span.begin, span.length);
}

std::vector<Pos> positions(Span span) {
    std::vector<Pos> out;
    for (std::size_t i = 0; i < span.length; ++i) out.push_back({span.line, span.begin + i});
    return out;
}

std::string trimFillers(std::string_view s) {
    const auto first = s.find_first_not_of('<');
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of('<');
    return std::string(s.substr(first, last - first + 1));
}

// ---- character classes --------------------------------------------------
// A field's class decides which readings are possible at all. In a digits-only
// field a letter can only be a misread digit, and in a letters-only field a
// digit only a misread letter: those repairs are forced, one reading each.
// Alphanumeric fields (document number, optional data) admit both, so there
// the check digit has to choose (see repairByCheck).

char asDigit(char c) {
    switch (c) {
        case 'O':
        case 'Q':
        case 'D':
        case 'U':
            return '0';
        case 'I':
        case 'L':  // a lowercase 'l' upper-cased
            return '1';
        case 'Z':
            return '2';
        case 'S':
            return '5';
        case 'G':
            return '6';
        case 'B':
            return '8';
        default:
            return c;
    }
}

char asLetter(char c) {
    switch (c) {
        case '0':
            return 'O';
        case '1':
            return 'I';
        case '2':
            return 'Z';
        case '5':
            return 'S';
        case '6':
            return 'G';
        case '8':
            return 'B';
        default:
            return c;
    }
}

// A check digit is a digit, or '<' where the format allows one.
char asCheck(char c) {
    if (c == 'K' || c == 'C' || c == 'E') return '<';
    return asDigit(c);
}

char asSex(char c) {
    if (c == 'K' || c == 'C' || c == 'L') return '<';
    return c;
}

// Other readings of one character in an alphanumeric field.
std::string_view alternatives(char c) {
    switch (c) {
        case '0':
            return "OQD";
        case 'O':
        case 'Q':
        case 'D':
            return "0";
        case '1':
            return "I";
        case 'I':
            return "1";
        case '2':
            return "Z";
        case 'Z':
            return "2";
        case '5':
            return "S";
        case 'S':
            return "5";
        case '6':
            return "G";
        case 'G':
            return "6";
        case '8':
            return "B";
        case 'B':
            return "8";
        // K is missing: it is worth 20, 0 modulo 10 under every weight, so no
        // check digit can tell it from '<' (repairPadding() decides instead).
        case 'C':
        case 'E':
        case 'L':
            return "<";
        default:
            return "";
    }
}

bool isFillerLike(char c) {
    return c == 'K' || c == 'C' || c == 'E' || c == 'L';
}

// '<' read as K, C, E or L inside the name field. Names have no check digit,
// so only misreadings that no real name can produce are repaired. Per ICAO
// 9303 the components of a name are separated by exactly one '<', and the
// primary identifier from the secondary by exactly "<<", once. So a group of
// K/C/E/L letters, followed by '<' or the end of the field, is taken as
// fillers when
//   - it follows a run of 3 or more '<' (no name component can), or
//   - it follows "<<" after the "<<" separator has already been seen, or
//   - it is a run of 3 or more identical letters ("KKK": no name is).
// Everything else stays as read: "PARK<<LEE" or "ANNA<ELLE" are real names.
// Groups are taken left to right, so a repaired group lengthens the run that
// precedes the next one ("<<<KK<C<<" becomes all fillers).
std::string repairNameFillers(std::string field) {
    std::size_t run = 0;         // '<' run just before position i
    bool separatorSeen = false;  // a "<<" before that run
    std::size_t i = 0;
    while (i < field.size()) {
        if (field[i] == '<') {
            ++run;
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < field.size() && field[end] != '<') ++end;
        const std::string_view group(field.data() + i, end - i);
        const bool fillerLetters = std::all_of(group.begin(), group.end(), isFillerLike);
        const bool repeated =
            group.size() >= 3 &&
            std::all_of(group.begin(), group.end(), [&](char c) { return c == group.front(); });
        const bool filler =
            fillerLetters && run > 0 && (run >= 3 || (run == 2 && separatorSeen) || repeated);
        if (filler) {
            std::fill(field.begin() + static_cast<std::ptrdiff_t>(i),
                      field.begin() + static_cast<std::ptrdiff_t>(end), '<');
            run += end - i;
        } else {
            if (run >= 2) separatorSeen = true;
            run = 0;
        }
        i = end;
    }
    return field;
}

// '<' read as K, C, E or L in the padding of optional data. K is worth 0
// modulo 10 like '<', so no check digit can tell them apart, and TD1/TD2
// optional data has only the composite, where two misreads can cancel out
// (MRV optional data has no check at all). Optional data is left-aligned and
// padded with fillers: a K/C/E/L that follows a '<' and has only fillers (or
// such letters) behind it to the end of the field is taken as padding. A
// letter inside or right after the data stays. The check digits still judge
// the result.
std::string repairPadding(std::string field) {
    const auto last = field.find_last_not_of("<KCEL");
    std::size_t i = last == std::string::npos ? 0 : last + 1;
    for (; i < field.size(); ++i)
        if (isFillerLike(field[i]) && i > 0 && field[i - 1] == '<') field[i] = '<';
    return field;
}

// ---- repair by check digit ----------------------------------------------

enum class Outcome { passed, repaired, ambiguous, failed };

using Predicate = std::function<bool(const Lines&)>;

struct Change {
    Pos pos;
    char was = 0;
};

struct RepairResult {
    Outcome outcome = Outcome::failed;
    std::vector<Change> undo;  // ambiguous: the first passing candidate is applied; this reverts it
};

// Tries the other readings of the characters at `where` (alternatives()),
// with the fewest changes first, up to two, keeping those for which `passes`
// holds. Only the smallest number of changes that passes at all counts:
// accepting a two-change repair while a one-change repair also passes would
// prefer the less likely reading. If exactly one candidate passes at that
// level it is applied; if several do, they are equally supported by the
// check digit. Then the first is applied and `undo` says how to revert it, so
// that the caller can still ask the composite check digit about it.
RepairResult repairByCheck(Lines& lines, const std::vector<Pos>& where, const Predicate& passes) {
    if (passes(lines)) return {Outcome::passed, {}};
    struct Edit {
        Pos pos;
        char to;
    };
    std::vector<Edit> edits;
    for (const Pos& pos : where) {
        for (char to : alternatives(lines[pos.line][pos.col])) edits.push_back({pos, to});
    }
    auto apply = [&](const Edit& edit) {
        char& c = lines[edit.pos.line][edit.pos.col];
        const char old = c;
        c = edit.to;
        return Change{edit.pos, old};
    };
    auto revert = [&](const Change& change) {
        lines[change.pos.line][change.pos.col] = change.was;
    };
    std::vector<std::vector<Edit>> found;
    for (const Edit& edit : edits) {
        const Change change = apply(edit);
        if (passes(lines)) found.push_back({edit});
        revert(change);
    }
    if (found.empty()) {
        for (std::size_t a = 0; a < edits.size(); ++a) {
            for (std::size_t b = a + 1; b < edits.size(); ++b) {
                if (edits[a].pos.line == edits[b].pos.line && edits[a].pos.col == edits[b].pos.col)
                    continue;
                const Change first = apply(edits[a]);
                const Change second = apply(edits[b]);
                if (passes(lines)) found.push_back({edits[a], edits[b]});
                revert(second);
                revert(first);
            }
        }
    }
    if (found.empty()) return {Outcome::failed, {}};
    RepairResult result{found.size() == 1 ? Outcome::repaired : Outcome::ambiguous, {}};
    for (const Edit& edit : found.front()) result.undo.push_back(apply(edit));
    return result;
}

// ---- dates ----------------------------------------------------------------

struct Yymmdd {
    int yy = 0;
    unsigned mm = 0;
    unsigned dd = 0;
};

std::optional<Yymmdd> splitDate(std::string_view s) {
    if (s.size() != 6 ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    auto two = [&](std::size_t i) { return (s[i] - '0') * 10 + (s[i + 1] - '0'); };
    return Yymmdd{two(0), static_cast<unsigned>(two(2)), static_cast<unsigned>(two(4))};
}

std::optional<std::string> iso(int year, unsigned month, unsigned day) {
    const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                          std::chrono::day{day}};
    if (!ymd.ok()) return std::nullopt;
    char buffer[40];  // room for any int, so that -Wformat-truncation can prove it
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", year, month, day);
    return std::string(buffer);
}

// A birth date is in the latest century that does not put it after the
// reference date: 2000+yy unless that is in the future, else 1900+yy.
std::optional<std::string> resolveBirth(std::string_view s, std::chrono::year_month_day ref) {
    const auto d = splitDate(s);
    if (!d) return std::nullopt;
    const int refYear = static_cast<int>(ref.year());
    const unsigned refMonth = static_cast<unsigned>(ref.month());
    const unsigned refDay = static_cast<unsigned>(ref.day());
    int year = 2000 + d->yy;
    if (std::tuple(year, d->mm, d->dd) > std::tuple(refYear, refMonth, refDay)) year -= 100;
    return iso(year, d->mm, d->dd);
}

// An expiry year is taken from [reference - 80, reference + 19]. Forward:
// passports run for at most 10 years and ID cards for up to 15 (some
// longer-lived residence permits approach 20), and evidence may be processed
// a few years after the document was read, so +20 covers every still-valid
// document. Backward: the rest of the century window, because expired
// documents are normal in seized archives and may be decades old. A 100-year
// window makes the century unique; the asymmetry puts the ambiguity in the
// implausible place (a document expiring 81+ years ago).
std::optional<std::string> resolveExpiry(std::string_view s, std::chrono::year_month_day ref) {
    const auto d = splitDate(s);
    if (!d) return std::nullopt;
    const int low = static_cast<int>(ref.year()) - 80;
    const int year = low + (((d->yy - low) % 100) + 100) % 100;
    return iso(year, d->mm, d->dd);
}

// ---- analysis of lines of the right length --------------------------------

class Analyzer {
public:
    Analyzer(const Layout& layout, Lines lines, std::chrono::year_month_day reference)
        : layout_(layout), lines_(std::move(lines)), reference_(reference) {}

    Mrz run() {
        Mrz mrz;
        mrz.format = layout_.format;

        fixClass(layout_.documentCode, asLetter, "document_code");
        fixClass(layout_.issuingCountry, asLetter, "issuing_country");
        fixClass(layout_.nationality, asLetter, "nationality");
        fixClass(layout_.birthDate, asDigit, "birth_date");
        fixClass(layout_.birthCheck, asCheck, "birth_date check digit");
        fixClass(layout_.expiryDate, asDigit, "expiry_date");
        fixClass(layout_.expiryCheck, asCheck, "expiry_date check digit");
        fixClass(layout_.documentCheck, asCheck, "document_number check digit");
        fixClass(layout_.sex, asSex, "sex");
        if (layout_.personalCheck)
            fixClass(*layout_.personalCheck, asCheck, "personal_number check digit");
        if (layout_.composite) fixClass(*layout_.composite, asCheck, "composite check digit");
        fixNames();
        fixPadding(layout_.optional1, "personal_number");
        fixPadding(layout_.optional2, "optional_data_2");

        mrz.checks.documentNumber = checkDocumentNumber();
        mrz.checks.birthDate =
            checkPasses(text(lines_, layout_.birthDate),
                        lines_[layout_.birthCheck.line][layout_.birthCheck.begin]);
        mrz.checks.expiryDate =
            checkPasses(text(lines_, layout_.expiryDate),
                        lines_[layout_.expiryCheck.line][layout_.expiryCheck.begin]);
        if (layout_.personalCheck) {
            const Span field = layout_.optional1;
            const Pos check{layout_.personalCheck->line, layout_.personalCheck->begin};
            mrz.checks.personalNumber = repairField(
                "personal_number", field, positions(field), [field, check](const Lines& l) {
                    return checkPasses(text(l, field), l[check.line][check.col]);
                });
        }
        if (layout_.composite) mrz.checks.composite = checkComposite();
        resolveAmbiguous(mrz);

        fill(mrz);
        mrz.lines = lines_;
        mrz.repairs = std::move(repairs_);
        mrz.ambiguous = ambiguous_;
        mrz.valid = !ambiguous_ && mrz.checks.documentNumber && mrz.checks.birthDate &&
                    mrz.checks.expiryDate && mrz.checks.personalNumber.value_or(true) &&
                    mrz.checks.composite.value_or(true);
        return mrz;
    }

private:
    void fixClass(Span span, char (*map)(char), const char* field) {
        std::string& line = lines_[span.line];
        const std::string before = line.substr(span.begin, span.length);
        for (std::size_t i = 0; i < span.length; ++i)
            line[span.begin + i] = map(line[span.begin + i]);
        const std::string after = line.substr(span.begin, span.length);
        if (after != before) repairs_.push_back({field, before, after, "ocr.confusion"});
    }

    void fixNames() {
        fixClass(layout_.names, asLetter, "surname/given_names");
        const Span span = layout_.names;
        const std::string before = text(lines_, span);
        const std::string after = repairNameFillers(before);
        if (after != before) {
            lines_[span.line].replace(span.begin, span.length, after);
            repairs_.push_back({"surname/given_names", before, after, "name.filler"});
        }
    }

    void fixPadding(Span span, const char* field) {
        if (!span.length) return;
        const std::string before = text(lines_, span);
        const std::string after = repairPadding(before);
        if (after != before) {
            lines_[span.line].replace(span.begin, span.length, after);
            repairs_.push_back({field, before, after, "optional.filler"});
        }
    }

    // Runs repairByCheck over `where` and records the outcome. Returns the check.
    bool repairField(const char* field, Span shown, const std::vector<Pos>& where,
                     const Predicate& passes) {
        const Lines before = lines_;
        RepairResult result = repairByCheck(lines_, where, passes);
        switch (result.outcome) {
            case Outcome::passed:
                return true;
            case Outcome::repaired:
                repairs_.push_back(
                    {field, text(before, shown), text(lines_, shown), "ocr.confusion"});
                return true;
            case Outcome::ambiguous:
                // Left applied for the composite to judge; see resolveAmbiguous().
                pending_.insert(pending_.end(), result.undo.begin(), result.undo.end());
                return false;
            case Outcome::failed:
                return false;
        }
        return false;
    }

    // A field with several passing repairs keeps its first one applied while
    // the composite is checked. All the candidates of one field give the same
    // weighted sum, and every field starts at a multiple of 3 in the composite
    // string, so they all agree or all disagree with the composite: it cannot
    // choose among them, only reject them all. If it rejects them, no repair
    // passes both checks (not ambiguous, just failed); if it accepts them, or
    // there is no composite (visas), the MRZ is ambiguous. Either way the field
    // goes back to what was read.
    void resolveAmbiguous(Mrz& mrz) {
        if (pending_.empty()) return;
        if (mrz.checks.composite.value_or(true)) ambiguous_ = true;
        for (auto it = pending_.rbegin(); it != pending_.rend(); ++it)
            lines_[it->pos.line][it->pos.col] = it->was;
        pending_.clear();
        if (layout_.composite) mrz.checks.composite = compositePasses(lines_);
        if (layout_.personalCheck) {
            const Span field = layout_.optional1;
            mrz.checks.personalNumber =
                checkPasses(text(lines_, field),
                            lines_[layout_.personalCheck->line][layout_.personalCheck->begin]);
        }
    }

    bool compositePasses(const Lines& l) const {
        std::string data;
        for (const Span& part : layout_.compositeParts) data += text(l, part);
        return l[layout_.composite->line][layout_.composite->begin] == checkDigit(data);
    }

    bool checkDocumentNumber() {
        const Span number = layout_.documentNumber;
        const Span check = layout_.documentCheck;
        const bool isLong = layout_.longNumber && lines_[check.line][check.begin] == '<' &&
                            !isFiller(text(lines_, number));
        if (!isLong) {
            const Pos checkPos{check.line, check.begin};
            const bool ok = repairField(
                "document_number", number, positions(number), [number, checkPos](const Lines& l) {
                    return checkPasses(text(l, number), l[checkPos.line][checkPos.col]);
                });
            return ok;
        }
        // ICAO 9303 parts 5 and 6: the first nine characters, then '<' instead
        // of the check digit; the rest of the number opens the optional data,
        // followed by its check digit (over the whole number, fillers
        // excluded) and a filler.
        const Span optional = layout_.optional1;
        const std::string opt = text(lines_, optional);
        const std::size_t end = opt.find('<');  // one past the check digit
        const std::size_t digits = end == std::string::npos ? opt.size() : end;
        optionalStart_ = digits;
        if (digits < 2) return false;
        const Span rest{optional.line, optional.begin, digits - 1};
        extension_ = rest;
        const Pos checkPos{optional.line, optional.begin + digits - 1};
        lines_[checkPos.line][checkPos.col] = asDigit(lines_[checkPos.line][checkPos.col]);
        std::vector<Pos> where = positions(number);
        for (const Pos& p : positions(rest)) where.push_back(p);
        const Span shown{number.line, number.begin, optional.begin + digits - number.begin};
        const bool ok =
            repairField("document_number", shown, where, [number, rest, checkPos](const Lines& l) {
                std::string full = text(l, number) + text(l, rest);
                std::erase(full, '<');
                return l[checkPos.line][checkPos.col] == checkDigit(full);
            });
        return ok;
    }

    // The composite check digit. Fields with their own check digit are settled
    // by now; what it can still repair is the optional data that no other
    // check digit covers (TD1 and TD2).
    bool checkComposite() {
        auto passes = [this](const Lines& l) { return compositePasses(l); };
        std::vector<Pos> where;
        if (layout_.format == Format::TD1 || layout_.format == Format::TD2) {
            const Span opt1 = layout_.optional1;
            for (std::size_t i = optionalStart_; i < opt1.length; ++i)
                where.push_back({opt1.line, opt1.begin + i});
            for (const Pos& p : positions(layout_.optional2)) where.push_back(p);
        }
        const Lines before = lines_;
        const RepairResult result = repairByCheck(lines_, where, passes);
        const Outcome outcome = result.outcome;
        if (outcome == Outcome::ambiguous) {
            for (auto it = result.undo.rbegin(); it != result.undo.rend(); ++it)
                lines_[it->pos.line][it->pos.col] = it->was;
            ambiguous_ = true;
        }
        if (outcome == Outcome::repaired) {
            const std::pair<Span, const char*> fields[] = {{layout_.optional1, "personal_number"},
                                                           {layout_.optional2, "optional_data_2"}};
            for (const auto& [field, name] : fields) {
                if (field.length && text(before, field) != text(lines_, field))
                    repairs_.push_back(
                        {name, text(before, field), text(lines_, field), "ocr.confusion"});
            }
        }
        return outcome == Outcome::passed || outcome == Outcome::repaired;
    }

    void fill(Mrz& mrz) const {
        mrz.documentNumber = text(lines_, layout_.documentNumber);
        if (extension_.length) {
            mrz.documentNumber += text(lines_, extension_);
            std::erase(mrz.documentNumber, '<');
        } else {
            mrz.documentNumber.erase(mrz.documentNumber.find_last_not_of('<') + 1);
        }
        mrz.documentCode = trimFillers(text(lines_, layout_.documentCode));
        mrz.issuingCountry = trimFillers(text(lines_, layout_.issuingCountry));
        mrz.nationality = trimFillers(text(lines_, layout_.nationality));
        const std::string names = text(lines_, layout_.names);
        const std::size_t separator = names.find("<<");
        mrz.surname = spaced(names.substr(0, separator));
        mrz.givenNames = separator == std::string::npos ? "" : spaced(names.substr(separator + 2));
        mrz.birthDate = resolveBirth(text(lines_, layout_.birthDate), reference_);
        mrz.expiryDate = resolveExpiry(text(lines_, layout_.expiryDate), reference_);
        const char sex = lines_[layout_.sex.line][layout_.sex.begin];
        mrz.sex = sex == 'M' || sex == 'F'   ? std::string(1, sex)
                  : sex == '<' || sex == 'X' ? "X"
                                             : "";
        const std::string opt = text(lines_, layout_.optional1);
        mrz.personalNumber = trimFillers(opt.substr(std::min(optionalStart_, opt.size())));
        if (layout_.optional2.length)
            mrz.optionalData2 = trimFillers(text(lines_, layout_.optional2));
    }

    // "ANNA<MARIA<<<" -> "ANNA MARIA".
    static std::string spaced(std::string_view s) {
        std::string out;
        for (char c : s) {
            if (c == '<') {
                if (!out.empty() && out.back() != ' ') out += ' ';
            } else {
                out += c;
            }
        }
        while (!out.empty() && out.back() == ' ') out.pop_back();
        return out;
    }

    const Layout& layout_;
    Lines lines_;
    std::chrono::year_month_day reference_;
    std::vector<Repair> repairs_;
    bool ambiguous_ = false;
    std::vector<Change> pending_;    // candidates applied only to ask the composite
    Span extension_;                 // a long document number's rest, in optional1
    std::size_t optionalStart_ = 0;  // where optional1's own data starts (after a long number)
};

// ---- text clean-up and line lengths ----------------------------------------

// Upper-cases, maps the guillemets OCR makes of filler runs, drops anything
// that cannot be in an MRZ. Spaces are kept: whether they stand for '<' or are
// noise is decided once the line length is known.
std::string cleanLine(std::string_view raw, std::size_t number, std::vector<Repair>& repairs) {
    std::string out;
    bool stray = false;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const auto c = static_cast<unsigned char>(raw[i]);
        if (c >= 'a' && c <= 'z') {
            out += static_cast<char>(c - 'a' + 'A');
        } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<' || c == ' ') {
            out += static_cast<char>(c);
        } else if (c == '\t') {
            out += ' ';
        } else if (c == 0xC2 && i + 1 < raw.size() &&
                   static_cast<unsigned char>(raw[i + 1]) == 0xAB) {
            out += "<<";  // U+00AB «
            ++i;
            stray = true;
        } else if (c == 0xE2 && i + 2 < raw.size() &&
                   static_cast<unsigned char>(raw[i + 1]) == 0x80 &&
                   static_cast<unsigned char>(raw[i + 2]) == 0xB9) {
            out += '<';  // U+2039 ‹
            i += 2;
            stray = true;
        } else if (c != '\r') {
            stray = true;
        }
    }
    // Leading spaces are never fillers (every line opens with a letter or a
    // digit); trailing ones may be, so they stay for now.
    out.erase(0, std::min(out.find_first_not_of(' '), out.size()));
    if (stray)
        repairs.push_back({"line " + std::to_string(number), std::string(raw), out, "text.stray"});
    return out;
}

std::string withoutSpaces(std::string s) {
    std::erase(s, ' ');
    return s;
}

std::string spacesAsFillers(std::string s) {
    std::replace(s.begin(), s.end(), ' ', '<');
    return s;
}

std::size_t distance(std::size_t a, std::size_t b) {
    return a > b ? a - b : b - a;
}

// The length a line would have under the better of the two readings of its spaces.
std::size_t nearestLength(const std::string& line, std::size_t n) {
    const std::size_t removed = withoutSpaces(line).size();
    const std::size_t replaced = line.size();
    return distance(removed, n) <= distance(replaced, n) ? removed : replaced;
}

struct Run {
    std::size_t begin = 0;
    std::size_t length = 0;
};

std::vector<Run> fillerRuns(const std::string& line) {
    std::vector<Run> runs;
    for (std::size_t i = 0; i < line.size();) {
        if (line[i] != '<') {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < line.size() && line[end] == '<') ++end;
        runs.push_back({i, end - i});
        i = end;
    }
    return runs;
}

// The most likely fix of a line that is `line.size() - n` characters off: OCR
// drops or doubles fillers in long runs of '<', so the last longest run takes
// the difference; without one, the end of the line.
std::string defaultLength(const std::string& line, std::size_t n) {
    if (line.size() == n) return line;
    const auto runs = fillerRuns(line);
    const Run* longest = nullptr;
    for (const Run& run : runs)
        if (!longest || run.length >= longest->length) longest = &run;
    std::string out = line;
    if (line.size() < n) {
        const std::size_t k = n - line.size();
        if (longest) {
            out.insert(longest->begin, k, '<');
        } else {
            out.append(k, '<');
        }
    } else {
        const std::size_t k = line.size() - n;
        if (longest && longest->length > k) {
            out.erase(longest->begin, k);
        } else {
            out.resize(n);
        }
    }
    return out;
}

// Every plausible fix of a line's length, the default first: any filler run
// (or either end) takes the difference, and for one extra character any one
// character may be the stray. The check digits choose among them.
std::vector<std::string> lengthCandidates(const std::string& line, std::size_t n) {
    std::vector<std::string> out{defaultLength(line, n)};
    if (line.size() == n) return out;
    std::set<std::string> seen{out.front()};
    auto add = [&](std::string s) {
        if (s.size() == n && seen.insert(s).second) out.push_back(std::move(s));
    };
    if (line.size() < n) {
        const std::size_t k = n - line.size();
        for (const Run& run : fillerRuns(line)) add(std::string(line).insert(run.begin, k, '<'));
        add(line + std::string(k, '<'));
        add(std::string(k, '<') + line);
    } else {
        const std::size_t k = line.size() - n;
        for (const Run& run : fillerRuns(line))
            if (run.length >= k) add(std::string(line).erase(run.begin, k));
        add(line.substr(0, n));
        add(line.substr(k));
        if (k == 1)
            for (std::size_t i = 0; i < line.size(); ++i) add(std::string(line).erase(i, 1));
    }
    return out;
}

constexpr std::size_t kMaxLengthError = 3;
// The name line has no check digit and ends in a run of fillers that OCR
// often cuts short by more than a few: up to this many are restored.
constexpr std::size_t kMaxNamePadding = 12;

// A name line (no check digit) that is `n - line.size()` characters short
// but ends in fillers: its padding, made whole. nullopt when not such a line.
std::optional<std::string> paddedNameLine(const std::string& line, std::size_t n) {
    if (line.size() >= n || line.size() + kMaxNamePadding < n || !line.ends_with("<<"))
        return std::nullopt;
    return line + std::string(n - line.size(), '<');
}

}  // namespace

std::string_view formatName(Format format) {
    switch (format) {
        case Format::TD1:
            return "TD1";
        case Format::TD2:
            return "TD2";
        case Format::TD3:
            return "TD3";
        case Format::MRVA:
            return "MRV-A";
        case Format::MRVB:
            return "MRV-B";
    }
    return "";
}

char checkDigit(std::string_view data) {
    static constexpr int kWeights[] = {7, 3, 1};
    int sum = 0;
    for (std::size_t i = 0; i < data.size(); ++i) sum += charValue(data[i]) * kWeights[i % 3];
    return static_cast<char>('0' + sum % 10);
}

std::optional<Mrz> parse(std::string_view text, std::chrono::year_month_day reference) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        lines.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return parse(std::span<const std::string>(lines), reference);
}

std::optional<Mrz> parse(std::span<const std::string> input,
                         std::chrono::year_month_day reference) {
    std::vector<Repair> cleaning;
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < input.size(); ++i) {
        std::vector<Repair> lineRepairs;
        std::string line = cleanLine(input[i], i + 1, lineRepairs);
        // Short fragments are noise around the band, not MRZ lines.
        if (line.size() < 20 || withoutSpaces(line).size() < 10) continue;
        lines.push_back(std::move(line));
        cleaning.insert(cleaning.end(), lineRepairs.begin(), lineRepairs.end());
    }
    auto near = [&](std::size_t index, std::size_t n) {
        return distance(nearestLength(lines[index], n), n) <= kMaxLengthError;
    };
    // Three lines of about 30 are TD1; otherwise the last two lines.
    if (lines.size() >= 3 && near(lines.size() - 1, 30) && near(lines.size() - 2, 30) &&
        near(lines.size() - 3, 30)) {
        lines.erase(lines.begin(), lines.end() - 3);
    } else if (lines.size() >= 2) {
        lines.erase(lines.begin(), lines.end() - 2);
    } else {
        return std::nullopt;
    }

    Format format = Format::TD1;
    if (lines.size() == 2) {
        // The second line has the check digits and is rarely cut short: its
        // length decides when it is near one; otherwise both lines do.
        const std::size_t total = nearestLength(lines[0], 44) + nearestLength(lines[1], 44);
        bool wide = distance(total, 88) < distance(total, 72);
        if (distance(nearestLength(lines[1], 44), 44) <= kMaxLengthError)
            wide = true;
        else if (distance(nearestLength(lines[1], 36), 36) <= kMaxLengthError)
            wide = false;
        const bool visa = withoutSpaces(lines[0]).front() == 'V';
        format = wide ? (visa ? Format::MRVA : Format::TD3) : (visa ? Format::MRVB : Format::TD2);
    }
    const Layout layout = layoutFor(format);
    const std::size_t n = layout.lineLength;

    // Per line, the candidate fixes of its spaces and length, the most likely
    // first. A space is '<' read as a space or a space OCR put between
    // characters; the reading that brings the line nearer its length comes
    // first (on a tie, dropping them: OCR inserts spaces more often than it
    // loses fillers). Only lines with check digits can choose among the
    // candidates; the name line takes the first.
    struct Candidate {
        std::string spaced;  // the line with its spaces resolved
        std::string line;    // and then its length
    };
    std::vector<std::vector<Candidate>> candidates;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::vector<std::string> readings{lines[i]};
        if (lines[i].find(' ') != std::string::npos) {
            readings = {withoutSpaces(lines[i]), spacesAsFillers(lines[i])};
            if (distance(readings[1].size(), n) < distance(readings[0].size(), n))
                std::swap(readings[0], readings[1]);
        }
        const bool checked = format == Format::TD1 ? i < 2 : i == 1;
        if (distance(readings[0].size(), n) > kMaxLengthError) {
            const auto padded = checked ? std::nullopt : paddedNameLine(readings[0], n);
            if (!padded) return std::nullopt;
            candidates.push_back({{readings[0], *padded}});
            continue;
        }
        std::vector<Candidate> options;
        std::set<std::string> seen;
        for (const std::string& reading : readings) {
            if (distance(reading.size(), n) > kMaxLengthError) continue;
            for (std::string& line : lengthCandidates(reading, n))
                if (seen.insert(line).second) options.push_back({reading, std::move(line)});
        }
        if (!checked) options.resize(1);
        candidates.push_back(std::move(options));
    }

    auto analyze = [&](const std::vector<std::size_t>& choice) {
        Lines chosen;
        std::vector<Repair> repairs = cleaning;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const Candidate& candidate = candidates[i][choice[i]];
            const std::string name = "line " + std::to_string(i + 1);
            if (candidate.spaced != lines[i])
                repairs.push_back({name, lines[i], candidate.spaced, "text.space"});
            if (candidate.line != candidate.spaced)
                repairs.push_back({name, candidate.spaced, candidate.line, "line.length"});
            chosen.push_back(candidate.line);
        }
        Mrz mrz = Analyzer(layout, std::move(chosen), reference).run();
        repairs.insert(repairs.end(), mrz.repairs.begin(), mrz.repairs.end());
        mrz.repairs = std::move(repairs);
        return mrz;
    };

    std::vector<std::size_t> choice(lines.size(), 0);
    Mrz best = analyze(choice);
    if (best.valid) return best;

    // The default length fix did not verify: try every combination of the
    // others (a few dozen at most) and keep the verified ones. Fields without
    // a check digit must at least be well formed here: deleting the sex
    // letter also realigns a line with one character too many.
    std::vector<Mrz> verified;
    std::set<Lines> distinct;
    while (true) {
        std::size_t i = 0;
        while (i < choice.size() && ++choice[i] == candidates[i].size()) choice[i++] = 0;
        if (i == choice.size()) break;
        Mrz mrz = analyze(choice);
        const bool wellFormed = !mrz.sex.empty() && mrz.birthDate && mrz.expiryDate;
        if (mrz.valid && wellFormed && distinct.insert(mrz.lines).second)
            verified.push_back(std::move(mrz));
    }
    if (verified.size() == 1) return std::move(verified.front());
    if (verified.size() > 1) {
        best.ambiguous = true;
        best.valid = false;
    }
    return best;
}

nlohmann::json toJson(const Mrz& mrz) {
    auto orNull = [](const std::string& s) {
        return s.empty() ? nlohmann::json() : nlohmann::json(s);
    };
    auto optional = [](const std::optional<std::string>& s) {
        return s ? nlohmann::json(*s) : nlohmann::json();
    };
    nlohmann::json checks{{"document_number", mrz.checks.documentNumber},
                          {"birth_date", mrz.checks.birthDate},
                          {"expiry_date", mrz.checks.expiryDate}};
    if (mrz.checks.personalNumber) checks["personal_number"] = *mrz.checks.personalNumber;
    if (mrz.checks.composite) checks["composite"] = *mrz.checks.composite;
    return {{"format", std::string(formatName(mrz.format))},
            {"lines", mrz.lines},
            {"document_number", orNull(mrz.documentNumber)},
            {"issuing_country", orNull(mrz.issuingCountry)},
            {"nationality", orNull(mrz.nationality)},
            {"surname", orNull(mrz.surname)},
            {"given_names", orNull(mrz.givenNames)},
            {"birth_date", optional(mrz.birthDate)},
            {"sex", orNull(mrz.sex)},
            {"expiry_date", optional(mrz.expiryDate)},
            {"personal_number", orNull(mrz.personalNumber)},
            {"checks", std::move(checks)},
            {"valid", mrz.valid},
            {"ambiguous", mrz.ambiguous}};
}

}  // namespace saksi::mrz
