// page_text.hpp -- assembles a page's text from recognised words.
#pragma once

#include <saksi/sdk/document.hpp>

#include <span>
#include <string>
#include <vector>

namespace saksi::ocr {

// One word as the engine reports it, with the layout it belongs to. The ids
// only need to differ between neighbours: a new line, paragraph or block
// starts wherever the id changes.
struct OcrWord {
    std::string text;   // UTF-8
    saksi_box bbox{};   // working-image pixels
    float conf = 0.0f;  // 0..100
    int block = 0;
    int paragraph = 0;
    int line = 0;
};

// What setPageText() takes: the text, its words (each appearing in the text,
// in order) and their mean confidence.
struct PageText {
    std::string text;
    std::vector<sdk::Word> words;
    float meanConfidence = 0.0f;  // 0 when there are no words
};

// Joins words with ' ' within a line, '\n' between lines and an empty line
// between paragraphs and blocks. Words whose text is blank, or whose
// confidence is below minConfidence, are left out of both text and words.
PageText assemblePageText(std::span<const OcrWord> words, float minConfidence = 0.0f);

}  // namespace saksi::ocr
