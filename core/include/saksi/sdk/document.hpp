// saksi/sdk/document.hpp -- the document a stage sees, over the C host API.
#pragma once

#include <saksi/plugin_abi.h>

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace saksi::sdk {

// An error with a stable dotted code ("pdf.encrypted") and a sentence for the
// user. Thrown from a stage, it becomes an entry in the record's errors[].
class Error : public std::runtime_error {
public:
    Error(std::string code, const std::string& message)
        : std::runtime_error(message), code_(std::move(code)) {}
    const std::string& code() const noexcept { return code_; }

private:
    std::string code_;
};

// A non-owning view of pixels; who owns them is said where a view is handed out.
struct ImageView {
    uint32_t width = 0;
    uint32_t height = 0;
    uint32_t stride = 0;
    uint32_t format = SAKSI_PIXEL_GRAY8;
    uint32_t dpi = 0;
    const uint8_t* pixels = nullptr;

    static ImageView fromAbi(const saksi_image& image) {
        return {image.width, image.height, image.stride, image.format, image.dpi, image.pixels};
    }
    saksi_image toAbi() const { return {width, height, stride, format, dpi, pixels}; }
    static uint32_t bytesPerPixel(uint32_t format) {
        return format == SAKSI_PIXEL_RGBA32 ? 4 : format == SAKSI_PIXEL_RGB24 ? 3 : 1;
    }
};

// A word for setPageText(); boxes in working-image pixels.
struct Word {
    std::string text;
    saksi_box bbox{};
    float conf = -1.0f;
};

// An entity for addEntity(); see DESIGN.md "Record" for the meaning of each field.
struct Entity {
    std::string type;                        // "phone", "person", ...
    std::string text;                        // as it stands in the page text
    nlohmann::json normalized;               // null when there is no normal form
    uint32_t page = 0;                       // 1-based
    saksi_box bbox{};                        // union of the words it came from
    std::size_t spanBegin = 0, spanEnd = 0;  // [begin, end) in the page text, bytes
    double confidence = 1.0;                 // 0..1
    bool sensitive = false;                  // true: redaction policies may act on it
    std::string detector;                    // empty: the host fills in the stage's
};

enum class LogLevel : int32_t { debug = 0, info = 1, warning = 2, error = 3 };

// The document being processed. Valid only during the stage's process().
class Document {
public:
    Document(const saksi_host_api* host, saksi_doc* doc) : host_(host), doc_(doc) {}

    std::string_view sourcePath() const { return view(host_->source_path(doc_)); }
    std::string_view mediaType() const { return view(host_->media_type(doc_)); }
    std::string_view outputDir() const { return view(host_->output_dir(doc_)); }
    std::span<const uint8_t> sourceBytes() const {
        const uint8_t* data = nullptr;
        std::size_t size = 0;
        if (host_->source_bytes(doc_, &data, &size) != SAKSI_OK) return {};
        return {data, size};
    }

    uint32_t pageCount() const { return host_->page_count(doc_); }

    // Decoders: appends a page of width x height page pixels at dpi, with an
    // optional image of the same size (copied by the host) and how it was
    // made (saksi_page_init.image_source: "embedded", "render", "file").
    void addPage(uint32_t width, uint32_t height, uint32_t dpi, const ImageView* image = nullptr,
                 const char* imageSource = nullptr) {
        saksi_image abiImage{};
        if (image) abiImage = image->toAbi();
        saksi_page_init init{sizeof(saksi_page_init),     width,       height, dpi,
                             image ? &abiImage : nullptr, imageSource, 0};
        check(host_->add_page(doc_, &init), "add_page");
    }

    // Decoders with a decodePage() (ABI 1.2): appends a page whose image
    // decodePage() makes when a stage asks for it.
    void addPageOnDemand(uint32_t width, uint32_t height, uint32_t dpi, const char* imageSource) {
        saksi_page_init init{sizeof(saksi_page_init), width, height, dpi, nullptr, imageSource, 1};
        check(host_->add_page(doc_, &init), "add_page");
    }

    // In decodePage(): hands over the page's image, of the page's own size.
    // `imageSource` replaces what addPageOnDemand() said (nullptr: keep it).
    void setDecodedImage(uint32_t page, const ImageView& image, const char* imageSource = nullptr) {
        saksi_image abiImage = image.toAbi();
        check(host_->set_page_image(doc_, page, &abiImage, nullptr, imageSource), "set_page_image");
    }

    // Says the view pageImage(page) gave is no longer used, so the host may
    // free it now (ABI 1.2; a no-op on an older host).
    void releasePageImage(uint32_t page) const {
        if (host_->struct_size >=
                offsetof(saksi_host_api, release_page_image) + sizeof(host_->release_page_image) &&
            host_->release_page_image)
            host_->release_page_image(doc_, page);
    }

    // The page's working image (host-owned, valid until process() returns), or
    // nothing when the page has none.
    std::optional<ImageView> pageImage(uint32_t page) const {
        saksi_image image{};
        if (host_->page_image(doc_, page, &image) != SAKSI_OK) return std::nullopt;
        return ImageView::fromAbi(image);
    }

    // Replaces the page's working image. scale = working size / page size;
    // rotationDeg = clockwise rotation applied to the content (see
    // saksi_page_transform), so the host can map word boxes back to the page.
    void setPageImage(uint32_t page, const ImageView& image, double scale, double rotationDeg,
                      const std::string& note) {
        saksi_image abiImage = image.toAbi();
        const saksi_page_transform transform{sizeof(saksi_page_transform), scale, rotationDeg};
        check(host_->set_page_image(doc_, page, &abiImage, &transform, note.c_str()),
              "set_page_image");
    }

    void setPageText(uint32_t page, uint32_t source, std::string_view text,
                     std::span<const Word> words, float confidence) {
        std::vector<saksi_word> abiWords;
        abiWords.reserve(words.size());
        for (const Word& w : words)
            abiWords.push_back({{w.text.data(), w.text.size()}, w.bbox, w.conf});
        saksi_page_text pt{sizeof(saksi_page_text),
                           source,
                           {text.data(), text.size()},
                           abiWords.data(),
                           abiWords.size(),
                           sizeof(saksi_word),
                           confidence};
        check(host_->set_page_text(doc_, page, &pt), "set_page_text");
    }

    // The record value at a JSON Pointer ("" = whole record), or nothing.
    std::optional<nlohmann::json> json(const std::string& pointer) const {
        std::string text;
        auto sink = [](void* user, saksi_str value) {
            static_cast<std::string*>(user)->assign(value.data, value.size);
        };
        if (host_->get_json(doc_, pointer.c_str(), sink, &text) != SAKSI_OK) return std::nullopt;
        return nlohmann::json::parse(text);
    }

    // Writes a value at a writable JSON Pointer (see saksi_host_api.put_json).
    void put(const std::string& pointer, const nlohmann::json& value) {
        const std::string text = value.dump();
        check(host_->put_json(doc_, pointer.c_str(), {text.data(), text.size()}),
              "put_json " + pointer);
    }

    void addEntity(const Entity& e) {
        nlohmann::json j = {{"type", e.type},
                            {"text", e.text},
                            {"normalized", e.normalized},
                            {"page", e.page},
                            {"bbox", {e.bbox.x0, e.bbox.y0, e.bbox.x1, e.bbox.y1}},
                            {"span", {e.spanBegin, e.spanEnd}},
                            {"confidence", e.confidence},
                            {"sensitive", e.sensitive}};
        if (!e.detector.empty()) j["detector"] = e.detector;
        put("/entities/-", j);
    }

    void addError(const std::string& code, const std::string& message) {
        host_->add_error(doc_, code.c_str(), message.c_str());
    }

    void log(LogLevel level, const std::string& message) const {
        host_->log(static_cast<int32_t>(level), message.c_str());
    }

    const saksi_host_api* host() const { return host_; }
    saksi_doc* handle() const { return doc_; }

private:
    static std::string_view view(saksi_str s) { return {s.data, s.size}; }
    static void check(int32_t status, const std::string& what) {
        if (status != SAKSI_OK)
            throw Error("sdk.host_refused",
                        "the host refused " + what + " (status " + std::to_string(status) + ")");
    }

    const saksi_host_api* host_;
    saksi_doc* doc_;
};

}  // namespace saksi::sdk
