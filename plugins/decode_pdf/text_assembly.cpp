#include "text_assembly.hpp"

#include <algorithm>
#include <cmath>

namespace saksi::decode_pdf {
namespace {

// A word box in its own reading frame: `along` runs in the writing direction,
// `across` from one line to the next. Turning every rotation into this frame
// lets one rule split lines of horizontal, vertical and upside-down text.
struct ReadingBox {
    double along0, along1, across0, across1;
    double height() const { return across1 - across0; }
};

ReadingBox toReadingFrame(const PdfWord& w) {
    switch (w.rotation & 3) {
        case 1:  // top to bottom; lines stack to the left
            return {w.y0, w.y1, -w.x1, -w.x0};
        case 2:  // upside down; lines stack upwards
            return {-w.x1, -w.x0, -w.y1, -w.y0};
        case 3:  // bottom to top; lines stack to the right
            return {-w.y1, -w.y0, w.x0, w.x1};
        default:
            return {w.x0, w.x1, w.y0, w.y1};
    }
}

enum class Break { none, space, line, block };

// A line as it grows: the union of its words' across-ranges.
struct LineExtent {
    double across0 = 0, across1 = 0;
    double height() const { return across1 - across0; }
};

Break breakBefore(const PdfWord& prevWord, const ReadingBox& prev, const LineExtent& line,
                  const PdfWord& nextWord, const ReadingBox& next) {
    if ((prevWord.rotation & 3) != (nextWord.rotation & 3)) return Break::block;
    const double minHeight = std::max(std::min(prev.height(), next.height()), 0.1);
    const double overlap =
        std::min(prev.across1, next.across1) - std::max(prev.across0, next.across0);
    // Same band, same line, whichever way it goes: Poppler may hand over a
    // right-to-left run backwards, and a new line never shares the band.
    if (overlap > 0.5 * minHeight) {
        // Same line. Poppler splits a word without a space at a font change
        // ("Con" bold, "tract" regular); keep those glued unless they are apart.
        const double gap = next.along0 - prev.along1;
        return !prevWord.spaceAfter && gap < 0.15 * minHeight ? Break::none : Break::space;
    }
    const double lineHeight = std::max({line.height(), next.height(), 0.1});
    const double gap = next.across0 - line.across1;
    // Leading is usually 10-50% of the line height; a paragraph or a block
    // gap is larger, and a column change jumps back up the page.
    if (gap > 0.8 * lineHeight || next.across1 < line.across0) return Break::block;
    return Break::line;
}

// Poppler's words regrouped line by line; see ReadingOrder::physical.
std::vector<const PdfWord*> physicalOrder(const std::vector<const PdfWord*>& words) {
    // 1. Runs: words Poppler reads one after the other on the same line.
    struct Run {
        std::vector<const PdfWord*> words;
        int rotation;
        ReadingBox box;  // union of the words' boxes
    };
    std::vector<Run> runs;
    const LineExtent noLine;
    for (const PdfWord* w : words) {
        const ReadingBox box = toReadingFrame(*w);
        if (!runs.empty()) {
            Run& run = runs.back();
            const Break b =
                breakBefore(*run.words.back(), toReadingFrame(*run.words.back()), noLine, *w, box);
            if (b == Break::none || b == Break::space) {
                run.words.push_back(w);
                run.box = {
                    std::min(run.box.along0, box.along0), std::max(run.box.along1, box.along1),
                    std::min(run.box.across0, box.across0), std::max(run.box.across1, box.across1)};
                continue;
            }
        }
        runs.push_back({{w}, w->rotation & 3, box});
    }
    // 2. Down the page (per direction, in order of first appearance), then
    // runs whose middles fall in one line's band, left to right.
    int rank[4] = {-1, -1, -1, -1};
    int ranked = 0;
    for (const Run& run : runs)
        if (rank[run.rotation] < 0) rank[run.rotation] = ranked++;
    std::stable_sort(runs.begin(), runs.end(), [&](const Run& a, const Run& b) {
        if (a.rotation != b.rotation) return rank[a.rotation] < rank[b.rotation];
        return a.box.across0 < b.box.across0;
    });
    std::vector<const PdfWord*> out;
    out.reserve(words.size());
    for (std::size_t first = 0; first < runs.size();) {
        const ReadingBox band = runs[first].box;
        std::size_t last = first + 1;
        while (last < runs.size() && runs[last].rotation == runs[first].rotation) {
            const double middle = (runs[last].box.across0 + runs[last].box.across1) / 2;
            if (middle < band.across0 || middle > band.across1) break;
            ++last;
        }
        std::stable_sort(runs.begin() + static_cast<std::ptrdiff_t>(first),
                         runs.begin() + static_cast<std::ptrdiff_t>(last),
                         [](const Run& a, const Run& b) { return a.box.along0 < b.box.along0; });
        for (std::size_t i = first; i < last; ++i)
            out.insert(out.end(), runs[i].words.begin(), runs[i].words.end());
        first = last;
    }
    return out;
}

int32_t toPixel(double points, double scale, uint32_t limit, bool roundUp) {
    const double px = roundUp ? std::ceil(points * scale) : std::floor(points * scale);
    return static_cast<int32_t>(std::clamp(px, 0.0, static_cast<double>(limit)));
}

bool isBlank(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    });
}

}  // namespace

AssembledText assembleText(const std::vector<PdfWord>& words, double scale, uint32_t widthPx,
                           uint32_t heightPx, ReadingOrder order) {
    std::vector<const PdfWord*> ordered;
    ordered.reserve(words.size());
    for (const PdfWord& word : words)
        if (!isBlank(word.text)) ordered.push_back(&word);
    if (order == ReadingOrder::physical) ordered = physicalOrder(ordered);

    AssembledText out;
    out.words.reserve(ordered.size());
    const PdfWord* prevWord = nullptr;
    ReadingBox prev{};
    LineExtent line;
    for (const PdfWord* wordPtr : ordered) {
        const PdfWord& word = *wordPtr;
        const ReadingBox box = toReadingFrame(word);
        if (prevWord) {
            switch (breakBefore(*prevWord, prev, line, word, box)) {
                case Break::none:
                    break;
                case Break::space:
                    out.text += ' ';
                    break;
                case Break::line:
                    out.text += '\n';
                    line = {box.across0, box.across1};
                    break;
                case Break::block:
                    out.text += "\n\n";
                    line = {box.across0, box.across1};
                    break;
            }
        } else {
            line = {box.across0, box.across1};
        }
        line.across0 = std::min(line.across0, box.across0);
        line.across1 = std::max(line.across1, box.across1);

        out.text += word.text;
        saksi_box px{toPixel(std::min(word.x0, word.x1), scale, widthPx, false),
                     toPixel(std::min(word.y0, word.y1), scale, heightPx, false),
                     toPixel(std::max(word.x0, word.x1), scale, widthPx, true),
                     toPixel(std::max(word.y0, word.y1), scale, heightPx, true)};
        // A box is never empty, even for a zero-width glyph or one clipped at the edge.
        if (px.x1 <= px.x0) {
            if (px.x0 > 0)
                --px.x0;
            else
                ++px.x1;
        }
        if (px.y1 <= px.y0) {
            if (px.y0 > 0)
                --px.y0;
            else
                ++px.y1;
        }
        out.words.push_back({word.text, px, -1.0f});
        prevWord = &word;
        prev = box;
    }
    return out;
}

}  // namespace saksi::decode_pdf
