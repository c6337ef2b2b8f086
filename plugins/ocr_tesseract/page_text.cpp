#include "page_text.hpp"

#include <algorithm>
#include <string_view>

namespace saksi::ocr {
namespace {

std::string_view trimmed(std::string_view s) {
    // ASCII whitespace only: Tesseract never puts other blanks around a word,
    // and a word must appear in the text byte for byte.
    constexpr std::string_view blanks = " \t\r\n\f\v";
    const auto begin = s.find_first_not_of(blanks);
    if (begin == std::string_view::npos) return {};
    const auto end = s.find_last_not_of(blanks);
    return s.substr(begin, end - begin + 1);
}

}  // namespace

PageText assemblePageText(std::span<const OcrWord> words, float minConfidence) {
    PageText page;
    page.words.reserve(words.size());
    double confSum = 0.0;
    const OcrWord* previous = nullptr;
    for (const OcrWord& word : words) {
        const std::string_view text = trimmed(word.text);
        const float conf = std::clamp(word.conf, 0.0f, 100.0f);
        if (text.empty() || conf < minConfidence) continue;
        if (previous) {
            if (word.block != previous->block || word.paragraph != previous->paragraph)
                page.text += "\n\n";
            else if (word.line != previous->line)
                page.text += '\n';
            else
                page.text += ' ';
        }
        page.text += text;
        page.words.push_back({std::string(text), word.bbox, conf});
        confSum += conf;
        previous = &word;
    }
    if (!page.words.empty())
        page.meanConfidence = static_cast<float>(confSum / static_cast<double>(page.words.size()));
    return page;
}

}  // namespace saksi::ocr
