// text_height.hpp -- how tall the text on a page is, from its connected components.
#pragma once

#include "pix_ptr.hpp"

#include <cstdint>
#include <optional>

namespace saksi::preprocess {

struct TextHeight {
    double pixels = 0;        // median height of character-like components
    uint32_t components = 0;  // how many components the median is over
};

// Estimates the typical character height on a 1-bit image (1 = ink), in that
// image's pixels. Among components sized like characters (not specks, rules,
// pictures or page borders), takes the median height, then repeats over those
// at least half that tall so that dots and punctuation do not pull it down.
// The result sits between the x-height and the capital height of body text.
// Returns nothing when there are too few such components, or when their
// heights do not cluster the way a line of text does (a photograph).
std::optional<TextHeight> estimateTextHeight(PIX* binary);

}  // namespace saksi::preprocess
