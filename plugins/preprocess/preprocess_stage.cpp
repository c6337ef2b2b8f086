// preprocess_stage.cpp -- the preprocess.leptonica stage and the plugin entry.
#include "gray_image.hpp"
#include "noise_guard.hpp"
#include "page_preprocessor.hpp"

#include <saksi/sdk/sdk.hpp>

#include <stdexcept>
#include <string>

namespace saksi::preprocess {
namespace {

// target_text_height: the median height of character components sits close to
// the x-height. Tesseract's guidance is that accuracy drops below 10 pt text at
// 300 dpi (x-height ~20 px) and falls fast below 8 pt (~17 px). With 20 px and
// the no-rescale band of 0.8-2x, 300-dpi scans of 8-12 pt text are left alone
// and screenshots and low-resolution photos are enlarged. Measured on a
// degraded phone screenshot (x-height 8 px): enlarging x2 or x3 gave the same
// words, x3 cost OCR a further 15-20% of time, so aiming higher buys nothing.
constexpr const char* kConfigSchema = R"({
  "deskew": {"type": "boolean", "default": true,
    "description": "Straighten pages whose text lines are tilted (up to 7 degrees), when the measurement is confident."},
  "binarize": {"type": "boolean", "default": false,
    "description": "Turn the page black and white with Sauvola's local threshold. Tesseract binarises by itself; this helps with uneven lighting."},
  "target_text_height": {"type": "integer", "default": 20, "minimum": 8, "maximum": 200,
    "description": "Median character height, in pixels, to rescale text to (about the x-height). Pages whose text is within 0.8-2 times this are not rescaled."},
  "max_scale": {"type": "number", "default": 3.0, "minimum": 1.0, "maximum": 8.0,
    "description": "Largest enlargement applied to small text."},
  "max_output_pixels": {"type": "integer", "default": 100000000, "minimum": 1000000,
    "description": "Enlargement stops before the page exceeds this many pixels."},
  "max_noise_components": {"type": "integer", "default": 25000, "minimum": 1000, "maximum": 1000000000,
    "description": "A page with more ink blobs per megapixel than this is noise, not a document: it fails with image.noise and is not OCR'd (Tesseract could spend many minutes on it). Text stays under about 8000."}
})";

bool booleanKey(const nlohmann::json& config, const char* key, bool fallback) {
    const auto it = config.find(key);
    if (it == config.end() || it->is_null()) return fallback;
    if (!it->is_boolean())
        throw std::invalid_argument(std::string("preprocess.leptonica: ") + key +
                                    " must be true or false");
    return it->get<bool>();
}

double numberKey(const nlohmann::json& config, const char* key, double fallback, double minimum,
                 double maximum) {
    const auto it = config.find(key);
    if (it == config.end() || it->is_null()) return fallback;
    if (!it->is_number())
        throw std::invalid_argument(std::string("preprocess.leptonica: ") + key +
                                    " must be a number");
    const double value = it->get<double>();
    if (!(value >= minimum && value <= maximum))
        throw std::invalid_argument(std::string("preprocess.leptonica: ") + key +
                                    " must be between " + std::to_string(minimum) + " and " +
                                    std::to_string(maximum));
    return value;
}

}  // namespace

class PreprocessStage {
public:
    static constexpr saksi::sdk::StageInfo info{
        SAKSI_STAGE_PREPROCESS,
        SAKSI_SCOPE_PAGE,
        "preprocess.leptonica",
        "Gray, deskew and rescale page images to an OCR-friendly text height",
        nullptr,
        kConfigSchema,
    };

    explicit PreprocessStage(const nlohmann::json& config) {
        options_.deskew = booleanKey(config, "deskew", options_.deskew);
        options_.binarize = booleanKey(config, "binarize", options_.binarize);
        options_.targetTextHeight =
            numberKey(config, "target_text_height", options_.targetTextHeight, 8, 200);
        options_.maxScale = numberKey(config, "max_scale", options_.maxScale, 1.0, 8.0);
        options_.maxOutputPixels = static_cast<uint64_t>(numberKey(
            config, "max_output_pixels", static_cast<double>(options_.maxOutputPixels), 1e6, 1e12));
        maxNoiseComponents_ =
            numberKey(config, "max_noise_components", maxNoiseComponents_, 1000, 1e9);
    }

    void process(saksi::sdk::Document& doc, uint32_t page) {
        const auto view = doc.pageImage(page);
        if (!view) return;  // a page read from a PDF text layer has no pixels
        PixPtr gray = grayPixFromView(*view);
        if (!gray)
            throw saksi::sdk::Error("preprocess.bad_image",
                                    "The page image has an unknown pixel format or size; this is "
                                    "a bug in the decode stage, please report it.");
        const NoiseMeasure noise = measureNoise(gray.get());
        if (isNoise(noise, maxNoiseComponents_))
            throw saksi::sdk::Error(
                "image.noise", "Page " + std::to_string(page + 1) + " is noise, not a document (" +
                                   std::to_string(static_cast<long>(noise.componentsPerMegapixel)) +
                                   " ink blobs per megapixel, more than max_noise_components " +
                                   std::to_string(static_cast<long>(maxNoiseComponents_)) +
                                   "); it is not OCR'd. Check the page in the original.");
        PreprocessResult result = preprocessPage(gray.get(), options_);
        const bool converted = view->format != SAKSI_PIXEL_GRAY8;
        if (!converted && result.note.empty()) return;  // already gray, nothing to change

        const std::vector<uint8_t> bytes = grayBytesFromPix(result.image.get());
        const auto width = static_cast<uint32_t>(pixGetWidth(result.image.get()));
        const auto height = static_cast<uint32_t>(pixGetHeight(result.image.get()));
        const saksi::sdk::ImageView out{
            width,       height, width, SAKSI_PIXEL_GRAY8, dpiAfter(view->dpi, result.scale),
            bytes.data()};
        const std::string note =
            converted ? (result.note.empty() ? "gray" : "gray; " + result.note) : result.note;
        doc.setPageImage(page, out, width / pageWidth(doc, page, view->width),
                         result.skewDegrees.value_or(0.0f), note);
    }

private:
    static uint32_t dpiAfter(uint32_t dpi, double scale) {
        return static_cast<uint32_t>(std::lround(dpi * scale));
    }

    // The page's own width (the record's frame); the working image handed to
    // this stage may already be scaled by an earlier one.
    static double pageWidth(const saksi::sdk::Document& doc, uint32_t page, uint32_t imageWidth) {
        try {
            const auto width = doc.json("/pages/" + std::to_string(page) + "/width");
            if (width && width->is_number() && width->get<double>() > 0)
                return width->get<double>();
        } catch (const std::exception&) {
            // An unreadable value: fall back on the image, which is the page
            // size unless an earlier stage rescaled it.
        }
        return imageWidth;
    }

    PreprocessOptions options_;
    double maxNoiseComponents_ = 25000;
};

}  // namespace saksi::preprocess

SAKSI_PLUGIN("preprocess", "1.0.0", "Page image preparation for OCR with Leptonica", "Apache-2.0",
             saksi::preprocess::PreprocessStage)
