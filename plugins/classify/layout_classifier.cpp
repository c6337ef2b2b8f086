#include "layout_classifier.hpp"

#include <saksi/sdk/page_words.hpp>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <utility>
#include <vector>

namespace saksi::classify {
namespace {

constexpr double kStrongContractWeight = 0.3;
constexpr double kWeakContractWeight = 0.1;
constexpr double kLabelWeight = 0.1;    // per passport or identity-card label
constexpr double kMaxLabelScore = 0.4;  // labels alone never decide a kind
constexpr double kOneMrzLine = 0.6;     // a single MRZ-like line
constexpr double kMrzBlock = 0.85;      // two or three consecutive ones
constexpr double kChatTimes = 0.45;     // at full strength from kChatTimeLines lines
constexpr int kChatTimeLines = 5;
constexpr double kChatAspect = 0.2;  // a phone screen: taller than 1.7 x its width
constexpr double kChatHeader = 0.15;
constexpr double kChatSides = 0.2;      // lines starting both at the left and further right
constexpr std::size_t kShortLine = 50;  // bytes; chat bubbles wrap early

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool isWordChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// `term` (lower case) as whole words in `text` (lower case).
bool containsTerm(std::string_view text, std::string_view term) {
    for (std::size_t at = text.find(term); at != std::string_view::npos;
         at = text.find(term, at + 1)) {
        const bool startOk = at == 0 || !isWordChar(text[at - 1]) || !isWordChar(term.front());
        const std::size_t end = at + term.size();
        const bool endOk = end == text.size() || !isWordChar(text[end]) || !isWordChar(term.back());
        if (startOk && endOk) return true;
    }
    return false;
}

int countTerms(std::string_view text, const std::vector<std::string>& terms) {
    return static_cast<int>(std::count_if(
        terms.begin(), terms.end(), [&](const std::string& t) { return containsTerm(text, t); }));
}

struct Line {
    std::size_t begin, end;  // in the page text
};

std::vector<Line> splitLines(const std::string& text) {
    std::vector<Line> lines;
    std::size_t begin = 0;
    while (begin <= text.size()) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos) end = text.size();
        bool blank = true;
        for (std::size_t i = begin; i < end; ++i)
            if (!std::isspace(static_cast<unsigned char>(text[i]))) blank = false;
        if (!blank) lines.push_back({begin, end});
        begin = end + 1;
    }
    return lines;
}

// "09:41", "9:41", "21:05" standing alone (not inside a longer number).
bool hasClockTime(std::string_view line) {
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    for (std::size_t i = 1; i + 2 < line.size(); ++i) {
        if (line[i] != ':' || !digit(line[i - 1]) || !digit(line[i + 1]) || !digit(line[i + 2]))
            continue;
        if (i + 3 < line.size() && digit(line[i + 3])) continue;
        std::size_t start = i - 1;
        if (start > 0 && digit(line[start - 1])) --start;
        if (start > 0 && digit(line[start - 1])) continue;
        const int hour = std::stoi(std::string(line.substr(start, i - start)));
        const int minute = (line[i + 1] - '0') * 10 + (line[i + 2] - '0');
        if (hour < 24 && minute < 60) return true;
    }
    return false;
}

