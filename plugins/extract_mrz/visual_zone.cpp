#include "visual_zone.hpp"

#include "mrz_band.hpp"

#include <array>
#include <cctype>
#include <cstdio>
#include <optional>
#include <regex>
#include <set>
#include <vector>

namespace saksi::mrz {
namespace {

struct Token {
    std::size_t begin, end;
};

bool isAlnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// Alphanumeric tokens of the text outside MRZ-like lines.
std::vector<Token> tokensOutsideMrz(std::string_view text) {
    std::vector<Token> tokens;
    for (std::size_t begin = 0; begin < text.size();) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string_view::npos) end = text.size();
        // A misread MRZ line may be too long or carry stray symbols; its
        // "<<" still gives it away, and printed fields never have one.
        const std::string_view line = text.substr(begin, end - begin);
        if (!looksLikeMrzLine(line) && line.find("<<") == std::string_view::npos) {
            for (std::size_t i = begin; i < end;) {
                if (!isAlnum(text[i])) {
                    ++i;
                    continue;
                }
                std::size_t j = i;
                while (j < end && isAlnum(text[j])) ++j;
                tokens.push_back({i, j});
                i = j;
            }
        }
        begin = end + 1;
    }
    return tokens;
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

// Same length and at most one differing character.
bool nearlyEqual(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    int diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff += a[i] != b[i];
    return diff <= 1;
}

// The words of `name` appear, in order, as consecutive tokens.
bool nameFound(std::string_view text, const std::vector<Token>& tokens, const std::string& name) {
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < name.size();) {
        const std::size_t j = std::min(name.find(' ', i), name.size());
        if (j > i) parts.push_back(name.substr(i, j - i));
        i = j + 1;
    }
    if (parts.empty()) return false;
    for (std::size_t t = 0; t + parts.size() <= tokens.size(); ++t) {
        bool all = true;
        for (std::size_t p = 0; p < parts.size() && all; ++p)
            all = upper(text.substr(tokens[t + p].begin,
                                    tokens[t + p].end - tokens[t + p].begin)) == parts[p];
        if (all) return true;
    }
    return false;
}

// The bytes of the one character before `pos` (a UTF-8 sequence counts as
// one), when it is a symbol: neither alphanumeric nor a space.
std::size_t symbolBefore(std::string_view text, std::size_t pos) {
    if (pos == 0) return 0;
    std::size_t begin = pos - 1;
    while (begin > 0 && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) --begin;
    const unsigned char c = static_cast<unsigned char>(text[begin]);
    if (pos - begin > 4 || std::isspace(c) || isAlnum(text[begin])) return 0;
    return pos - begin;
}

std::size_t symbolAfter(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return 0;
    const unsigned char c = static_cast<unsigned char>(text[pos]);
    if (std::isspace(c) || isAlnum(text[pos])) return 0;
    std::size_t end = pos + 1;
    if (c >= 0x80)
        while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    return end - pos;
}

// The printed number whose first or last character OCR read as a symbol
// ("€42718777" for C42718777): a token equal to the rest of the number with
// a symbol right before (or after) it. Written to `out`, which then spans
// the symbol too; nullptr when there is none.
const Token* withMisreadGlyph(std::string_view text, const std::vector<Token>& tokens,
                              const std::string& number, Token& out) {
    if (number.size() < 6) return nullptr;
    const std::string head = number.substr(1), tail = number.substr(0, number.size() - 1);
    for (const Token& t : tokens) {
        const std::string token = upper(text.substr(t.begin, t.end - t.begin));
        if (token == head)
            if (const std::size_t n = symbolBefore(text, t.begin)) {
                out = {t.begin - n, t.end};
                return &out;
            }
        if (token == tail)
            if (const std::size_t n = symbolAfter(text, t.end)) {
                out = {t.begin, t.end + n};
                return &out;
            }
    }
    return nullptr;
}

int monthOf(const std::string& abbreviation) {
    // English, then the Indonesian forms that differ (Mei, Agu/Agt, Okt, Des).
    static const std::array<std::pair<const char*, int>, 17> months = {{{"JAN", 1},
                                                                        {"FEB", 2},
                                                                        {"MAR", 3},
                                                                        {"APR", 4},
                                                                        {"MAY", 5},
                                                                        {"MEI", 5},
                                                                        {"JUN", 6},
                                                                        {"JUL", 7},
                                                                        {"AUG", 8},
                                                                        {"AGU", 8},
                                                                        {"AGT", 8},
                                                                        {"SEP", 9},
                                                                        {"OCT", 10},
                                                                        {"OKT", 10},
                                                                        {"NOV", 11},
                                                                        {"DEC", 12},
                                                                        {"DES", 12}}};
    for (const auto& [name, number] : months)
        if (abbreviation == name) return number;
    return 0;
}

std::set<std::string> printedDates(std::string_view text) {
    static const std::regex date(R"((\d{1,2})\s+([A-Za-z]{3})(?:/[A-Za-z]{3})?\s+(\d{4}))");
    std::set<std::string> dates;
    const std::string s(text);
    for (auto it = std::sregex_iterator(s.begin(), s.end(), date); it != std::sregex_iterator();
         ++it) {
        const int day = std::stoi((*it)[1].str());
        const int month = monthOf(upper((*it)[2].str()));
        if (month == 0 || day < 1 || day > 31) continue;
        char iso[16];
        std::snprintf(iso, sizeof iso, "%s-%02d-%02d", (*it)[3].str().c_str(), month, day);
        dates.insert(iso);
    }
    return dates;
}

