#include "tesseract_engine.hpp"

#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <mutex>
#include <stdexcept>

namespace saksi::ocr {
namespace {

// Below this Tesseract treats a resolution as bogus (its kMinCredibleResolution).
constexpr uint32_t kMinCredibleDpi = 70;
constexpr uint32_t kMaxCredibleDpi = 2400;

// TessBaseAPI with End() before delete, so a half-initialised one is freed too.
struct ApiDeleter {
    void operator()(tesseract::TessBaseAPI* api) const {
        api->End();
        delete api;
    }
};
using ApiPtr = std::unique_ptr<tesseract::TessBaseAPI, ApiDeleter>;

// Where the error message says Tesseract looked, when it could not tell us.
std::string describeTessdata(const std::string& configured) {
    if (!configured.empty()) return configured;
    if (const char* env = std::getenv("TESSDATA_PREFIX"); env && *env) return env;
    return "Tesseract's default tessdata folder";
}

ApiPtr initApi(const OcrConfig& config, const std::string& languages) {
    ApiPtr api(new tesseract::TessBaseAPI());
    const char* datapath = config.tessdata.empty() ? nullptr : config.tessdata.c_str();
    if (api->Init(datapath, languages.c_str(), tesseract::OEM_LSTM_ONLY) != 0) return nullptr;
    return api;
}

// Tesseract loads what it can of "a+b+c" and only fails when the first
// language is missing; a stage that silently lost a language would read
// worse than configured, so every missing one is an error.
[[noreturn]] void throwMissingLanguages(const OcrConfig& config,
                                        const std::vector<std::string>& requested,
                                        const std::vector<std::string>& loaded,
                                        std::string datapath) {
    std::vector<std::string> missing;
    for (const auto& lang : requested) {
        if (std::find(loaded.begin(), loaded.end(), lang) != loaded.end()) continue;
        // Loading it alone tells a missing model from a broken combination,
        // and yields the folder Tesseract searched.
        if (ApiPtr probe = initApi(config, lang)) {
            if (datapath.empty()) datapath = probe->GetDatapath();
            continue;
        }
        missing.push_back(lang);
    }
    if (datapath.empty()) datapath = describeTessdata(config.tessdata);
    if (missing.empty())
        throw std::runtime_error("Tesseract could not initialise languages '" + config.languages +
                                 "' from " + datapath);
    std::string names, packages;
    for (const auto& lang : missing) {
        names += (names.empty() ? "'" : ", '") + lang + "'";
        std::string package = lang;
        std::replace(package.begin(), package.end(), '_', '-');
        packages += " tesseract-ocr-" + package;
    }
    throw std::runtime_error("Tesseract has no " + names +
                             (missing.size() > 1 ? " models" : " model") + " in " + datapath +
                             "; install" + packages + " or set 'tessdata' to a folder holding " +
                             missing.front() + ".traineddata");
}

bool validImage(const sdk::ImageView& image) {
    if (!image.pixels || image.width == 0 || image.height == 0) return false;
    if (image.format != SAKSI_PIXEL_GRAY8 && image.format != SAKSI_PIXEL_RGB24 &&
        image.format != SAKSI_PIXEL_RGBA32)
        return false;
    constexpr uint32_t maxInt = std::numeric_limits<int>::max();
    const uint64_t rowBytes = uint64_t{image.width} * sdk::ImageView::bytesPerPixel(image.format);
    return image.width <= maxInt && image.height <= maxInt && image.stride <= maxInt &&
           image.stride >= rowBytes;
}

bool hasTransparency(const sdk::ImageView& image) {
    for (uint32_t y = 0; y < image.height; ++y) {
        const uint8_t* row = image.pixels + std::size_t{y} * image.stride;
        for (uint32_t x = 0; x < image.width; ++x)
            if (row[4 * x + 3] != 255) return true;
    }
    return false;
}

// Composes RGBA over white: transparent pixels are often (0,0,0,0), which
// Tesseract would otherwise see as black ink.
std::vector<uint8_t> flattenOnWhite(const sdk::ImageView& image) {
    std::vector<uint8_t> rgb(std::size_t{image.width} * image.height * 3);
    uint8_t* out = rgb.data();
    for (uint32_t y = 0; y < image.height; ++y) {
        const uint8_t* row = image.pixels + std::size_t{y} * image.stride;
        for (uint32_t x = 0; x < image.width; ++x) {
            const uint8_t* px = row + 4 * x;
            const unsigned alpha = px[3];
            for (int c = 0; c < 3; ++c)
                *out++ = static_cast<uint8_t>((px[c] * alpha + 255 * (255 - alpha) + 127) / 255);
        }
    }
    return rgb;
}

}  // namespace

struct TesseractEngine::Api {
    ApiPtr api;
};

TesseractEngine::TesseractEngine(const OcrConfig& config)
    : api_(std::make_unique<Api>()),
      fallbackDpi_(config.fallbackDpi),
      psm_(config.psm),
      rereadBelow_(config.rereadBelowConfidence) {
    const auto requested = splitLanguages(config.languages);
    api_->api = initApi(config, config.languages);
    if (!api_->api) throwMissingLanguages(config, requested, {}, {});

    tesseract::TessBaseAPI& api = *api_->api;
    api.GetLoadedLanguagesAsVector(&languages_);
    for (const auto& lang : requested)
        if (std::find(languages_.begin(), languages_.end(), lang) == languages_.end())
            throwMissingLanguages(config, requested, languages_, api.GetDatapath());

    api.SetPageSegMode(static_cast<tesseract::PageSegMode>(config.psm));
    // Some Tesseract parameters are process-wide globals; instances are
    // created on several worker threads, so writes to them are serialised.
    static std::mutex parameterMutex;
    const std::lock_guard lock(parameterMutex);
    // Tesseract reports page-level trivia ("Estimating resolution as 168",
    // "Detected 12 diacritics") on stderr, where it would interleave across
    // workers; what matters reaches the record through the results. A
    // debug_file in tesseract_variables overrides this.
    api.SetVariable("debug_file", "/dev/null");
    for (const auto& [name, value] : config.variables)
        if (!api.SetVariable(name.c_str(), value.c_str()))
            throw std::runtime_error("Tesseract has no parameter '" + name +
                                     "' (from 'tesseract_variables')");
}

TesseractEngine::~TesseractEngine() = default;

std::string TesseractEngine::version() {
    return tesseract::TessBaseAPI::Version();
}

std::vector<OcrWord> TesseractEngine::recognize(const sdk::ImageView& image, uint32_t dpi) {
    if (!validImage(image))
        throw sdk::Error("ocr.bad_image",
                         "the page image is malformed (size, stride or format); "
                         "the decoder or preprocess stage produced it");
    tesseract::TessBaseAPI& api = *api_->api;
    // Results and the image copy are freed after every page; the models stay.
    struct ClearOnExit {
        tesseract::TessBaseAPI& api;
        ~ClearOnExit() { api.Clear(); }
    } clearOnExit{api};

    const int width = static_cast<int>(image.width);
    const int height = static_cast<int>(image.height);
    if (image.format == SAKSI_PIXEL_RGBA32 && hasTransparency(image)) {
        const std::vector<uint8_t> rgb = flattenOnWhite(image);
        api.SetImage(rgb.data(), width, height, 3, width * 3);  // SetImage copies
    } else {
        const int bytesPerPixel = static_cast<int>(sdk::ImageView::bytesPerPixel(image.format));
        api.SetImage(image.pixels, width, height, bytesPerPixel, static_cast<int>(image.stride));
    }
    if (dpi < kMinCredibleDpi || dpi > kMaxCredibleDpi) dpi = static_cast<uint32_t>(fallbackDpi_);
    if (dpi != 0) api.SetSourceResolution(static_cast<int>(dpi));

    if (api.Recognize(nullptr) != 0)
        throw sdk::Error("ocr.failed", "Tesseract could not recognise the page image");

    std::vector<OcrWord> words;
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    if (!it) return words;
    int block = -1, paragraph = -1, line = -1;
    do {
        if (it->IsAtBeginningOf(tesseract::RIL_BLOCK)) ++block;
        if (it->IsAtBeginningOf(tesseract::RIL_PARA)) ++paragraph;
        if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) ++line;
        if (it->Empty(tesseract::RIL_WORD)) continue;
        const std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
        int left = 0, top = 0, right = 0, bottom = 0;
        if (!text || !it->BoundingBox(tesseract::RIL_WORD, &left, &top, &right, &bottom)) continue;
        words.push_back({text.get(), saksi_box{left, top, right, bottom},
                         it->Confidence(tesseract::RIL_WORD), block, paragraph, line});
    } while (it->Next(tesseract::RIL_WORD));
    it.reset();
    reread(words, width, height);
    return words;
}

