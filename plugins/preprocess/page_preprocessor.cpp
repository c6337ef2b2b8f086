#include "page_preprocessor.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace saksi::preprocess {
namespace {

// Pages above this many pixels are analysed at half size: ample for skew and
// for text of 300-dpi body size, and four times cheaper.
constexpr uint64_t kFullSizeAnalysisPixels = 4'000'000;
// Leptonica's own thresholds for trusting a skew measurement (skew.c).
constexpr float kMinSkewConfidence = 3.0f;
constexpr float kMinSkewDegrees = 0.1f;
constexpr float kSkewSweepRange = 7.0f;  // degrees either way
constexpr double kDegreesPerRadian = 57.29577951308232;

std::string format(const char* pattern, double value) {
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

// A 1-bit image of the page for analysis, ink = 1, by Otsu's global threshold.
// When most of the page comes out as ink it is light text on a dark ground
// (a dark-mode screenshot), so it is inverted.
PixPtr analysisBinary(PIX* gray) {
    PixPtr binary(pixThresholdToBinary(gray, otsuThreshold(gray)));
    if (!binary) return nullptr;
    l_int32 ink = 0;
    pixCountPixels(binary.get(), &ink, nullptr);
    const double area = static_cast<double>(pixGetWidth(gray)) * pixGetHeight(gray);
    if (static_cast<double>(ink) > 0.5 * area) pixInvert(binary.get(), binary.get());
    return binary;
}

PixPtr rotate(PIX* gray, float degrees) {
    // Area mapping, not shear: shear's one-pixel steps changed Tesseract's
    // layout analysis on the sample passport (word recall 0.73 against 0.92),
    // for ~110 ms more per A4 page against seconds of OCR.
    return PixPtr(pixRotate(gray, static_cast<l_float32>(degrees / kDegreesPerRadian),
                            L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));
}

PixPtr rescale(PIX* gray, double factor) {
    // Linear interpolation up, area averaging down; no sharpening, which OCR
    // does not need and which doubles the cost.
    const auto f = static_cast<l_float32>(factor);
    return PixPtr(factor > 1.0 ? pixScaleGrayLI(gray, f, f) : pixScaleAreaMap(gray, f, f));
}

PixPtr sauvola(PIX* gray, double textHeight) {
    // A window about two characters across adapts to uneven lighting without
    // hollowing out thick strokes.
    const l_int32 half = std::clamp(static_cast<l_int32>(std::lround(textHeight)), 8, 64);
    const l_int32 w = pixGetWidth(gray), h = pixGetHeight(gray);
    // Tiles keep the integral images small; each must exceed the window.
    const l_int32 nx = std::clamp(w / 1000, 1, std::max(1, w / (2 * half + 3) - 1));
    const l_int32 ny = std::clamp(h / 1000, 1, std::max(1, h / (2 * half + 3) - 1));
    if (w < 2 * half + 3 || h < 2 * half + 3) return nullptr;
    PIX* raw = nullptr;
    if (pixSauvolaBinarizeTiled(gray, half, 0.35f, nx, ny, nullptr, &raw) != 0) return nullptr;
    PixPtr binary(raw);
    return PixPtr(pixConvert1To8(nullptr, binary.get(), 255, 0));
}

}  // namespace

l_int32 otsuThreshold(PIX* gray) {
    // Leptonica's histogram goes pixel by pixel through floats; a page needs
    // only a plain count, taken here a word (four pixels) at a time.
    std::array<uint64_t, 256> histogram{};
    const l_uint32* data = pixGetData(gray);
    const auto wpl = static_cast<std::size_t>(pixGetWpl(gray));
    const l_int32 w = pixGetWidth(gray), h = pixGetHeight(gray);
    const auto fullWords = static_cast<std::size_t>(w / 4);
    for (l_int32 y = 0; y < h; ++y) {
        const l_uint32* line = data + static_cast<std::size_t>(y) * wpl;
        for (std::size_t i = 0; i < fullWords; ++i) {
            const l_uint32 word = line[i];
            ++histogram[word >> 24];
            ++histogram[(word >> 16) & 0xff];
            ++histogram[(word >> 8) & 0xff];
            ++histogram[word & 0xff];
        }
        for (l_int32 x = static_cast<l_int32>(fullWords * 4); x < w; ++x)
            ++histogram[(line[x >> 2] >> (24 - 8 * (x & 3))) & 0xff];
    }
    // Otsu: the threshold that maximises the variance between the two classes.
    double total = 0, sum = 0;
    for (int v = 0; v < 256; ++v) {
        total += static_cast<double>(histogram[v]);
        sum += v * static_cast<double>(histogram[v]);
    }
    double below = 0, sumBelow = 0, best = -1;
    l_int32 threshold = 128;
    for (int v = 0; v < 255; ++v) {
        below += static_cast<double>(histogram[v]);
        sumBelow += v * static_cast<double>(histogram[v]);
        const double above = total - below;
        if (below == 0 || above == 0) continue;
        const double meanBelow = sumBelow / below, meanAbove = (sum - sumBelow) / above;
        const double between = below * above * (meanBelow - meanAbove) * (meanBelow - meanAbove);
        if (between > best) {
            best = between;
            threshold = v + 1;  // pixThresholdToBinary: value < threshold is ink
        }
    }
    return threshold;
}

double chooseScale(double textHeight, uint64_t pagePixels, const PreprocessOptions& options) {
    const double target = options.targetTextHeight;
    if (textHeight <= 0 || (textHeight >= 0.8 * target && textHeight <= 2.0 * target)) return 1.0;
    double factor = std::clamp(target / textHeight, options.minScale, options.maxScale);
    if (factor > 1.0 && pagePixels > 0) {
        const double cap = std::sqrt(static_cast<double>(options.maxOutputPixels) /
                                     static_cast<double>(pagePixels));
        factor = std::max(1.0, std::min(factor, cap));
    }
    if (std::abs(factor - 1.0) < 0.05) return 1.0;
    // Leptonica enlarges by exactly 2 several times faster than by any other
    // factor, and text within 15% of the target reads as well.
    if (std::abs(factor - 2.0) <= 0.15 * 2.0 && 2.0 <= options.maxScale &&
        4.0 * static_cast<double>(pagePixels) <= static_cast<double>(options.maxOutputPixels))
        return 2.0;
    return factor;
}

PreprocessResult preprocessPage(PIX* gray, const PreprocessOptions& options) {
    PreprocessResult result;
    const l_int32 w = pixGetWidth(gray), h = pixGetHeight(gray);
    const uint64_t pixels = static_cast<uint64_t>(w) * static_cast<uint64_t>(h);
    std::string note;
    auto addNote = [&note](const std::string& part) { note += (note.empty() ? "" : "; ") + part; };

    float skew = 0;
    double scale = 1.0;
    if (w >= 32 && h >= 32) {
        const bool reduce = pixels > kFullSizeAnalysisPixels;
        PixPtr small(reduce ? pixScaleAreaMap2(gray) : pixClone(gray));
        PixPtr binary = small ? analysisBinary(small.get()) : nullptr;
        if (binary) {
            const double toInput = reduce ? 2.0 : 1.0;
            if (options.deskew) {
                // Leptonica's defaults are a sweep at 1/4 and a search at 1/2
                // size; the analysis image is already reduced.
                const l_int32 sweep = reduce ? 2 : 4, search = reduce ? 1 : 2;
                l_float32 angle = 0, confidence = 0;
                if (pixFindSkewSweepAndSearch(binary.get(), &angle, &confidence, sweep, search,
                                              kSkewSweepRange, 1.0f, 0.01f) == 0 &&
                    confidence >= kMinSkewConfidence && std::abs(angle) >= kMinSkewDegrees)
                    skew = angle;
            }
            if (auto height = estimateTextHeight(binary.get())) {
                height->pixels *= toInput;
                result.textHeight = height;
                scale = chooseScale(height->pixels, pixels, options);
            }
        }
    }

    PixPtr image(pixClone(gray));
    auto step = [&image](PixPtr next) {
        if (!next) return false;
        image = std::move(next);
        return true;
    };
    // Rotate the smaller of the two images: before enlarging, after shrinking.
    if (scale < 1.0 && step(rescale(image.get(), scale))) result.scale = scale;
    if (skew != 0 && step(rotate(image.get(), skew))) {
        result.skewDegrees = skew;
        addNote(format("deskewed %.2f deg", skew));
    }
    if (scale > 1.0 && step(rescale(image.get(), scale))) result.scale = scale;
    if (result.scale != 1.0) {
        // Report the factor actually achieved (sizes are whole pixels).
        result.scale = static_cast<double>(pixGetWidth(image.get())) / w;
        addNote(format("text %.0f px", result.textHeight->pixels) +
                format(", scaled x%.2f", result.scale));
    }
    if (options.binarize) {
        const double textHeight =
            result.textHeight ? result.textHeight->pixels * result.scale : options.targetTextHeight;
        if (step(sauvola(image.get(), textHeight))) {
            result.binarized = true;
            addNote("binarized (Sauvola)");
        }
    }
    result.image = std::move(image);
    result.note = std::move(note);
    return result;
}

}  // namespace saksi::preprocess