// Passport or identity card from the MRZ-like lines; TD3 (44) is a
// passport, TD1 (30) a card, TD2 (36) by its document code.
void scoreMrz(const std::vector<std::string>& lines, KindScores& scores) {
    std::size_t best = 0, bestAt = 0;
    for (std::size_t i = 0; i < lines.size();) {
        if (!looksLikeMrzLine(lines[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < lines.size() && looksLikeMrzLine(lines[j])) ++j;
        if (j - i > best) best = j - i, bestAt = i;
        i = j;
    }
    if (best == 0) return;
    std::string first;
    for (char c : lines[bestAt])
        if (c != ' ') first += c;
    const double strength = best >= 2 ? kMrzBlock : kOneMrzLine;
    const bool card =
        best >= 3 || first.size() <= 32 || (first.size() <= 38 && best >= 2 && first[0] != 'P');
    (card ? scores.idCard : scores.passport) = strength;
}

double chatScore(const sdk::PageWords& page, const nlohmann::json& json,
                 const std::string& lowerText, const ClassifyConfig& config) {
    const std::string& text = page.text();
    const auto lines = splitLines(text);
    if (lines.empty()) return 0;
    int timed = 0, shortLines = 0, left = 0, right = 0;
    const double width = json.value("width", 0.0), height = json.value("height", 0.0);
    for (const Line& line : lines) {
        const std::string_view view(text.data() + line.begin, line.end - line.begin);
        if (hasClockTime(view)) ++timed;
        if (view.size() <= kShortLine) ++shortLines;
        const saksi_box box = page.boxOf(line.begin, line.end);
        if (width <= 0 || box.x1 <= box.x0) continue;
        if (box.x0 < 0.15 * width)
            ++left;
        else if (box.x0 > 0.25 * width)
            ++right;
    }
    double score = kChatTimes * std::min(1.0, double(timed) / kChatTimeLines);
    if (2 * shortLines < static_cast<int>(lines.size())) score /= 2;  // prose with a few times
    if (width > 0 && height > 1.7 * width) score += kChatAspect;
    if (countTerms(lowerText, config.chatTerms) > 0) score += kChatHeader;
    if (left >= 2 && right >= 2 && timed >= 2) score += kChatSides;
    return std::min(1.0, score);
}

}  // namespace

bool looksLikeMrzLine(std::string_view line) {
    std::size_t length = 0, good = 0, fillers = 0;
    for (char c : line) {
        if (c == ' ') continue;
        ++length;
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<') ++good;
        if (c == '<') ++fillers;
    }
    return length >= 28 && length <= 46 && good * 10 >= length * 9 && fillers >= 2;
}

KindScores scoreRecord(const nlohmann::json& record, const ClassifyConfig& config) {
    KindScores scores;
    const nlohmann::json pages = record.value("pages", nlohmann::json::array());
    std::string allText;
    std::vector<std::string> allLines;
    for (const auto& page : pages) {
        const std::string text = page.value("text", std::string());
        allText += text;
        allText += '\n';
        for (const Line& line : splitLines(text))
            allLines.push_back(text.substr(line.begin, line.end - line.begin));
    }
    const std::string lowerText = lower(allText);

    scoreMrz(allLines, scores);
    scores.passport = std::min(
        1.0,
        scores.passport +
            std::min(kMaxLabelScore, kLabelWeight * countTerms(lowerText, config.passportTerms)));
    scores.idCard = std::min(
        1.0, scores.idCard + std::min(kMaxLabelScore,
                                      kLabelWeight * countTerms(lowerText, config.idCardTerms)));
    scores.contract =
        std::min(1.0, kStrongContractWeight * countTerms(lowerText, config.contractStrongTerms) +
                          kWeakContractWeight * countTerms(lowerText, config.contractWeakTerms));
    for (const auto& page : pages) {
        const std::string pageLower = lower(page.value("text", std::string()));
        scores.chat = std::max(scores.chat,
                               chatScore(sdk::PageWords::fromJson(page), page, pageLower, config));
    }
    return scores;
}

Classification decide(const KindScores& scores, const ClassifyConfig& config) {
    std::array<std::pair<double, std::string_view>, 4> ranked = {
        std::pair{scores.passport, kKinds[0]}, std::pair{scores.idCard, kKinds[1]},
        std::pair{scores.contract, kKinds[2]}, std::pair{scores.chat, kKinds[3]}};
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    const double best = ranked[0].first, second = ranked[1].first;
    if (best >= config.minScore && best - second >= config.minMargin)
        return {std::string(ranked[0].second), std::min(0.99, best), scores};
    // Nothing clear. Confident in "other" only when no kind had much evidence.
    const double confidence = best >= config.minScore ? 0.2 : std::clamp(0.9 - best, 0.2, 0.7);
    return {"other", confidence, scores};
}

}  // namespace saksi::classify
