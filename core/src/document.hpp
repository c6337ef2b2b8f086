// One document in flight: its original bytes, its page images and the record
// being built. The C host API (saksi_host_api) is implemented over it.
#pragma once

#include "intake.hpp"
#include "mapped_file.hpp"
#include "plugin_host.hpp"

#include <saksi/plugin_abi.h>

#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace saksi {

class Document;

// What a saksi_doc* points to during one process() call: the document plus
// who is calling, so the host can attribute errors and entities to the stage
// and keep page-scope stages to their own page.
struct StageCall {
    Document* doc = nullptr;
    const StageDef* stage = nullptr;
    uint32_t page = SAKSI_ALL_PAGES;
    std::string detector;  // "<stage id>@<plugin version>"
    int errorsAdded = 0;
    bool decodingPage = false;  // a decode_page() call: set_page_image hands over the page's image

    saksi_doc* handle() { return reinterpret_cast<saksi_doc*>(this); }
};

class Document {
public:
    // Maps the item's bytes read-only, hashes them and detects their media
    // type. An unreadable file becomes an "input.unreadable" error and an
    // item's intake error a record error, never an exception.
    Document(const InputItem& item, const std::filesystem::path& outDir);
    ~Document();
    Document(const Document&) = delete;
    Document& operator=(const Document&) = delete;

    // The C callbacks; the same table for every document.
    static const saksi_host_api* hostApi();

    const std::string& id() const { return id_; }
    const std::string& mediaType() const { return mediaType_; }
    const std::string& sourcePath() const { return sourcePath_; }
    std::size_t pageCount() const;

    void addError(const std::string& stage, const std::string& code, const std::string& message);
    // Hashes the mapped bytes again: a file overwritten in place while it
    // was decoded gets input.changed (its id stays the hash it was read
    // with) and false is returned. True without bytes.
    bool checkBytesUnchanged();
    bool hasErrors() const;
    // Frees images replaced during the call that just returned.
    void endCall(uint32_t page);

    // Makes a page's image for a page its decoder added on demand: calls the
    // decoder's decode_page (set by the runner). Returns false when it failed.
    using PageDecoder = std::function<bool(uint32_t page, const StageDef& decoder)>;
    void setPageDecoder(PageDecoder decoder) { pageDecoder_ = std::move(decoder); }
    // Frees the page's working image. A later pageImage() gets it back:
    // decoded again when it is still the decoder's, otherwise read back from
    // the copy written to OUT/.work/ here. Views handed out become invalid.
    void releasePageImage(uint32_t page);
    // Frees every page image that can be had again without writing it out
    // (decoded again, or read back): after a document-scope stage that asked
    // for page images and did not release them (an ABI 1.0 or 1.1 stage).
    void releaseLoadedImages();
    // Ensures the page's working image is in memory (decoding or reading it
    // back); false when the page has none.
    bool loadPageImage(uint32_t page);

    // Sets status and provenance. `failed`: the document produced no usable
    // pages (intake or decoding failed).
    void finalize(bool failed, const nlohmann::json& provenance);
    std::string status() const;
    nlohmann::json errorCodes() const;

    // Host API implementation (called through StageCall).
    int32_t addPage(StageCall& call, const saksi_page_init* init);
    int32_t pageImage(const StageCall& call, uint32_t page, saksi_image* out);
    int32_t setPageImage(StageCall& call, uint32_t page, const saksi_image* image,
                         const saksi_page_transform* transform, const char* note);
    int32_t setPageText(StageCall& call, uint32_t page, const saksi_page_text* text);
    int32_t getJson(const char* pointer, saksi_str_sink sink, void* user) const;
    int32_t putJson(StageCall& call, const char* pointer, saksi_str json);
    std::span<const uint8_t> bytes() const;
    // False when the input could not be read (or had no bytes to read).
    bool hasBytes() const { return map_ != nullptr; }
    const std::string& outputDir() const { return outDir_; }

private:
    struct PageImage {
        std::vector<uint8_t> pixels;
        saksi_image view{};
    };
    struct Page {
        std::shared_ptr<PageImage> image;
        double scale = 1.0;        // working image size / page size
        double rotationDeg = 0.0;  // clockwise rotation of the working image's content
        uint32_t workWidth = 0, workHeight = 0;  // the working image's size, kept when released
        std::vector<std::shared_ptr<PageImage>> retired;
        const StageDef* decoder = nullptr;  // makes the image on demand (decode_page)
        bool decoderImage = false;  // the working image is the decoder's: it can be decoded again
        bool decodeFailed = false;
        bool spilled = false;  // the working image, as it is now, is in spillPath(page)
    };

    bool pageAllowed(const StageCall& call, uint32_t page) const;
    std::filesystem::path spillPath(uint32_t page) const;
    static std::shared_ptr<PageImage> copyImage(const saksi_image& src, uint32_t bpp, uint32_t dpi);

    mutable std::mutex mu_;
    std::string sourcePath_;
    std::string outDir_;
    std::string id_;
    std::string mediaType_;
    std::unique_ptr<MappedFile> map_;
    std::deque<Page> pages_;
    nlohmann::json record_;
    PageDecoder pageDecoder_;
    std::filesystem::path spillDir_;  // OUT/.work/<id>-<pid>, made on first use
};

}  // namespace saksi
