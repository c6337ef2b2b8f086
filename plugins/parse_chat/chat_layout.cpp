#include "chat_layout.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <string_view>

namespace saksi::chat {
namespace {

// The header bar (contact name, status) lies about in this top share of the
// page, and a header status line ("last seen today at 09:41") at most in
// the second.
constexpr double kHeaderShare = 0.12;
constexpr double kHeaderMaxShare = 0.2;
// The input bar (placeholder text) lies about in this bottom share of the page.
constexpr double kFooterShare = 0.08;
// A vertical gap wider than this many word heights separates two bubbles.
constexpr double kBubbleGap = 1.1;

struct Line {
    std::vector<const ChatWord*> words;  // left to right
    int y0 = 0, y1 = 0;

    double centre() const { return 0.5 * (y0 + y1); }
    std::string text() const {
        std::string out;
        for (const ChatWord* w : words) {
            if (!out.empty()) out += ' ';
            out += w->text;
        }
        return out;
    }
};

int height(const saksi_box& b) {
    return b.y1 - b.y0;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

int letters(const std::string& s) {
    return static_cast<int>(std::count_if(s.begin(), s.end(), [](unsigned char c) {
        return std::isalpha(c) || c >= 0x80;  // UTF-8 letters count as letters
    }));
}

int digits(const std::string& s) {
    return static_cast<int>(
        std::count_if(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }));
}

// A word that reads as text rather than an icon, avatar letter or tick mark.
bool isTexty(const ChatWord& w) {
    return letters(w.text) + digits(w.text) >= 2 && letters(w.text) >= 1 &&
           (w.conf < 0 || w.conf >= 50.0f);
}

// Delivery ticks and other marks after a time: short, without digits and at
// most one letter (ticks read as "/", "X/", "\u201c/").
bool isMark(const ChatWord& w) {
    const auto asciiLetters = std::count_if(
        w.text.begin(), w.text.end(), [](unsigned char c) { return c < 0x80 && std::isalpha(c); });
    return w.text.size() <= 6 && digits(w.text) == 0 && asciiLetters <= 1;
}

// The delivery ticks right after a time, read as capitals, digits or symbols
// ("Af", "X4", "44", "K&/", "\u00a5"): at most four bytes, about a glyph wide,
// next to the time on its line, and not a lower-case word of the message
// ("jam 10:00 ya").
bool isTickAfterTime(const ChatWord& tick, const ChatWord& time, double wordHeight) {
    if (tick.text.empty() || tick.text.size() > 4 || !timeOfDay(time.text)) return false;
    if (std::all_of(tick.text.begin(), tick.text.end(),
                    [](unsigned char c) { return c < 0x80 && std::islower(c); }))
        return false;
    const int gap = tick.box.x0 - time.box.x1;
    const bool sameLine = tick.box.y0 < time.box.y1 && time.box.y0 < tick.box.y1;
    return sameLine && gap >= -0.2 * wordHeight && gap <= 1.5 * wordHeight &&
           tick.box.x1 - tick.box.x0 <= 2.5 * wordHeight;
}

// Where a line's (or bubble's) words end once trailing marks are dropped.
std::size_t endBeforeMarks(const std::vector<const ChatWord*>& words, double wordHeight) {
    std::size_t end = words.size();
    while (end > 0 && isMark(*words[end - 1])) --end;
    if (end == words.size() && end >= 2 &&
        isTickAfterTime(*words[end - 1], *words[end - 2], wordHeight))
        --end;
    return end;
}

double medianWordHeight(std::span<const ChatWord> words) {
    std::vector<int> heights;
    for (const auto& w : words)
        if (letters(w.text) >= 2) heights.push_back(height(w.box));
    if (heights.empty())
        for (const auto& w : words) heights.push_back(height(w.box));
    if (heights.empty()) return 0.0;
    std::nth_element(heights.begin(), heights.begin() + static_cast<long>(heights.size() / 2),
                     heights.end());
    return heights[heights.size() / 2];
}

// Words grouped into lines by their vertical centres, top to bottom.
std::vector<Line> linesOf(std::span<const ChatWord> words, double wordHeight) {
    std::vector<const ChatWord*> sorted;
    for (const auto& w : words)
        if (!w.text.empty()) sorted.push_back(&w);
    std::sort(sorted.begin(), sorted.end(), [](const ChatWord* a, const ChatWord* b) {
        return a->box.y0 + a->box.y1 < b->box.y0 + b->box.y1;
    });
    std::vector<Line> lines;
    for (const ChatWord* w : sorted) {
        const double centre = 0.5 * (w->box.y0 + w->box.y1);
        if (lines.empty() || std::abs(centre - lines.back().centre()) > 0.5 * wordHeight) {
            lines.push_back({{w}, w->box.y0, w->box.y1});
            continue;
        }
        Line& line = lines.back();
        line.words.push_back(w);
        // Tall icons (an avatar read as a letter) must not stretch the line.
        if (height(w->box) <= 1.6 * wordHeight) {
            line.y0 = std::min(line.y0, w->box.y0);
            line.y1 = std::max(line.y1, w->box.y1);
        }
    }
    for (auto& line : lines)
        std::sort(line.words.begin(), line.words.end(),
                  [](const ChatWord* a, const ChatWord* b) { return a->box.x0 < b->box.x0; });
    return lines;
}

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

// A header line that says how the contact is (online, typing, last seen)
// rather than who it is.
bool isStatusLine(const std::string& lowered) {
    static constexpr std::array<std::string_view, 10> kStatus = {
        "online",  "typing",  "mengetik", "last seen", "terakhir dilihat",
        "members", "anggota", "recently", "baru saja", "klik di sini"};
    return std::any_of(kStatus.begin(), kStatus.end(),
                       [&](std::string_view s) { return contains(lowered, s); });
}

std::optional<std::string> titleOf(const std::vector<Line>& header) {
    for (const Line& line : header) {
        std::string title;
        for (const ChatWord* w : line.words) {
            if (!isTexty(*w) || timeOfDay(w->text)) continue;
            if (!title.empty()) title += ' ';
            title += w->text;
        }
        if (title.empty() || isStatusLine(lower(line.text()))) continue;
        return title;
    }
    return std::nullopt;
}

// The app, from what only one of them writes on screen: the input bar's
// placeholder and the header's status wording.
std::optional<std::string> appOf(const std::vector<Line>& header, const std::vector<Line>& footer) {
    std::string head, foot;
    for (const Line& l : header) head += lower(l.text()) + '\n';
    for (const Line& l : footer) foot += lower(l.text()) + '\n';
    if (contains(foot, "ketik pesan") || contains(foot, "type a message") ||
        contains(head, "whatsapp"))
        return "whatsapp";
    if (contains(head, "telegram") || contains(head, "last seen recently") ||
        contains(head, "baru saja") || contains(head, "baru-baru ini") ||
        contains(foot, "write a message") || contains(foot, "tulis pesan"))
        return "telegram";
    // Telegram's input bar says just "Message" / "Pesan".
    for (const Line& l : footer) {
        const std::string t = lower(l.text());
        if (t.starts_with("pesan") || t.starts_with("message")) return "telegram";
    }
    return std::nullopt;
}

// Whether two lines, top to bottom, are close enough to be in one bubble.
bool closeLines(const Line& upper, const Line& lower, double wordHeight) {
    return lower.y0 - upper.y1 <= kBubbleGap * wordHeight;
}

// Where the header ends and the footer begins, as line indexes: the header
// and input bars lie about in a top and a bottom share of the page, but a
// bar never cuts through a bubble: each edge moves to the nearest gap
// between lines that bubbles have (the first bubble can start inside the
// top share on a short header or a tall screen, the last one end inside the
// bottom share). The header's status line stops the header's edge moving
// up, and a status line just below the share still belongs to the header.
std::pair<std::size_t, std::size_t> barsOf(const std::vector<Line>& lines, int pageHeight,
                                           double wordHeight) {
    const std::size_t n = lines.size();
    std::size_t headerEnd = 0;
    while (headerEnd < n && lines[headerEnd].centre() < kHeaderShare * pageHeight) ++headerEnd;
    while (headerEnd < n && lines[headerEnd].centre() < kHeaderMaxShare * pageHeight &&
           isStatusLine(lower(lines[headerEnd].text())))
        ++headerEnd;
    while (headerEnd > 0 && headerEnd < n &&
           closeLines(lines[headerEnd - 1], lines[headerEnd], wordHeight) &&
           !isStatusLine(lower(lines[headerEnd - 1].text())))
        --headerEnd;

    std::size_t footerBegin = n;
    while (footerBegin > headerEnd &&
           lines[footerBegin - 1].centre() > (1.0 - kFooterShare) * pageHeight)
        --footerBegin;
    while (footerBegin > headerEnd && footerBegin < n &&
           closeLines(lines[footerBegin - 1], lines[footerBegin], wordHeight))
        ++footerBegin;
    return {headerEnd, footerBegin};
}

saksi_box unionOf(const std::vector<const ChatWord*>& words) {
    saksi_box box = words.front()->box;
    for (const ChatWord* w : words) {
        box.x0 = std::min(box.x0, w->box.x0);
        box.y0 = std::min(box.y0, w->box.y0);
        box.x1 = std::max(box.x1, w->box.x1);
        box.y1 = std::max(box.y1, w->box.y1);
    }
    return box;
}

// A bubble's time as OCR garbles it when the bubble ends without a clean
// one: the separator lost or misread ("1521", "15;21", "9,41"). Only for
// the last word of a block that a gap closed, and only when the word looks
// like a time: smaller than the message text or alone on its line.
std::optional<std::string> garbledTimeOf(const ChatWord& word, bool aloneOnLine,
                                         double wordHeight) {
    if (!aloneOnLine && height(word.box) > 0.85 * wordHeight) return std::nullopt;
    std::string digitsOnly;
    int separators = 0;
    for (const unsigned char c : word.text) {
        if (std::isdigit(c))
            digitsOnly += static_cast<char>(c);
        else if (c == ':' || c == ';' || c == ',' || c == '.' || c == '\'')
            ++separators;
        else
            return std::nullopt;
    }
    if (separators > 1 || digitsOnly.size() < 3 || digitsOnly.size() > 4) return std::nullopt;
    // A year ends a date chip ("3 Maret 2025") as often as 19:xx or 20:xx
    // ends a bubble: four such digits without a separator are no time.
    if (separators == 0 && (digitsOnly.starts_with("19") || digitsOnly.starts_with("20")))
        return std::nullopt;
    const std::size_t h = digitsOnly.size() - 2;
    return timeOfDay(digitsOnly.substr(0, h) + ":" + digitsOnly.substr(h));
}

// A block that hangs from neither side: a date chip or a system note.
bool centred(const saksi_box& words, int pageWidth) {
    return std::abs(words.x0 - (pageWidth - words.x1)) < 0.05 * pageWidth;
}

// One bubble: its lines, the last of which ends with the time (and ticks).
// A block closed by a gap without a readable time is still a message, with
// no time, when it hangs from a side inside the body (bodyTop..bodyBottom,
// the page between the bar shares): a bubble whose time OCR lost keeps its
// lines. Centred blocks (date chips, system notes) are no messages.
std::optional<ChatMessage> messageOf(const std::vector<const Line*>& block, int pageWidth,
                                     int pageHeight, double wordHeight, double bodyTop,
                                     double bodyBottom) {
    std::vector<const ChatWord*> all;
    for (const Line* l : block) all.insert(all.end(), l->words.begin(), l->words.end());
    if (all.empty()) return std::nullopt;
    const saksi_box words = unionOf(all);

    // The time: the last word of the block that is no tick mark.
    const std::size_t end = endBeforeMarks(all, wordHeight);
    if (end == 0) return std::nullopt;
    ChatMessage m;
    m.time = timeOfDay(all[end - 1]->text);
    if (!m.time && !centred(words, pageWidth)) {
        const bool alone = endBeforeMarks(block.back()->words, wordHeight) == 1;
        m.time = garbledTimeOf(*all[end - 1], alone, wordHeight);
    }
    const std::size_t textEnd = m.time ? end - 1 : all.size();
    if (!m.time) {
        const double middle = 0.5 * (words.y0 + words.y1);
        if (centred(words, pageWidth) || middle < bodyTop || middle > bodyBottom)
            return std::nullopt;
    }
    for (std::size_t i = 0; i < textEnd; ++i) {
        if (!m.text.empty()) m.text += ' ';
        m.text += all[i]->text;
    }
    if (m.text.empty() || (!m.time && letters(m.text) < 2)) return std::nullopt;

    // Bubbles hang from the page edge of their sender's side.
    m.side = words.x0 < pageWidth - words.x1 ? Side::left : Side::right;
    const int padX = static_cast<int>(std::lround(0.8 * wordHeight));
    const int padY = static_cast<int>(std::lround(0.4 * wordHeight));
    m.box = {std::max(0, words.x0 - padX), std::max(0, words.y0 - padY),
             std::min(pageWidth, words.x1 + padX), std::min(pageHeight, words.y1 + padY)};
    return m;
}

}  // namespace

std::optional<std::string> timeOfDay(const std::string& word) {
    std::size_t i = 0;
    auto digitAt = [&](std::size_t k) {
        return k < word.size() && std::isdigit(static_cast<unsigned char>(word[k]));
    };
    if (!digitAt(0)) return std::nullopt;
    int hour = word[0] - '0';
    i = 1;
    if (digitAt(1)) {
        hour = hour * 10 + (word[1] - '0');
        i = 2;
    }
    if (i >= word.size() || (word[i] != ':' && word[i] != '.')) return std::nullopt;
    if (!digitAt(i + 1) || !digitAt(i + 2) || digitAt(i + 3)) return std::nullopt;
    const int minute = (word[i + 1] - '0') * 10 + (word[i + 2] - '0');
    // Anything after the minutes may only be punctuation or AM/PM.
    const std::string rest = lower(word.substr(i + 3));
    if (!rest.empty() && rest != "," && rest != "." && rest != "am" && rest != "pm")
        return std::nullopt;
    if (hour > 23 || minute > 59) return std::nullopt;
    char out[6];
    out[0] = static_cast<char>('0' + hour / 10);
    out[1] = static_cast<char>('0' + hour % 10);
    out[2] = ':';
    out[3] = static_cast<char>('0' + minute / 10);
    out[4] = static_cast<char>('0' + minute % 10);
    out[5] = '\0';
    return std::string(out);
}

Chat parseChat(std::span<const ChatWord> words, int pageWidth, int pageHeight) {
    Chat chat;
    const double wordHeight = medianWordHeight(words);
    if (wordHeight <= 0.0 || pageWidth <= 0 || pageHeight <= 0) return chat;
    const std::vector<Line> lines = linesOf(words, wordHeight);

    const auto [headerEnd, footerBegin] = barsOf(lines, pageHeight, wordHeight);
    const std::vector<Line> header(lines.begin(), lines.begin() + static_cast<long>(headerEnd));
    std::vector<const Line*> body;
    for (std::size_t i = headerEnd; i < footerBegin; ++i) body.push_back(&lines[i]);
    // The input bar's placeholder names the app even when it sits close
    // enough to the last bubble to fall in the body.
    std::vector<Line> footer;
    for (const Line& line : lines)
        if (line.centre() > (1.0 - kFooterShare) * pageHeight) footer.push_back(line);
    chat.title = titleOf(header);
    chat.app = appOf(header, footer);

    // Bubbles: runs of lines without a wide gap, each closed by its time.
    std::vector<const Line*> block;
    auto flush = [&] {
        if (block.empty()) return;
        if (auto m = messageOf(block, pageWidth, pageHeight, wordHeight, kHeaderShare * pageHeight,
                               (1.0 - kFooterShare) * pageHeight))
            chat.messages.push_back(std::move(*m));
        block.clear();
    };
    for (const Line* line : body) {
        if (!block.empty() && line->y0 - block.back()->y1 > kBubbleGap * wordHeight) flush();
        block.push_back(line);
        const std::size_t end = endBeforeMarks(line->words, wordHeight);
        // A line that ends with a time closes its bubble; so does a garbled
        // time ("1521") in small print alone on its line.
        if (end > 0 && (timeOfDay(line->words[end - 1]->text) ||
                        (end == 1 && garbledTimeOf(*line->words[0], false, wordHeight))))
            flush();
    }
    flush();
    return chat;
}

}  // namespace saksi::chat