// "NURKAISYAH" for NUR<AISYAH: a name word that is two printed words joined
// by one stray letter standing for the '<' between them, split there. Only
// when exactly one such split exists.
std::optional<std::string> splitAtStray(const std::string& word,
                                        const std::set<std::string>& printed,
                                        std::string_view stray) {
    std::optional<std::string> found;
    for (std::size_t i = 2; i + 2 < word.size(); ++i) {
        if (stray.find(word[i]) == std::string_view::npos) continue;
        const std::string left = word.substr(0, i), right = word.substr(i + 1);
        if (!printed.count(left) || !printed.count(right)) continue;
        if (found) return std::nullopt;
        found = left + " " + right;
    }
    return found;
}

// A name word absent from the printed text, as the printed word (or two)
// it becomes once stray letters are dropped: one at its end or start, one
// between two words, or one at an end and one between. nullopt when none.
std::optional<std::string> settleWord(const std::string& word,
                                      const std::set<std::string>& printed) {
    constexpr std::string_view stray = "KXCES";
    std::vector<std::string> trimmed;
    if (stray.find(word.back()) != std::string_view::npos)
        trimmed.push_back(word.substr(0, word.size() - 1));
    if (stray.find(word.front()) != std::string_view::npos) trimmed.push_back(word.substr(1));
    for (const std::string& w : trimmed)
        if (printed.count(w)) return w;
    if (auto split = splitAtStray(word, printed, stray)) return split;
    for (const std::string& w : trimmed)
        if (auto split = splitAtStray(w, printed, stray)) return split;
    return std::nullopt;
}

}  // namespace

VisualZone crossCheck(std::string_view pageText, const Mrz& mrz) {
    VisualZone zone;
    const auto tokens = tokensOutsideMrz(pageText);
    const std::string number = mrz.documentNumber;
    if (!number.empty()) {
        const Token* nearMatch = nullptr;
        Token extended{};
        for (const Token& t : tokens) {
            const std::string token = upper(pageText.substr(t.begin, t.end - t.begin));
            if (token == number) {
                zone.numberMatches = true;
                nearMatch = &t;
                break;
            }
            if (!nearMatch && nearlyEqual(token, number)) nearMatch = &t;
        }
        if (!nearMatch) nearMatch = withMisreadGlyph(pageText, tokens, number, extended);
        if (nearMatch) {
            zone.documentNumber =
                std::string(pageText.substr(nearMatch->begin, nearMatch->end - nearMatch->begin));
            zone.numberBegin = nearMatch->begin;
            zone.numberEnd = nearMatch->end;
        }
    }
    zone.surname = nameFound(pageText, tokens, mrz.surname);
    zone.givenNames = nameFound(pageText, tokens, mrz.givenNames);
    const auto dates = printedDates(pageText);
    if (mrz.birthDate && dates.count(*mrz.birthDate)) zone.birthDate = mrz.birthDate;
    if (mrz.expiryDate && dates.count(*mrz.expiryDate)) zone.expiryDate = mrz.expiryDate;
    return zone;
}

bool reconcileNames(Mrz& mrz, std::string_view pageText) {
    const auto tokens = tokensOutsideMrz(pageText);
    std::set<std::string> printed;
    for (const Token& t : tokens) printed.insert(upper(pageText.substr(t.begin, t.end - t.begin)));
    auto fixName = [&](std::string& name) {
        std::string out;
        bool changed = false;
        for (std::size_t i = 0; i < name.size();) {
            const std::size_t j = std::min(name.find(' ', i), name.size());
            std::string word = name.substr(i, j - i);
            if (!word.empty() && !printed.count(word) && word.size() > 2)
                if (auto settled = settleWord(word, printed)) word = *settled, changed = true;
            if (!word.empty()) out += (out.empty() ? "" : " ") + word;
            i = j + 1;
        }
        if (changed) name = out;
        return changed;
    };
    const std::string before = mrz.surname + "<<" + mrz.givenNames;
    const bool surnameChanged = fixName(mrz.surname);
    const bool givenChanged = fixName(mrz.givenNames);
    const bool changed = surnameChanged || givenChanged;
    if (!changed || mrz.lines.empty()) return changed;
    // The name field: TD1 line 3 whole; otherwise line 1 from position 5.
    const bool td1 = mrz.format == Format::TD1 && mrz.lines.size() == 3;
    std::string& line = mrz.lines[td1 ? 2 : 0];
    const std::size_t start = td1 ? 0 : 5;
    std::string field = mrz.surname + "<<" + mrz.givenNames;
    for (char& c : field)
        if (c == ' ') c = '<';
    if (start < line.size()) {
        field.resize(line.size() - start, '<');
        line = line.substr(0, start) + field;
    }
    mrz.repairs.push_back(
        {"surname/given_names", before, mrz.surname + "<<" + mrz.givenNames, "name.visual_zone"});
    return true;
}

nlohmann::json VisualZone::toJson() const {
    auto orNull = [](const std::optional<std::string>& v) {
        return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    return {{"document_number", orNull(documentNumber)},
            {"birth_date", orNull(birthDate)},
            {"expiry_date", orNull(expiryDate)},
            {"matches_mrz",
             {{"document_number", numberMatches},
              {"surname", surname},
              {"given_names", givenNames},
              {"birth_date", birthDate.has_value()},
              {"expiry_date", expiryDate.has_value()}}}};
}

}  // namespace saksi::mrz
