#include "pdf_decode_stage.hpp"

#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <poppler-version.h>
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "embedded_image.hpp"
#include "pixel_convert.hpp"
#include "poppler_log.hpp"
#include "text_assembly.hpp"

namespace saksi::decode_pdf {

using saksi::sdk::Document;
using saksi::sdk::Error;
using saksi::sdk::LogLevel;

namespace {

template <class T>
T readNumber(const nlohmann::json& config, const char* key, T fallback, double min, double max) {
    if (!config.contains(key)) return fallback;
    const nlohmann::json& value = config.at(key);
    if (!value.is_number()) throw std::invalid_argument(std::string(key) + " must be a number");
    const double number = value.get<double>();
    if (!(number >= min && number <= max))
        throw std::invalid_argument(std::string(key) + " must be between " + std::to_string(min) +
                                    " and " + std::to_string(max));
    return static_cast<T>(number);
}

// A page's frame: its displayed size (crop box, /Rotate applied) in pixels.
struct PageFrame {
    uint32_t width = 0, height = 0, dpi = 0;
    double pixelsPerPoint() const { return dpi / 72.0; }
};

// Poppler's Splash output sizes a page as (int)(points * dpi / 72 + 0.5); the
// text frame uses the same rounding so that word boxes match a render.
uint32_t toPixels(double points, uint32_t dpi) {
    return std::max<uint32_t>(1, static_cast<uint32_t>(points * dpi / 72.0 + 0.5));
}

PageFrame frameOf(const poppler::page& page, const PdfDecodeConfig& config) {
    const poppler::rectf box = page.page_rect(poppler::crop_box);
    double widthPt = std::abs(box.width());
    double heightPt = std::abs(box.height());
    const auto orientation = page.orientation();
    if (orientation == poppler::page::landscape || orientation == poppler::page::seascape)
        std::swap(widthPt, heightPt);
    PageFrame frame{toPixels(widthPt, config.dpi), toPixels(heightPt, config.dpi), config.dpi};
    const double pixels = static_cast<double>(frame.width) * frame.height;
    if (pixels > static_cast<double>(config.maxPagePixels)) {
        const double factor = std::sqrt(static_cast<double>(config.maxPagePixels) / pixels);
        frame.dpi = std::max<uint32_t>(1, static_cast<uint32_t>(config.dpi * factor));
        frame.width = toPixels(widthPt, frame.dpi);
        frame.height = toPixels(heightPt, frame.dpi);
    }
    return frame;
}

std::vector<PdfWord> readWords(const poppler::page& page) {
    std::vector<PdfWord> words;
    std::vector<poppler::text_box> boxes = page.text_list();
    words.reserve(boxes.size());
    for (const poppler::text_box& box : boxes) {
        const poppler::byte_array utf8 = box.text().to_utf8();
        const poppler::rectf r = box.bbox();
        words.push_back({std::string(utf8.begin(), utf8.end()), r.left(), r.top(), r.right(),
                         r.bottom(), box.rotation(), box.has_space_after()});
    }
    return words;
}

void addTextPage(Document& doc, const PageFrame& frame, const std::vector<PdfWord>& words,
                 ReadingOrder order) {
    const AssembledText text =
        assembleText(words, frame.pixelsPerPoint(), frame.width, frame.height, order);
    doc.addPage(frame.width, frame.height, frame.dpi, nullptr, nullptr);
    doc.setPageText(doc.pageCount() - 1, SAKSI_TEXT_PDF, text.text, text.words, -1.0f);
}

// Renders the page at the frame's dpi, GRAY8 or RGB24. Returns false when
// Poppler could not render it.
bool renderPage(const poppler::page& page, const PageFrame& frame, bool gray,
                std::vector<uint8_t>& pixels, saksi::sdk::ImageView& view) {
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer.set_image_format(poppler::image::format_argb32);
    const poppler::image render = renderer.render_page(&page, frame.dpi, frame.dpi);
    if (!render.is_valid() || render.format() != poppler::image::format_argb32 ||
        render.width() <= 0 || render.height() <= 0)
        return false;

    const auto width = static_cast<uint32_t>(render.width());
    const auto height = static_cast<uint32_t>(render.height());
    const auto* argb = reinterpret_cast<const uint8_t*>(render.const_data());
    const auto stride = static_cast<uint32_t>(render.bytes_per_row());
    view.width = width;
    view.height = height;
    view.dpi = frame.dpi;
    if (gray) {
        argb32ToGray8(argb, width, height, stride, pixels);
        view.format = SAKSI_PIXEL_GRAY8;
        view.stride = width;
    } else {
        argb32ToRgb24(argb, width, height, stride, pixels);
        view.format = SAKSI_PIXEL_RGB24;
        view.stride = width * 3;
    }
    view.pixels = pixels.data();
    return true;
}

// The pixels of `view` placed on a white canvas of width x height (cropped
// or padded at the right and bottom edges): a fallback render made at the
// page's dpi can differ by a pixel from the image frame it replaces.
void fitTo(uint32_t width, uint32_t height, std::vector<uint8_t>& pixels,
           saksi::sdk::ImageView& view) {
    if (view.width == width && view.height == height) return;
    const uint32_t bpp = saksi::sdk::ImageView::bytesPerPixel(view.format);
    std::vector<uint8_t> fitted(std::size_t(width) * height * bpp, 255);
    const std::size_t row = std::size_t(std::min(width, view.width)) * bpp;
    for (uint32_t y = 0; y < std::min(height, view.height); ++y)
        std::memcpy(fitted.data() + std::size_t(y) * width * bpp,
                    view.pixels + std::size_t(y) * view.stride, row);
    pixels = std::move(fitted);
    view.width = width;
    view.height = height;
    view.stride = width * bpp;
    view.pixels = pixels.data();
}

std::unique_ptr<poppler::document> openPdf(std::span<const uint8_t> bytes) {
    if (bytes.empty()) throw Error("pdf.corrupt", "The PDF file is empty.");
    if (bytes.size() > static_cast<std::size_t>(INT_MAX))
        throw Error("pdf.too_large",
                    "The PDF file is larger than 2 GiB, which Poppler cannot "
                    "read from memory; split it into smaller files.");
    // Poppler reads the host's bytes in place; they outlive the document.
    std::unique_ptr<poppler::document> pdf(poppler::document::load_from_raw_data(
        reinterpret_cast<const char*>(bytes.data()), static_cast<int>(bytes.size())));
    if (!pdf)
        throw Error("pdf.corrupt",
                    "Poppler could not read the PDF (damaged, truncated or not a "
                    "PDF); check the original or obtain a new copy.");
    return pdf;
}

Error pageCorrupt(uint32_t index) {
    return Error("pdf.page_corrupt", "Page " + std::to_string(index + 1) +
                                         " could not be read and is left empty; check that "
                                         "page in the original.");
}

}  // namespace

// Tries each configured password (as owner and as user password). Never
// logs a password, only its position in the list.
std::string PdfDecodeStage::unlock(Document& doc, poppler::document& pdf, bool quiet) const {
    const auto& passwords = config_.passwords;
    for (std::size_t i = 0; i < passwords.size(); ++i) {
        if (!pdf.unlock(passwords[i], passwords[i])) {
            if (!quiet)
                doc.log(LogLevel::info, "decode.pdf: encrypted PDF opened with password " +
                                            std::to_string(i + 1) + " of " +
                                            std::to_string(passwords.size()));
            return passwords[i];
        }
    }
    if (passwords.empty())
        throw Error("pdf.encrypted",
                    "The PDF is encrypted with a user password; run saksi process with "
                    "--password-file FILE (one password per line) and --retry-failed, or "
                    "decrypt it (qpdf --decrypt) and submit it again.");
    throw Error("pdf.encrypted", "None of the " + std::to_string(passwords.size()) +
                                     " passwords from --password-file opens this encrypted "
                                     "PDF; add its password to the file and run again with "
                                     "--retry-failed.");
}

PdfDecodeConfig PdfDecodeConfig::fromJson(const nlohmann::json& config) {
    if (!config.is_object())
        throw std::invalid_argument("decode.pdf: the configuration must be an object");
    PdfDecodeConfig c;
    c.dpi = readNumber<uint32_t>(config, "dpi", c.dpi, 36, 1200);
    c.minEmbeddedDpi = readNumber<uint32_t>(config, "min_embedded_dpi", c.minEmbeddedDpi, 0, 1200);
    c.ocr.minChars = readNumber<std::size_t>(config, "min_chars", c.ocr.minChars, 0, 1e6);
    c.ocr.maxUnmappedRatio =
        readNumber<double>(config, "max_unmapped_ratio", c.ocr.maxUnmappedRatio, 0, 1);
    c.maxPages = readNumber<uint32_t>(config, "max_pages", c.maxPages, 1, 1e6);
    c.maxPagePixels = readNumber<uint64_t>(config, "max_page_pixels", c.maxPagePixels, 1e6, 1e9);
    if (config.contains("render_format")) {
        const nlohmann::json& format = config.at("render_format");
        if (format == "gray")
            c.gray = true;
        else if (format != "rgb")
            throw std::invalid_argument("render_format must be \"rgb\" or \"gray\"");
    }
    if (config.contains("image_pages")) {
        const nlohmann::json& pages = config.at("image_pages");
        if (pages == "render")
            c.embeddedImages = false;
        else if (pages != "embedded")
            throw std::invalid_argument("image_pages must be \"embedded\" or \"render\"");
    }
    if (config.contains("reading_order")) {
        const nlohmann::json& order = config.at("reading_order");
        if (order == "poppler")
            c.readingOrder = ReadingOrder::poppler;
        else if (order != "physical")
            throw std::invalid_argument("reading_order must be \"physical\" or \"poppler\"");
    }
    if (config.contains("passwords")) {
        const nlohmann::json& passwords = config.at("passwords");
        if (!passwords.is_array())
            throw std::invalid_argument("passwords must be a list of strings");
        for (const nlohmann::json& password : passwords) {
            if (!password.is_string())
                throw std::invalid_argument("passwords must be a list of strings");
            c.passwords.push_back(password.get<std::string>());
        }
    }
    return c;
}

PdfDecodeStage::PdfDecodeStage(const nlohmann::json& config)
    : config_(PdfDecodeConfig::fromJson(config)) {
    PopplerLogScope::install();
}

void PdfDecodeStage::process(Document& doc) {
    const PopplerLogScope logScope(doc.host());
    doc.put("/provenance/engines/poppler", poppler::version_string());

    const std::span<const uint8_t> bytes = doc.sourceBytes();
    const std::unique_ptr<poppler::document> pdf = openPdf(bytes);
    const std::string password = pdf->is_locked() ? unlock(doc, *pdf, false) : std::string();
    const int pageCount = pdf->pages();
    if (pageCount <= 0)
        throw Error("pdf.corrupt",
                    "The PDF has no readable pages; it may be truncated or damaged.");
    if (static_cast<uint64_t>(pageCount) > config_.maxPages)
        throw Error("pdf.too_many_pages", "The PDF has " + std::to_string(pageCount) +
                                              " pages, more than max_pages (" +
                                              std::to_string(config_.maxPages) +
                                              "); split it or raise decode.pdf max_pages.");
    if (pdf->is_encrypted())
        doc.log(LogLevel::info, "decode.pdf: encrypted PDF without a user password, read as is");

    // Pages sent to OCR are only sized here: decodePage() makes their image
    // when a stage asks for it, so a long scan is held a page at a time.
    // The image streams are opened on the first such page.
    std::unique_ptr<PdfImages> images;
    bool imagesTried = !config_.embeddedImages;
    int unreadable = 0;
    PageFrame lastFrame{toPixels(595.0, config_.dpi), toPixels(842.0, config_.dpi), config_.dpi};
    for (int index = 0; index < pageCount; ++index) {
        const std::unique_ptr<poppler::page> page(pdf->create_page(index));
        if (!page) {
            // Keep the page, empty, so that the record's page numbers stay the PDF's.
            ++unreadable;
            doc.addPage(lastFrame.width, lastFrame.height, lastFrame.dpi);
            const Error error = pageCorrupt(static_cast<uint32_t>(index));
            doc.addError(error.code(), error.what());
            continue;
        }
        const PageFrame frame = frameOf(*page, config_);
        lastFrame = frame;
        const std::vector<PdfWord> words = readWords(*page);
        TextLayerStats stats;
        for (const PdfWord& word : words) countText(word.text, stats);
        const PageSource source = choosePageSource(stats, config_.ocr);
        doc.log(LogLevel::debug, "decode.pdf: page " + std::to_string(index + 1) + ": " +
                                     toString(source) + " (" + std::to_string(stats.characters) +
                                     " characters, " + std::to_string(stats.unmapped) +
                                     " unmapped, " + std::to_string(frame.dpi) + " dpi)");
        if (source == PageSource::textLayer) {
            addTextPage(doc, frame, words, config_.readingOrder);
            continue;
        }
        if (!imagesTried) {
            imagesTried = true;
            try {
                images = std::make_unique<PdfImages>(bytes, password);
            } catch (const std::exception& e) {
                doc.log(LogLevel::info,
                        std::string("decode.pdf: ") + e.what() + "; every page is rendered");
            }
        }
        std::string whyNot;
        EmbeddedImage found;
        if (images) {
            const std::optional<EmbeddedImage> probed = images->probe(index, whyNot);
            if (probed) found = *probed;
        }
        if (static_cast<uint64_t>(found.width) * found.height > config_.maxPagePixels) {
            whyNot = "its image is larger than max_page_pixels";
            found = {};
        }
        // Tesseract reads a 200-dpi scan worse than Poppler's 300-dpi
        // rendering of it ("+63" became "t63", and enlarging the image
        // before OCR lost other values): render those.
        if (found.width > 0 && found.dpi < config_.minEmbeddedDpi) {
            whyNot =
                "its image is below min_embedded_dpi " + std::to_string(config_.minEmbeddedDpi);
            found = {};
        }
        if (found.width > 0) {
            doc.addPageOnDemand(found.width, found.height, found.dpi, "embedded");
        } else {
            if (images)
                doc.log(LogLevel::debug, "decode.pdf: page " + std::to_string(index + 1) +
                                             " is rendered: " + whyNot);
            doc.addPageOnDemand(frame.width, frame.height, frame.dpi, "render");
        }
    }
    if (unreadable == pageCount)
        throw Error("pdf.corrupt", "None of the PDF's " + std::to_string(pageCount) +
                                       " pages could be read; the file is damaged.");
}

void PdfDecodeStage::decodePage(Document& doc, uint32_t index) {
    const PopplerLogScope logScope(doc.host());
    const std::span<const uint8_t> bytes = doc.sourceBytes();
    const std::unique_ptr<poppler::document> pdf = openPdf(bytes);
    const std::string password = pdf->is_locked() ? unlock(doc, *pdf, true) : std::string();
    const std::optional<nlohmann::json> record = doc.json("/pages/" + std::to_string(index));
    if (!record)
        throw Error("pdf.page_corrupt", "the host has no page " + std::to_string(index + 1));
    const auto width = record->at("width").get<uint32_t>();
    const auto height = record->at("height").get<uint32_t>();
    const int number = static_cast<int>(index);

    if (record->value("image_source", nlohmann::json()) == "embedded") {
        try {
            PdfImages images(bytes, password);
            std::string whyNot;
            if (!images.probe(number, whyNot)) throw std::runtime_error(whyNot);
            const DecodedImage image = images.decode(number, config_.gray);
            if (image.width != width || image.height != height)
                throw std::runtime_error("its image changed size");
            saksi::sdk::ImageView view;
            view.width = image.width;
            view.height = image.height;
            view.format = image.rgb ? SAKSI_PIXEL_RGB24 : SAKSI_PIXEL_GRAY8;
            view.stride = image.width * (image.rgb ? 3 : 1);
            view.dpi = record->value("dpi", 0u);
            view.pixels = image.pixels.data();
            doc.setDecodedImage(index, view);
            return;
        } catch (const std::exception& e) {
            doc.log(LogLevel::warning, "decode.pdf: page " + std::to_string(index + 1) +
                                           ": its image does not decode (" + e.what() +
                                           "); rendering it instead");
        }
    }
    const std::unique_ptr<poppler::page> page(pdf->create_page(number));
    if (!page) throw pageCorrupt(index);
    PageFrame frame = frameOf(*page, config_);
    frame.dpi = record->value("dpi", frame.dpi);
    std::vector<uint8_t> pixels;
    saksi::sdk::ImageView view;
    if (!renderPage(*page, frame, config_.gray, pixels, view)) throw pageCorrupt(index);
    fitTo(width, height, pixels, view);
    const bool fellBack = record->value("image_source", nlohmann::json()) != "render";
    doc.setDecodedImage(index, view, fellBack ? "render" : nullptr);
}

}  // namespace saksi::decode_pdf
