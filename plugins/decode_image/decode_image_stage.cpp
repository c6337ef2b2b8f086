// decode_image_stage.cpp -- the decode.image stage and the plugin entry.
#include "image_decoder.hpp"

#include <saksi/sdk/sdk.hpp>

#include <leptonica/allheaders.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace saksi::decode_image {
namespace {

constexpr const char* kMediaTypes[] = {"image/png",      "image/jpeg", "image/tiff", "image/bmp",
                                       "image/x-ms-bmp", "image/gif",  "image/webp", nullptr};

constexpr const char* kConfigSchema = R"({
  "max_pixels": {"type": "integer", "default": 200000000, "minimum": 1,
    "description": "Largest page decoded, in pixels (width x height; for a GIF, all its frames). A larger page fails with image.too_large before any pixel is decoded."},
  "max_pages": {"type": "integer", "default": 1000, "minimum": 1,
    "description": "Most pages in one file (multi-page TIFF). More fails with image.too_many_pages."},
  "default_dpi": {"type": "integer", "default": 300, "minimum": 1, "maximum": 4800,
    "description": "Resolution recorded when the file gives none or an implausible one (outside 50..4800). 300 is what document scanners and Tesseract assume; phone photos and screenshots carry no real resolution anyway."}
})";

template <class T>
T integerKey(const nlohmann::json& config, const char* key, T fallback, T minimum, T maximum) {
    const auto it = config.find(key);
    if (it == config.end() || it->is_null()) return fallback;
    if (!it->is_number_integer())
        throw std::invalid_argument(std::string("decode.image: ") + key + " must be an integer");
    const auto value = it->get<int64_t>();
    if (value < static_cast<int64_t>(minimum) || static_cast<uint64_t>(value) > maximum)
        throw std::invalid_argument(std::string("decode.image: ") + key + " must be between " +
                                    std::to_string(minimum) + " and " + std::to_string(maximum));
    return static_cast<T>(value);
}

std::string leptonicaVersion() {
    std::unique_ptr<char, void (*)(void*)> text(getLeptonicaVersion(), &lept_free);
    std::string version = text ? text.get() : "";
    if (version.rfind("leptonica-", 0) == 0) version.erase(0, 10);
    return version;
}

}  // namespace

class DecodeImageStage {
public:
    static constexpr saksi::sdk::StageInfo info{
        SAKSI_STAGE_DECODE,
        SAKSI_SCOPE_DOCUMENT,
        "decode.image",
        "Decodes PNG, JPEG, TIFF (every page), BMP, GIF and WebP into gray or RGB pages",
        kMediaTypes,
        kConfigSchema,
    };

    explicit DecodeImageStage(const nlohmann::json& config)
        : leptonicaVersion_(leptonicaVersion()) {
        options_.maxPixels =
            integerKey<uint64_t>(config, "max_pixels", options_.maxPixels, 1, UINT64_MAX / 4);
        options_.maxPages =
            integerKey<uint32_t>(config, "max_pages", options_.maxPages, 1, UINT32_MAX - 1);
        options_.defaultDpi =
            integerKey<uint32_t>(config, "default_dpi", options_.defaultDpi, 1, 4800);
    }

    void process(saksi::sdk::Document& doc) {
        try {
            doc.put("/provenance/engines/leptonica", leptonicaVersion_);
        } catch (const saksi::sdk::Error& e) {
            // Provenance is worth a warning, not the document.
            doc.log(saksi::sdk::LogLevel::warning, std::string("decode.image: ") + e.what());
        }
        decodeImage(doc.sourceBytes(), options_, [&doc](DecodedPage&& page) {
            const PixelBuffer& image = page.image;
            const saksi::sdk::ImageView view{image.width,  image.height, image.stride,
                                             image.format, page.dpi,     image.pixels.data()};
            doc.addPage(image.width, image.height, page.dpi, &view, "file");
        });
    }

private:
    DecodeOptions options_;
    std::string leptonicaVersion_;
};

}  // namespace saksi::decode_image

SAKSI_PLUGIN("decode_image", "1.0.0", "Image decoding with Leptonica", "Apache-2.0",
             saksi::decode_image::DecodeImageStage)
