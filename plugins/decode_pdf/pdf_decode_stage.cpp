#include "pdf_decode_stage.hpp"

#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <poppler-version.h>
#include <algorithm>
#include <climits>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

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
    doc.addPage(frame.width, frame.height, frame.dpi);
    doc.setPageText(doc.pageCount() - 1, SAKSI_TEXT_PDF, text.text, text.words, -1.0f);
}

// Renders the page and adds it with its image. Returns false when Poppler
// could not render it. The render and its conversion live only in this call:
// the host copies the pixels, so a long PDF holds one page at a time.
bool addRenderedPage(Document& doc, const poppler::page& page, const PageFrame& frame, bool gray) {
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
    std::vector<uint8_t> pixels;
    saksi::sdk::ImageView view;
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
    doc.addPage(width, height, frame.dpi, &view);
    return true;
}

}  // namespace

// Tries each configured password (as owner and as user password). Never
// logs a password, only its position in the list.
void PdfDecodeStage::unlock(Document& doc, poppler::document& pdf) const {
    const auto& passwords = config_.passwords;
    for (std::size_t i = 0; i < passwords.size(); ++i) {
        if (!pdf.unlock(passwords[i], passwords[i])) {
            doc.log(LogLevel::info, "decode.pdf: encrypted PDF opened with password " +
                                        std::to_string(i + 1) + " of " +
                                        std::to_string(passwords.size()));
            return;
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
    if (bytes.empty()) throw Error("pdf.corrupt", "The PDF file is empty.");
    if (bytes.size() > static_cast<std::size_t>(INT_MAX))
        throw Error("pdf.too_large",
                    "The PDF file is larger than 2 GiB, which Poppler cannot "
                    "read from memory; split it into smaller files.");

    // Poppler reads the host's bytes in place; they outlive `pdf`.
    const std::unique_ptr<poppler::document> pdf(poppler::document::load_from_raw_data(
        reinterpret_cast<const char*>(bytes.data()), static_cast<int>(bytes.size())));
    if (!pdf)
        throw Error("pdf.corrupt",
                    "Poppler could not read the PDF (damaged, truncated or not a "
                    "PDF); check the original or obtain a new copy.");
    if (pdf->is_locked()) unlock(doc, *pdf);
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

    int unreadable = 0;
    PageFrame lastFrame{toPixels(595.0, config_.dpi), toPixels(842.0, config_.dpi), config_.dpi};
    for (int index = 0; index < pageCount; ++index) {
        const std::unique_ptr<poppler::page> page(pdf->create_page(index));
        bool ok = false;
        if (page) {
            const PageFrame frame = frameOf(*page, config_);
            lastFrame = frame;
            const std::vector<PdfWord> words = readWords(*page);
            TextLayerStats stats;
            for (const PdfWord& word : words) countText(word.text, stats);
            const PageSource source = choosePageSource(stats, config_.ocr);
            doc.log(LogLevel::debug, "decode.pdf: page " + std::to_string(index + 1) + ": " +
                                         toString(source) + " (" +
                                         std::to_string(stats.characters) + " characters, " +
                                         std::to_string(stats.unmapped) + " unmapped, " +
                                         std::to_string(frame.dpi) + " dpi)");
            if (source == PageSource::textLayer) {
                addTextPage(doc, frame, words, config_.readingOrder);
                ok = true;
            } else {
                ok = addRenderedPage(doc, *page, frame, config_.gray);
            }
        }
        if (!ok) {
            // Keep the page, empty, so that the record's page numbers stay the PDF's.
            ++unreadable;
            doc.addPage(lastFrame.width, lastFrame.height, lastFrame.dpi);
            doc.addError("pdf.page_corrupt", "Page " + std::to_string(index + 1) +
                                                 " could not be read and is left empty; check "
                                                 "that page in the original.");
        }
    }
    if (unreadable == pageCount)
        throw Error("pdf.corrupt", "None of the PDF's " + std::to_string(pageCount) +
                                       " pages could be read; the file is damaged.");
}

}  // namespace saksi::decode_pdf
