// noise_guard.hpp -- refuses a page image that is noise, not a document.
//
// Tesseract's layout analysis on a page of noise (random pixels, a static-
// filled frame) meets hundreds of thousands of blobs and can run for many
// minutes; such a page has no text to find. A document's ink forms blobs
// the size of characters: even a dense screenshot of 7-px text stays under
// ~8,000 components per megapixel, where binarised noise has 40,000 or more.
#pragma once

#include <leptonica/allheaders.h>

namespace saksi::preprocess {

struct NoiseMeasure {
    double componentsPerMegapixel = 0;  // 4-connected ink blobs after Otsu's threshold
    double inkShare = 0;                // 0..1 of the pixels
};

// Measures an 8-bit gray page (ink is the side of Otsu's threshold with
// fewer pixels). Takes tens of milliseconds on an A4 page at 300 dpi.
NoiseMeasure measureNoise(PIX* gray);

// Noise: more than `maxComponentsPerMegapixel` blobs per megapixel.
inline bool isNoise(const NoiseMeasure& m, double maxComponentsPerMegapixel) {
    return m.componentsPerMegapixel > maxComponentsPerMegapixel;
}

}  // namespace saksi::preprocess
