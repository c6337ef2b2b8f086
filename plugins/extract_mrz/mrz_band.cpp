#include "mrz_band.hpp"

#include <saksi/sdk/page_words.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace saksi::mrz {
namespace {

struct Shape {
    std::size_t length = 0, good = 0, fillers = 0;
};

Shape shapeOf(std::string_view line) {
    Shape s;
    for (char c : line) {
        if (c == ' ') continue;
        ++s.length;
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<') ++s.good;
        if (c == '<') ++s.fillers;
    }
    return s;
}

// A line of capitals and digits long enough to be an MRZ line whose fillers
// OCR read as letters ("PKUTOWIRADINATASSRATNASSARI SSS SSS").
bool looksLikeMisreadMrzLine(std::string_view line) {
    const Shape s = shapeOf(line);
    return s.length >= 24 && s.length <= 48 && s.good * 10 >= s.length * 9;
}

}  // namespace

bool looksLikeMrzLine(std::string_view line) {
    const Shape s = shapeOf(line);
    return s.length >= 28 && s.length <= 46 && s.good * 10 >= s.length * 9 && s.fillers >= 2;
}

std::optional<Band> locateBand(const nlohmann::json& page, uint32_t imageWidth,
                               uint32_t imageHeight) {
    const auto words = sdk::PageWords::fromJson(page);
    const std::string& text = words.text();
    struct Line {
        std::size_t begin, end;
        bool strong, weak;
    };
    std::vector<Line> lines;
    for (std::size_t begin = 0; begin < text.size();) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos) end = text.size();
        const std::string_view view(text.data() + begin, end - begin);
        if (!view.empty())
            lines.push_back({begin, end, looksLikeMrzLine(view), looksLikeMisreadMrzLine(view)});
        begin = end + 1;
    }
    // The strong lines and the weak ones next to them form the band.
    std::vector<bool> inBand(lines.size(), false);
    int seen = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (!lines[i].strong) continue;
        ++seen;
        inBand[i] = true;
        for (std::size_t j = i; j > 0 && lines[j - 1].weak; --j) inBand[j - 1] = true;
        for (std::size_t j = i + 1; j < lines.size() && lines[j].weak; ++j) inBand[j] = true;
    }
    if (seen == 0) return std::nullopt;

    saksi_box box{0, 0, 0, 0};
    bool any = false;
    double pitchSum = 0;  // character pitch of the strong lines, page pixels
    int pitchCount = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (!inBand[i]) continue;
        const saksi_box b = words.boxOf(lines[i].begin, lines[i].end);
        if (b.x1 <= b.x0) continue;
        // Box heights grow with any skew (a rotated line's upright box); the
        // pitch along the line does not.
        if (lines[i].strong) {
            pitchSum +=
                double(b.x1 - b.x0) /
                double(shapeOf(text.substr(lines[i].begin, lines[i].end - lines[i].begin)).length);
            ++pitchCount;
        }
        box = any ? saksi_box{std::min(box.x0, b.x0), std::min(box.y0, b.y0),
                              std::max(box.x1, b.x1), std::max(box.y1, b.y1)}
                  : b;
        any = true;
    }
    if (!any) return std::nullopt;

    const double pageWidth = page.value("width", 0.0);
    const double scale = pageWidth > 0 ? imageWidth / pageWidth : 1.0;
    // OCR-B capitals are about as tall as the 2.54 mm pitch is wide; a line
    // is about 1.5 of them.
    const double charHeight = pitchCount > 0 ? pitchSum / pitchCount * scale : 0;
    const double lineHeight = 1.5 * charHeight;
    // A few degrees of deskew move the band's ends by up to 2% of the width.
    const double marginY = 1.5 * lineHeight + 0.02 * imageWidth;
    const double marginX = 0.04 * imageWidth;
    Band band;
    band.linesSeen = seen;
    band.charHeight = charHeight;
    band.box.x0 = std::max(0, static_cast<int32_t>(std::floor(box.x0 * scale - marginX)));
    band.box.y0 = std::max(0, static_cast<int32_t>(std::floor(box.y0 * scale - marginY)));
    band.box.x1 = std::min(static_cast<int32_t>(imageWidth),
                           static_cast<int32_t>(std::ceil(box.x1 * scale + marginX)));
    band.box.y1 = std::min(static_cast<int32_t>(imageHeight),
                           static_cast<int32_t>(std::ceil(box.y1 * scale + marginY)));
    if (band.box.x1 <= band.box.x0 || band.box.y1 <= band.box.y0) return std::nullopt;
    return band;
}

Band bottomBand(uint32_t imageWidth, uint32_t imageHeight) {
    Band band;
    band.box = {0, static_cast<int32_t>(imageHeight * 0.6), static_cast<int32_t>(imageWidth),
                static_cast<int32_t>(imageHeight)};
    // TD3 lines fill the width with 44 characters of about 1.4 x their width.
    band.charHeight = imageWidth / 44.0 * 1.2;
    return band;
}

}  // namespace saksi::mrz