std::vector<OcrWord> TesseractEngine::readLine(const saksi_box& region, const OcrWord& layout) {
    tesseract::TessBaseAPI& api = *api_->api;
    api.SetRectangle(region.x0, region.y0, region.x1 - region.x0, region.y1 - region.y0);
    std::vector<OcrWord> words;
    if (api.Recognize(nullptr) != 0) return words;
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    if (!it) return words;
    do {
        if (it->Empty(tesseract::RIL_WORD)) continue;
        const std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
        int l = 0, t = 0, r = 0, b = 0;
        if (!text || text[0] == '\0' || !it->BoundingBox(tesseract::RIL_WORD, &l, &t, &r, &b))
            continue;
        words.push_back({text.get(), saksi_box{l, t, r, b}, it->Confidence(tesseract::RIL_WORD),
                         layout.block, layout.paragraph, layout.line});
    } while (it->Next(tesseract::RIL_WORD));
    return words;
}

void TesseractEngine::reread(std::vector<OcrWord>& words, int width, int height) {
    tesseract::TessBaseAPI& api = *api_->api;
    auto sameLine = [](const OcrWord& a, const OcrWord& b) {
        return a.block == b.block && a.paragraph == b.paragraph && a.line == b.line;
    };
    // MRZ lines score low by nature, and extract.mrz reads them with what it
    // knows of their fillers: a line of at least 20 capitals, digits and '<'
    // (nine in ten of its characters, OCR adds specks) is left as it is.
    std::vector<bool> mrzLike(words.size(), false);
    for (std::size_t first = 0, end = 0; first < words.size(); first = end) {
        std::size_t chars = 0, mrzChars = 0;
        for (end = first; end < words.size() && sameLine(words[end], words[first]); ++end) {
            for (const char c : words[end].text) {
                ++chars;
                if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<') ++mrzChars;
            }
        }
        if (mrzChars >= 20 && mrzChars * 10 >= chars * 9)
            std::fill(mrzLike.begin() + static_cast<std::ptrdiff_t>(first),
                      mrzLike.begin() + static_cast<std::ptrdiff_t>(end), true);
    }
    auto unsure = [&](std::size_t k) {
        return words[k].conf < rereadBelow_ && !mrzLike[k] &&
               words[k].text.find('<') == std::string::npos;
    };
    std::vector<OcrWord> out;  // the words with each better reading in place of its run
    out.reserve(words.size());
    bool changedMode = false;
    for (std::size_t i = 0; i < words.size();) {
        if (!unsure(i)) {
            out.push_back(std::move(words[i++]));
            continue;
        }
        // A run of unsure neighbours is read as one line: Tesseract often
        // splits a word it cannot read ("rekrutmen" "@karyabersama...").
        std::size_t last = i;
        while (last + 1 < words.size() && sameLine(words[last + 1], words[i]) && unsure(last + 1))
            ++last;
        saksi_box box = words[i].bbox;
        float oldConf = 0;
        for (std::size_t k = i; k <= last; ++k) {
            const saksi_box& b = words[k].bbox;
            box = {std::min(box.x0, b.x0), std::min(box.y0, b.y0), std::max(box.x1, b.x1),
                   std::max(box.y1, b.y1)};
            oldConf += words[k].conf / static_cast<float>(last - i + 1);
        }
        // Room for strokes the boxes cut (half the height sideways, a fifth
        // up and down), never reaching a neighbouring word of the line.
        const int h = box.y1 - box.y0;
        const int left =
            !out.empty() && sameLine(out.back(), words[i]) ? out.back().bbox.x1 + 1 : 0;
        const int right = last + 1 < words.size() && sameLine(words[last + 1], words[i])
                              ? words[last + 1].bbox.x0 - 1
                              : width;
        const saksi_box region{std::max({0, left, box.x0 - h / 2}),
                               std::max(0, box.y0 - std::max(2, h / 5)),
                               std::min({width, right, box.x1 + h / 2}),
                               std::min(height, box.y1 + std::max(2, h / 5))};
        std::vector<OcrWord> again;
        if (region.x1 - region.x0 >= 4 && region.y1 - region.y0 >= 4) {
            if (!changedMode) api.SetPageSegMode(tesseract::PSM_SINGLE_LINE), changedMode = true;
            again = readLine(region, words[i]);
        }
        if (again.empty()) {  // no region, or a blank reading: the run goes on from the next word
            out.push_back(std::move(words[i++]));
            continue;
        }
        float newConf = 0;
        for (const OcrWord& w : again) newConf += w.conf;
        newConf /= static_cast<float>(again.size());
        if (newConf > oldConf) {
            out.insert(out.end(), std::make_move_iterator(again.begin()),
                       std::make_move_iterator(again.end()));
        } else {
            for (std::size_t k = i; k <= last; ++k) out.push_back(std::move(words[k]));
        }
        i = last + 1;
    }
    words = std::move(out);
    if (changedMode) api.SetPageSegMode(static_cast<tesseract::PageSegMode>(psm_));
}

}  // namespace saksi::ocr
