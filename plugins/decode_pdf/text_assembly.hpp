// text_assembly.hpp -- page text and word boxes from a PDF text layer's words.
#pragma once

#include <saksi/sdk/document.hpp>

#include <string>
#include <vector>

namespace saksi::decode_pdf {

// One word of a PDF text layer, as Poppler reports it: in reading order, with a
// box in points in the displayed page (rotation applied, crop box origin at the
// top left, y downwards).
struct PdfWord {
    std::string text;  // UTF-8
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    int rotation = 0;  // 0 left to right, 1 top to bottom, 2 upside down, 3 bottom to top
    bool spaceAfter = true;
};

// Which order the words are read in.
enum class ReadingOrder {
    // Poppler's: block by block, as its layout analysis finds them. Columns
    // and right-to-left runs stay whole, but a form's labels and values can
    // end up in separate blocks ("Nama\nNIK\n\n: Dewi\n: 3202...").
    poppler,
    // Line by line down the page: Poppler's runs (words it reads together on
    // one line, kept in its order) that share a line are put side by side,
    // left to right, so that "Nama : Dewi" stays one row. Side-by-side
    // columns are read across.
    physical,
};

// A page's text in the record's form.
struct AssembledText {
    std::string text;
    std::vector<saksi::sdk::Word> words;  // boxes in page pixels; conf -1 (not applicable)
};

// Builds the page text from `words` (in Poppler's order, rearranged as `order`
// says) so that each word appears in it, in order:
// words of a line joined by a space (none when the PDF puts no space between
// them), lines by '\n', and a blank line where a new block starts (a larger
// vertical gap, a jump back up to a new column, or a change of direction).
// Boxes are scaled by `scale` (pixels per point) and clipped to
// widthPx x heightPx. Empty words are dropped.
AssembledText assembleText(const std::vector<PdfWord>& words, double scale, uint32_t widthPx,
                           uint32_t heightPx, ReadingOrder order = ReadingOrder::poppler);

}  // namespace saksi::decode_pdf
