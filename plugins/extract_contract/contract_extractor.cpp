#include "contract_extractor.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <string_view>

namespace saksi::contract {
namespace {

using nlohmann::json;

constexpr std::size_t kLookBehind = 160;  // bytes before an amount searched for its cue
constexpr std::size_t kLookAhead = 120;   // bytes after an amount searched for its period

struct Range {
    std::size_t begin = 0, end = 0;
};

struct Clause {
    uint32_t page = 0;
    Range span;
    std::string title;  // the heading line, when the clause has one
    std::string type;
    json indicators = json::array();
};

bool isSpace(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// Whitespace runs become one space; OCR debris and punctuation at either end go.
std::string tidy(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (isSpace(c)) {
            if (!out.empty() && out.back() != ' ') out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    const std::string_view junk = " |~.,;:-_";
    const auto first = out.find_first_not_of(junk);
    if (first == std::string::npos) return {};
    auto last = out.find_last_not_of(junk);
    // Keep the full stop of an abbreviation such as "Co., Ltd." or "Tbk.".
    if (last + 1 < out.size() && out[last + 1] == '.' && last >= 2 &&
        std::isalpha(static_cast<unsigned char>(out[last])) &&
        (out.compare(last - 2, 3, "Ltd") == 0 || out.compare(last - 2, 3, "Tbk") == 0 ||
         out.compare(last - 2, 3, "Inc") == 0))
        ++last;
    return out.substr(first, last - first + 1);
}

Range trimmed(const std::string& text, Range r) {
    while (r.begin < r.end && isSpace(text[r.begin])) ++r.begin;
    while (r.end > r.begin && isSpace(text[r.end - 1])) --r.end;
    return r;
}

// An amount as a JSON integer when it is one (1200, not 1200.0).
json amountJson(double amount) {
    const double whole = std::round(amount);
    if (whole == amount && std::abs(whole) < 9e15) return static_cast<int64_t>(whole);
    return amount;
}

json where(uint32_t page, Range r) {
    return {{"page", page}, {"span", {r.begin, r.end}}};
}

// A full stop that ends a sentence: followed by white space (or the end) and
// not after a short abbreviation such as "No.", "Jl." or "Kab.".
bool endsSentence(const std::string& text, std::size_t dot) {
    if (text[dot] != '.') return false;
    if (dot + 1 < text.size() && !isSpace(text[dot + 1])) return false;
    std::size_t wordBegin = dot;
    while (wordBegin > 0 && std::isalnum(static_cast<unsigned char>(text[wordBegin - 1])))
        --wordBegin;
    const std::size_t length = dot - wordBegin;
    const bool digits =
        length > 0 && std::all_of(text.begin() + static_cast<std::ptrdiff_t>(wordBegin),
                                  text.begin() + static_cast<std::ptrdiff_t>(dot), [](char c) {
                                      return std::isdigit(static_cast<unsigned char>(c));
                                  });
    return length >= 4 || digits;
}

Range sentenceAround(const std::string& text, std::size_t begin, std::size_t end) {
    Range r{begin, end};
    // A sentence may run over line breaks, but not over a blank line.
    while (r.begin > 0 && !endsSentence(text, r.begin - 1) &&
           !(r.begin >= 2 && text[r.begin - 1] == '\n' && text[r.begin - 2] == '\n'))
        --r.begin;
    while (r.end < text.size() && !endsSentence(text, r.end)) ++r.end;
    if (r.end < text.size()) ++r.end;  // the full stop
    return trimmed(text, r);
}

// The first field value matched, pattern by pattern, page by page.
std::optional<std::pair<std::string, json>> findField(const std::vector<PageText>& pages,
                                                      const ContractRules& rules,
                                                      const std::string& field) {
    const auto it = rules.fields.find(field);
    if (it == rules.fields.end()) return std::nullopt;
    for (const auto& pattern : it->second) {
        for (const auto& page : pages) {
            for (auto m = std::sregex_iterator(page.text.begin(), page.text.end(), pattern);
                 m != std::sregex_iterator(); ++m) {
                const auto& group = (*m)[1];
                if (!group.matched) continue;
                const std::string value = tidy(group.str());
                if (value.empty()) continue;
                const auto begin = static_cast<std::size_t>(group.first - page.text.begin());
                const Range r =
                    trimmed(page.text, {begin, begin + static_cast<std::size_t>(group.length())});
                return std::make_pair(value, where(page.number, r));
            }
        }
    }
    return std::nullopt;
}

json durationOf(const std::string& text, const ContractRules& rules) {
    json out = {{"text", text}, {"months", nullptr}};
    std::size_t i = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == 0) return out;
    const int count = std::stoi(text.substr(0, i));
    std::size_t unitBegin = text.find_last_of(" )");
    unitBegin = unitBegin == std::string::npos ? i : unitBegin + 1;
    std::string unit = text.substr(unitBegin);
    std::transform(unit.begin(), unit.end(), unit.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (const auto it = rules.unitMonths.find(unit); it != rules.unitMonths.end())
        out["months"] = count * it->second;
    return out;
}

// The last match of `pattern` in [from, to) of the text, as its begin, or npos.
std::size_t lastMatch(const std::string& text, std::size_t from, std::size_t to,
                      const std::regex& pattern) {
    std::size_t last = std::string::npos;
    const auto first = text.begin() + static_cast<std::ptrdiff_t>(from);
    const auto stop = text.begin() + static_cast<std::ptrdiff_t>(to);
    for (auto m = std::sregex_iterator(first, stop, pattern); m != std::sregex_iterator(); ++m)
        last = from + static_cast<std::size_t>(m->position(0));
    return last;
}

bool found(const std::string& text, Range r, const std::regex& pattern) {
    return std::regex_search(text.begin() + static_cast<std::ptrdiff_t>(r.begin),
                             text.begin() + static_cast<std::ptrdiff_t>(r.end), pattern);
}

// The clauses of one page: each "Pasal N" / "Article N" heading up to the next
// (or to the closing formula); nothing when the page has no headings.
std::vector<Clause> headedClauses(const PageText& page, const ContractRules& rules) {
    const std::string& text = page.text;
    std::vector<std::size_t> starts;
    for (auto m = std::sregex_iterator(text.begin(), text.end(), rules.clauseHeading);
         m != std::sregex_iterator(); ++m) {
        std::size_t at = static_cast<std::size_t>(m->position(0));
        while (at < text.size() && isSpace(text[at])) ++at;
        starts.push_back(at);
    }
    std::vector<Clause> clauses;
    for (std::size_t i = 0; i < starts.size(); ++i) {
        std::size_t end = i + 1 < starts.size() ? starts[i + 1] : text.size();
        std::smatch closing;
        if (std::regex_search(text.begin() + static_cast<std::ptrdiff_t>(starts[i]),
                              text.begin() + static_cast<std::ptrdiff_t>(end), closing,
                              rules.clauseEnd))
            end = starts[i] + static_cast<std::size_t>(closing.position(0));
        Clause clause;
        clause.page = page.number;
        clause.span = trimmed(text, {starts[i], end});
        const std::size_t lineEnd = std::min(text.find('\n', starts[i]), clause.span.end);
        clause.title = tidy(std::string_view(text).substr(starts[i], lineEnd - starts[i]));
        clause.type = "other";
        for (const auto& t : rules.clauseTypes)
            if (std::regex_search(clause.title, t.pattern)) {
                clause.type = t.name;
                break;
            }
        clauses.push_back(std::move(clause));
    }
    return clauses;
}

// Every indicator match in [r.begin, r.end) of the text, in text order.
std::vector<std::pair<Range, const IndicatorRule*>> indicatorsIn(const std::string& text, Range r,
                                                                 const ContractRules& rules) {
    std::vector<std::pair<Range, const IndicatorRule*>> out;
    const auto first = text.begin() + static_cast<std::ptrdiff_t>(r.begin);
    const auto stop = text.begin() + static_cast<std::ptrdiff_t>(r.end);
    for (const auto& rule : rules.indicators) {
        for (const auto& pattern : rule.patterns) {
            std::smatch m;
            if (!std::regex_search(first, stop, m, pattern)) continue;
            const std::size_t at = r.begin + static_cast<std::size_t>(m.position(0));
            out.push_back({{at, at + static_cast<std::size_t>(m.length(0))}, &rule});
            break;  // one match per rule and clause is enough
        }
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.first.begin < b.first.begin; });
    return out;
}

void flag(Clause& clause, const std::vector<std::pair<Range, const IndicatorRule*>>& hits) {
    for (const auto& [range, rule] : hits)
        clause.indicators.push_back({{"type", rule->type},
                                     {"indicator", rule->indicator},
                                     {"span", {range.begin, range.end}}});
}

std::vector<Clause> findClauses(const std::vector<PageText>& pages, const ContractRules& rules) {
    std::vector<Clause> all;
    for (const auto& page : pages) {
        auto clauses = headedClauses(page, rules);
        for (auto& clause : clauses) flag(clause, indicatorsIn(page.text, clause.span, rules));
        // Indicators outside any headed clause stand as their own sentence.
        std::vector<Clause> loose;
        for (const auto& rule : rules.indicators)
            for (const auto& pattern : rule.patterns)
                for (auto m = std::sregex_iterator(page.text.begin(), page.text.end(), pattern);
                     m != std::sregex_iterator(); ++m) {
                    const std::size_t at = static_cast<std::size_t>(m->position(0));
                    const Range hit{at, at + static_cast<std::size_t>(m->length(0))};
                    const auto inside = [&](const Clause& c) {
                        return c.span.begin <= hit.begin && hit.begin < c.span.end;
                    };
                    if (std::any_of(clauses.begin(), clauses.end(), inside)) continue;
                    const Range sentence = sentenceAround(page.text, hit.begin, hit.end);
                    auto same = std::find_if(loose.begin(), loose.end(), [&](const Clause& c) {
                        return c.span.begin == sentence.begin;
                    });
                    if (same == loose.end()) {
                        Clause c;
                        c.page = page.number;
                        c.span = sentence;
                        c.type = "other";
                        loose.push_back(std::move(c));
                        same = std::prev(loose.end());
                    }
                    const bool known =
                        std::any_of(same->indicators.begin(), same->indicators.end(),
                                    [&](const json& i) { return i.at("type") == rule.type; });
                    if (!known)
                        same->indicators.push_back({{"type", rule.type},
                                                    {"indicator", rule.indicator},
                                                    {"span", {hit.begin, hit.end}}});
                }
        clauses.insert(clauses.end(), loose.begin(), loose.end());
        std::sort(clauses.begin(), clauses.end(),
                  [](const Clause& a, const Clause& b) { return a.span.begin < b.span.begin; });
        all.insert(all.end(), clauses.begin(), clauses.end());
    }
    return all;
}

json clauseJson(const Clause& clause, const std::vector<PageText>& pages) {
    const auto page = std::find_if(pages.begin(), pages.end(),
                                   [&](const PageText& p) { return p.number == clause.page; });
    std::string type = clause.type;
    json indicator = nullptr;
    if (!clause.indicators.empty()) {
        // The first indicator names the clause: "passport_retention" says
        // more to an investigator than the heading's "documents".
        type = clause.indicators.front().at("type").get<std::string>();
        indicator = clause.indicators.front().at("indicator");
    }
    json out = {{"type", type},
                {"text", page->text.substr(clause.span.begin, clause.span.end - clause.span.begin)},
                {"indicator", indicator},
                {"indicators", clause.indicators},
                {"page", clause.page},
                {"span", {clause.span.begin, clause.span.end}}};
    if (!clause.title.empty()) out["title"] = clause.title;
    return out;
}

// Where an amount's cue is searched: its clause, else its paragraph.
Range contextOf(const std::vector<Clause>& clauses, const PageText& page, const Money& m) {
    for (const auto& c : clauses)
        if (c.page == page.number && c.span.begin <= m.begin && m.end <= c.span.end) return c.span;
    const std::size_t from = m.begin > kLookBehind ? m.begin - kLookBehind : 0;
    const std::size_t blank = page.text.rfind("\n\n", m.begin);
    const std::size_t begin = blank != std::string::npos && blank + 2 > from ? blank + 2 : from;
    const std::size_t next = page.text.find("\n\n", m.end);
    const std::size_t end =
        std::min(next == std::string::npos ? page.text.size() : next, m.end + kLookAhead);
    return {begin, end};
}

}  // namespace

std::optional<Money> moneyFromEntity(const json& entity) {
    if (entity.value("type", std::string()) != "money") return std::nullopt;
    const auto normalized = entity.find("normalized");
    if (normalized == entity.end() || !normalized->is_string()) return std::nullopt;
    const std::string value = normalized->get<std::string>();
    const auto space = value.find(' ');
    if (space == std::string::npos) return std::nullopt;
    Money m;
    m.currency = value.substr(0, space);
    try {
        m.amount = std::stod(value.substr(space + 1));
    } catch (const std::exception&) {
        return std::nullopt;
    }
    m.page = entity.value("page", 0u);
    const auto& span = entity.at("span");
    m.begin = span.at(0).get<std::size_t>();
    m.end = span.at(1).get<std::size_t>();
    return m;
}

int countCues(const std::vector<PageText>& pages, const ContractRules& rules) {
    int count = 0;
    for (const auto& cue : rules.cues)
        if (std::any_of(pages.begin(), pages.end(),
                        [&](const PageText& p) { return std::regex_search(p.text, cue); }))
            ++count;
    return count;
}

json extractContract(const std::vector<PageText>& pages, const std::vector<Money>& money,
                     const ContractRules& rules) {
    json contract = {{"employer", nullptr}, {"agency", nullptr},    {"worker", nullptr},
                     {"position", nullptr}, {"workplace", nullptr}, {"salary", nullptr},
                     {"duration", nullptr}, {"fees", nullptr},      {"clauses", json::array()}};
    json evidence = json::object();
    for (const char* field : {"employer", "agency", "worker", "position", "workplace"})
        if (auto value = findField(pages, rules, field)) {
            contract[field] = value->first;
            evidence[field] = value->second;
        }
    if (auto value = findField(pages, rules, "duration")) {
        contract["duration"] = durationOf(value->first, rules);
        evidence["duration"] = value->second;
    }

    const auto clauses = findClauses(pages, rules);
    for (const auto& clause : clauses) contract["clauses"].push_back(clauseJson(clause, pages));

    json fees = json::array();
    for (const auto& m : money) {
        const auto page = std::find_if(pages.begin(), pages.end(),
                                       [&](const PageText& p) { return p.number == m.page; });
        if (page == pages.end() || m.end > page->text.size() || m.begin >= m.end) continue;
        const std::string& text = page->text;
        const Range context = contextOf(clauses, *page, m);
        const std::size_t from =
            std::max(context.begin, m.begin > kLookBehind ? m.begin - kLookBehind : 0);
        // The nearest cue before the amount says what it is.
        const std::size_t salaryAt = lastMatch(text, from, m.begin, rules.salaryCue);
        std::size_t feeAt = std::string::npos;
        std::string kind;
        for (const auto& fee : rules.feeKinds) {
            const std::size_t at = lastMatch(text, from, m.begin, fee.pattern);
            if (at != std::string::npos && (feeAt == std::string::npos || at > feeAt + 8)) {
                feeAt = at;
                kind = fee.name;
            }
        }
        const bool isSalary =
            salaryAt != std::string::npos && (feeAt == std::string::npos || salaryAt > feeAt);
        if (isSalary && contract["salary"].is_null()) {
            json period = nullptr;
            const std::size_t aheadEnd = std::min(text.size(), m.end + kLookAhead);
            const std::string after = text.substr(m.end, aheadEnd - m.end);
            for (const auto& p : rules.periodsAfter)
                if (std::regex_search(after, p.pattern, std::regex_constants::match_continuous)) {
                    period = p.name;
                    break;
                }
            if (period.is_null())
                for (const auto& p : rules.periodsBefore)
                    if (found(text, {context.begin, m.begin}, p.pattern)) {
                        period = p.name;
                        break;
                    }
            contract["salary"] = {{"amount", amountJson(m.amount)},
                                  {"currency", m.currency},
                                  {"period", period},
                                  {"text", text.substr(m.begin, m.end - m.begin)}};
            evidence["salary"] = where(m.page, {m.begin, m.end});
        } else if (!isSalary && feeAt != std::string::npos) {
            json payer = nullptr;
            for (const auto& p : rules.payers)
                if (found(text, context, p.pattern)) {
                    payer = p.name;
                    break;
                }
            fees.push_back({{"text", tidy(std::string_view(text).substr(feeAt, m.end - feeAt))},
                            {"amount", amountJson(m.amount)},
                            {"currency", m.currency},
                            {"payer", payer},
                            {"kind", kind},
                            {"page", m.page},
                            {"span", {feeAt, m.end}}});
        }
    }
    if (!fees.empty()) contract["fees"] = fees;
    contract["evidence"] = evidence;
    return contract;
}

}  // namespace saksi::contract
