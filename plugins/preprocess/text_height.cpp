#include "text_height.hpp"

#include <algorithm>
#include <vector>

namespace saksi::preprocess {
namespace {

struct BoxaDeleter {
    void operator()(BOXA* boxa) const noexcept { boxaDestroy(&boxa); }
};
using BoxaPtr = std::unique_ptr<BOXA, BoxaDeleter>;

constexpr std::size_t kMinComponents = 20;
// Share of components within [0.7, 1.5] x median needed to call it text: in
// body text most letters are x-height or ascender height, in noise they are not.
constexpr double kMinClusteredShare = 0.5;

double median(std::vector<int>& values) {
    const auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), mid, values.end());
    return *mid;
}

}  // namespace

std::optional<TextHeight> estimateTextHeight(PIX* binary) {
    if (!binary || pixGetDepth(binary) != 1) return std::nullopt;
    const l_int32 pageW = pixGetWidth(binary);
    const l_int32 pageH = pixGetHeight(binary);
    BoxaPtr boxes(pixConnCompBB(binary, 8));
    if (!boxes) return std::nullopt;
    const l_int32 count = boxaGetCount(boxes.get());
    // Characters: at least 3 px tall, at most an eighth of the page, not much
    // wider than tall (touching letters are fine, rules and boxes are not).
    const l_int32 maxH = std::max(3, pageH / 8);
    std::vector<int> heights;
    heights.reserve(static_cast<std::size_t>(count));
    for (l_int32 i = 0; i < count; ++i) {
        l_int32 x, y, w, h;
        if (boxaGetBoxGeometry(boxes.get(), i, &x, &y, &w, &h) != 0) continue;
        if (h < 3 || h > maxH || w > 4 * h || w > pageW / 4) continue;
        heights.push_back(h);
    }
    if (heights.size() < kMinComponents) return std::nullopt;
    const double first = median(heights);
    std::erase_if(heights, [first](int h) { return h < 0.5 * first; });
    if (heights.size() < kMinComponents) return std::nullopt;
    const double height = median(heights);
    const auto clustered = std::count_if(heights.begin(), heights.end(), [height](int h) {
        return h >= 0.7 * height && h <= 1.5 * height;
    });
    if (static_cast<double>(clustered) < kMinClusteredShare * static_cast<double>(heights.size()))
        return std::nullopt;
    return TextHeight{height, static_cast<uint32_t>(heights.size())};
}

}  // namespace saksi::preprocess
