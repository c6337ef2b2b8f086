#include "mrz_reader.hpp"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <stdexcept>

namespace saksi::mrz {
namespace {

constexpr char kWhitelist[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
// Character heights tried in turn, in pixels; Tesseract's LSTM reads best
// with capitals of about 30-40 px.
constexpr double kCharHeights[] = {34.0, 28.0, 42.0};
constexpr int kBorder = 24;  // white pixels around the crop

struct ApiDeleter {
    void operator()(tesseract::TessBaseAPI* api) const {
        api->End();
        delete api;
    }
};
using ApiPtr = std::unique_ptr<tesseract::TessBaseAPI, ApiDeleter>;

struct PixDeleter {
    void operator()(PIX* pix) const noexcept { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

// The 8-bit gray crop `box` of an image view.
PixPtr grayCrop(const sdk::ImageView& image, const saksi_box& box) {
    const int width = box.x1 - box.x0, height = box.y1 - box.y0;
    PixPtr pix(pixCreate(width, height, 8));
    if (!pix) throw std::bad_alloc();
    const uint32_t bpp = sdk::ImageView::bytesPerPixel(image.format);
    l_uint32* data = pixGetData(pix.get());
    const int wpl = pixGetWpl(pix.get());
    for (int y = 0; y < height; ++y) {
        const uint8_t* row =
            image.pixels + std::size_t(box.y0 + y) * image.stride + std::size_t(box.x0) * bpp;
        l_uint32* line = data + std::size_t(y) * wpl;
        for (int x = 0; x < width; ++x) {
            const uint8_t* px = row + std::size_t(x) * bpp;
            unsigned value = px[0];
            if (bpp >= 3) {
                value = (px[0] * 299u + px[1] * 587u + px[2] * 114u) / 1000u;
                if (bpp == 4) value = (value * px[3] + 255u * (255u - px[3])) / 255u;
            }
            SET_DATA_BYTE(line, x, value);
        }
    }
    return pix;
}

bool validImage(const sdk::ImageView& image) {
    if (!image.pixels || image.width == 0 || image.height == 0) return false;
    if (image.format != SAKSI_PIXEL_GRAY8 && image.format != SAKSI_PIXEL_RGB24 &&
        image.format != SAKSI_PIXEL_RGBA32)
        return false;
    return image.stride >= uint64_t{image.width} * sdk::ImageView::bytesPerPixel(image.format) &&
           image.width <= uint32_t(std::numeric_limits<int>::max()) &&
           image.height <= uint32_t(std::numeric_limits<int>::max());
}

}  // namespace

struct MrzReader::Api {
    ApiPtr api;
};

MrzReader::MrzReader(const std::string& tessdata, const std::string& language)
    : api_(std::make_unique<Api>()) {
    api_->api.reset(new tesseract::TessBaseAPI());
    // Dictionaries are init-only parameters: an MRZ is not words, and the
    // dictionaries pull the LSTM towards them ("UTO" -> "UTOPIA").
    const std::vector<std::string> names = {"load_system_dawg", "load_freq_dawg"};
    const std::vector<std::string> values = {"0", "0"};
    if (api_->api->Init(tessdata.empty() ? nullptr : tessdata.c_str(), language.c_str(),
                        tesseract::OEM_LSTM_ONLY, nullptr, 0, &names, &values, false) != 0)
        throw std::runtime_error("Tesseract could not load the '" + language +
                                 "' model for MRZ reading; install tesseract-ocr-" + language +
                                 " or set 'tessdata'");
    tesseract::TessBaseAPI& api = *api_->api;
    api.SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
    // Some Tesseract parameters are process-wide; instances are created on
    // several worker threads at once.
    static std::mutex parameterMutex;
    const std::lock_guard lock(parameterMutex);
    api.SetVariable("debug_file", "/dev/null");
    api.SetVariable("tessedit_char_whitelist", kWhitelist);
}

MrzReader::~MrzReader() = default;

std::vector<std::string> MrzReader::readLines(const sdk::ImageView& image, const Band& band,
                                              double charHeight) {
    if (!validImage(image)) return {};
    saksi_box box = band.box;
    box.x0 = std::clamp<int32_t>(box.x0, 0, int32_t(image.width));
    box.x1 = std::clamp<int32_t>(box.x1, 0, int32_t(image.width));
    box.y0 = std::clamp<int32_t>(box.y0, 0, int32_t(image.height));
    box.y1 = std::clamp<int32_t>(box.y1, 0, int32_t(image.height));
    if (box.x1 - box.x0 < 8 || box.y1 - box.y0 < 8) return {};

    PixPtr crop = grayCrop(image, box);
    // The band of a page that was not deskewed (or deskewed on other text)
    // may still lean; Tesseract's single-block mode reads level lines best.
    if (PixPtr level{pixDeskew(crop.get(), 0)}) crop = std::move(level);
    const double factor =
        band.charHeight > 0 ? std::clamp(charHeight / band.charHeight, 0.25, 4.0) : 1.0;
    PixPtr scaled(std::abs(factor - 1.0) < 0.02 ? pixClone(crop.get())
                                                : pixScale(crop.get(), static_cast<float>(factor),
                                                           static_cast<float>(factor)));
    if (!scaled) return {};
    PixPtr bordered(pixAddBorder(scaled.get(), kBorder, 255));
    if (!bordered) return {};

    tesseract::TessBaseAPI& api = *api_->api;
    struct ClearOnExit {
        tesseract::TessBaseAPI& api;
        ~ClearOnExit() { api.Clear(); }
    } clearOnExit{api};
    api.SetImage(bordered.get());
    api.SetSourceResolution(300);
    const std::unique_ptr<char[]> text(api.GetUTF8Text());
    std::vector<std::string> lines;
    if (!text) return lines;
    std::string line;
    for (const char* p = text.get();; ++p) {
        if (*p == '\n' || *p == '\0') {
            if (!line.empty()) lines.push_back(line);
            line.clear();
            if (*p == '\0') break;
        } else if (*p != ' ') {
            line += *p;
        }
    }
    return lines;
}

int mrzRank(const Mrz& mrz) {
    int rank = (mrz.checks.documentNumber ? 1 : 0) + (mrz.checks.birthDate ? 1 : 0) +
               (mrz.checks.expiryDate ? 1 : 0) +
               (mrz.checks.personalNumber.value_or(false) ? 1 : 0) +
               (mrz.checks.composite.value_or(false) ? 1 : 0);
    if (mrz.ambiguous) rank += 10;
    if (mrz.valid) rank += 20;
    return rank;
}

std::optional<Mrz> bestMrz(const std::vector<std::string>& lines,
                           std::chrono::year_month_day reference) {
    std::optional<Mrz> best;
    for (std::size_t count : {std::size_t{2}, std::size_t{3}}) {
        for (std::size_t i = 0; i + count <= lines.size(); ++i) {
            auto mrz = parse(std::span<const std::string>(lines.data() + i, count), reference);
            if (mrz && (!best || mrzRank(*mrz) > mrzRank(*best))) best = std::move(mrz);
        }
    }
    return best;
}

std::optional<Mrz> MrzReader::read(const sdk::ImageView& image, const Band& band,
                                   std::chrono::year_month_day reference) {
    std::optional<Mrz> best;
    for (double height : kCharHeights) {
        auto mrz = bestMrz(readLines(image, band, height), reference);
        if (mrz && (!best || mrzRank(*mrz) > mrzRank(*best))) best = std::move(mrz);
        if (best && best->valid) break;
    }
    return best;
}

}  // namespace saksi::mrz
