#include "document.hpp"

#include "hashing.hpp"
#include "media_type.hpp"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <numbers>
#include <optional>
#include <regex>

namespace saksi {
namespace {

constexpr auto kReplaceInvalidUtf8 = nlohmann::json::error_handler_t::replace;

uint32_t bytesPerPixel(uint32_t format) {
    switch (format) {
        case SAKSI_PIXEL_GRAY8:
            return 1;
        case SAKSI_PIXEL_RGB24:
            return 3;
        case SAKSI_PIXEL_RGBA32:
            return 4;
        default:
            return 0;
    }
}

// Reads a size-prefixed struct from a plugin that may know an older, smaller
// or a newer, larger layout.
template <class T>
T readSized(const T* src) {
    T out{};
    std::memcpy(&out, src, std::min<std::size_t>(src->struct_size, sizeof(T)));
    return out;
}

bool validCode(const std::string& code) {
    static const std::regex pattern("^[a-z0-9_]+(\\.[a-z0-9_]+)+$");
    return std::regex_match(code, pattern);
}

bool writable(const std::string& pointer) {
    static constexpr const char* prefixes[] = {"/document/", "/passport", "/contract",
                                               "/chat",      "/things",   "/provenance/engines/"};
    if (pointer == "/entities/-" || pointer == "/redactions/-" ||
        pointer == "/provenance/redaction")
        return true;
    for (const char* prefix : prefixes) {
        const std::string p(prefix);
        if (pointer.starts_with(p)) {
            // "/passport" must be the whole key: "/passport" or "/passport/...".
            const bool exact =
                p.back() == '/' || pointer.size() == p.size() || pointer[p.size()] == '/';
            if (exact && pointer.size() > 1) return true;
        }
    }
    return false;
}

// The page index of "/pages/<i>/languages" (the one place in a host-owned
// page a stage may write, since ABI 1.2), or nothing for any other pointer.
std::optional<uint32_t> pageLanguagesIndex(const std::string& pointer) {
    static const std::regex pattern("^/pages/(0|[1-9][0-9]{0,8})/languages$");
    std::smatch m;
    if (!std::regex_match(pointer, m, pattern)) return std::nullopt;
    return static_cast<uint32_t>(std::stoul(m[1].str()));
}

// ISO 639-3 codes, each once: what a page's "languages" may hold.
bool languageCodes(const nlohmann::json& value) {
    static const std::regex code("^[a-z]{3}$");
    if (!value.is_array()) return false;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string() || !std::regex_match(value[i].get<std::string>(), code))
            return false;
        for (std::size_t j = 0; j < i; ++j)
            if (value[j] == value[i]) return false;
    }
    return true;
}

StageCall* callOf(saksi_doc* doc) {
    return reinterpret_cast<StageCall*>(doc);
}
const StageCall* callOf(const saksi_doc* doc) {
    return reinterpret_cast<const StageCall*>(doc);
}
saksi_str strOf(const std::string& s) {
    return {s.data(), s.size()};
}

// The C callbacks. None may throw: each catches everything.
const saksi_host_api kHostApi = {
    sizeof(saksi_host_api),
    SAKSI_ABI_MAJOR,
    SAKSI_ABI_MINOR,
    [](const saksi_doc* d) { return strOf(callOf(d)->doc->sourcePath()); },
    [](const saksi_doc* d) { return strOf(callOf(d)->doc->mediaType()); },
    [](const saksi_doc* d, const uint8_t** data, size_t* size) -> int32_t {
        if (!data || !size) return SAKSI_E_INVALID;
        auto bytes = callOf(d)->doc->bytes();
        *data = bytes.data();
        *size = bytes.size();
        return SAKSI_OK;
    },
    [](const saksi_doc* d) { return strOf(callOf(d)->doc->outputDir()); },
    [](const saksi_doc* d) { return static_cast<uint32_t>(callOf(d)->doc->pageCount()); },
    [](saksi_doc* d, const saksi_page_init* init) noexcept -> int32_t {
        try {
            return callOf(d)->doc->addPage(*callOf(d), init);
        } catch (...) {
            return SAKSI_ERROR;
        }
    },
    [](const saksi_doc* d, uint32_t page, saksi_image* out) noexcept -> int32_t {
        try {
            return callOf(d)->doc->pageImage(*callOf(d), page, out);
        } catch (...) {
            return SAKSI_ERROR;
        }
    },
    [](saksi_doc* d, uint32_t page, const saksi_image* image, const saksi_page_transform* transform,
       const char* note) noexcept -> int32_t {
        try {
            return callOf(d)->doc->setPageImage(*callOf(d), page, image, transform, note);
        } catch (...) {
            return SAKSI_ERROR;
        }
    },
    [](saksi_doc* d, uint32_t page, const saksi_page_text* text) noexcept -> int32_t {
        try {
            return callOf(d)->doc->setPageText(*callOf(d), page, text);
        } catch (...) {
            return SAKSI_ERROR;
        }
    },
    [](const saksi_doc* d, const char* pointer, saksi_str_sink sink,
       void* user) noexcept -> int32_t {
        try {
            return callOf(d)->doc->getJson(pointer, sink, user);
        } catch (...) {
            return SAKSI_ERROR;
        }
    },
    [](saksi_doc* d, const char* pointer, saksi_str json) noexcept -> int32_t {
        try {
            return callOf(d)->doc->putJson(*callOf(d), pointer, json);
        } catch (...) {
            return SAKSI_ERROR;
        }
    },
    [](saksi_doc* d, const char* code, const char* message) noexcept {
        try {
            StageCall* call = callOf(d);
            call->doc->addError(call->stage ? call->stage->id : "host", code ? code : "",
                                message ? message : "");
            ++call->errorsAdded;
        } catch (...) {
        }
    },
    [](int32_t level, const char* message) noexcept {
        try {
            const auto lvl = level <= 0   ? spdlog::level::debug
                             : level == 1 ? spdlog::level::info
                             : level == 2 ? spdlog::level::warn
                                          : spdlog::level::err;
            spdlog::log(lvl, "{}", message ? message : "");
        } catch (...) {
        }
    },
    [](const saksi_doc* d, uint32_t page) noexcept {
        try {
            const StageCall* call = callOf(d);
            // Only a page's own stage, or a document-scope one, may free it.
            if (call->stage && call->stage->abi.scope == SAKSI_SCOPE_PAGE && call->page != page)
                return;
            call->doc->releasePageImage(page);
        } catch (...) {
        }
    },
};

}  // namespace

const saksi_host_api* Document::hostApi() {
    return &kHostApi;
}

Document::Document(const InputItem& item, const std::filesystem::path& outDir)
    : sourcePath_(item.sourcePath),
      outDir_(std::filesystem::absolute(outDir).lexically_normal().string()) {
    record_ = {
        {"schema", "saksi.record/1"},
        {"id", ""},
        {"status", "ok"},
        {"source",
         {{"path", escapedBytes(sourcePath_)},
          {"name", escapedBytes(item.name)},
          {"size", 0},
          {"sha256", ""},
          {"media_type", "application/octet-stream"},
          {"container", item.container}}},
        {"document",
         {{"kind", "other"}, {"kind_confidence", 0.0}, {"languages", nlohmann::json::array()}}},
        {"pages", nlohmann::json::array()},
        {"entities", nlohmann::json::array()},
        {"redactions", nlohmann::json::array()},
        {"provenance", {{"engines", nlohmann::json::object()}}},
        {"errors", nlohmann::json::array()}};
    std::string unreadable;
    if (!item.path.empty()) {
        try {
            map_ = std::make_unique<MappedFile>(item.path);
        } catch (const std::exception& e) {
            unreadable = std::string(e.what()) + ". Check the file exists and is readable.";
        }
    }
    if (map_) {
        id_ = sha256Hex(map_->bytes());
        mediaType_ = detectMediaType(map_->bytes());
        record_["source"]["sha256"] = id_;
        record_["source"]["sha1"] = sha1Hex(map_->bytes());
        record_["source"]["size"] = map_->bytes().size();
        record_["source"]["media_type"] = mediaType_;
    } else {
        // Without bytes there is no content hash; the source's hash keeps the
        // failure record addressable and distinct.
        id_ = sha256Hex("unreadable:" + sourcePath_ +
                        (item.container.empty() ? "" : item.container.dump()));
    }
    const bool changed = map_ && !item.sha256.empty() && id_ != item.sha256;
    if (changed) {
        // Not the bytes the run received: the document keeps its id (the
        // hash of what was received) and fails; a run after the change
        // processes the new content under its own id.
        addError("intake", "input.changed",
                 "The file changed after it was received (SHA-256 " + item.sha256 + " then, " +
                     id_ +
                     " when read); it was not processed. Run again to "
                     "process its new content.");
        id_ = item.sha256;
        record_["source"]["sha256"] = id_;
        map_.reset();
    }
    record_["id"] = id_;
    if (item.error)
        addError("intake", item.error->code, item.error->message);
    else if (!map_ && !changed)
        addError("intake", "input.unreadable",
                 unreadable.empty() ? "The input has no readable bytes." : unreadable);
}

bool Document::checkBytesUnchanged() {
    if (!map_ || sha256Hex(map_->bytes()) == id_) return true;
    addError("intake", "input.changed",
             "The file was written to while it was processed: the bytes decoded are not all "
             "those with SHA-256 " +
                 id_ + ". Run again once it is complete.");
    return false;
}

Document::~Document() {
    if (spillDir_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(spillDir_, ec);
    std::filesystem::remove(spillDir_.parent_path(), ec);  // OUT/.work, when now empty
}

std::span<const uint8_t> Document::bytes() const {
    return map_ ? map_->bytes() : std::span<const uint8_t>();
}

std::size_t Document::pageCount() const {
    std::lock_guard lock(mu_);
    return pages_.size();
}

void Document::addError(const std::string& stage, const std::string& code,
                        const std::string& message) {
    std::lock_guard lock(mu_);
    if (validCode(code)) {
        record_["errors"].push_back({{"stage", stage}, {"code", code}, {"message", message}});
    } else {
        record_["errors"].push_back({{"stage", stage},
                                     {"code", "stage.bad_error_code"},
                                     {"message", "'" + code + "': " + message}});
    }
}

bool Document::hasErrors() const {
    std::lock_guard lock(mu_);
    return !record_["errors"].empty();
}

void Document::endCall(uint32_t page) {
    std::lock_guard lock(mu_);
    if (page == SAKSI_ALL_PAGES) {
        for (Page& p : pages_) p.retired.clear();
    } else if (page < pages_.size()) {
        pages_[page].retired.clear();
    }
}

void Document::finalize(bool failed, const nlohmann::json& provenance) {
    std::lock_guard lock(mu_);
    record_["status"] = failed ? "failed" : record_["errors"].empty() ? "ok" : "partial";
    // The host's keys, set again on every call; what stages may write there
    // (see writable()) stays.
    record_["provenance"].update(provenance);
}

std::string Document::status() const {
    std::lock_guard lock(mu_);
    return record_["status"];
}

nlohmann::json Document::errorCodes() const {
    std::lock_guard lock(mu_);
    nlohmann::json codes = nlohmann::json::array();
    for (const auto& e : record_["errors"]) codes.push_back(e["code"]);
    return codes;
}

bool Document::pageAllowed(const StageCall& call, uint32_t page) const {
    if (page >= pages_.size()) return false;
    return call.stage == nullptr || call.stage->abi.scope == SAKSI_SCOPE_DOCUMENT ||
           call.page == page;
}

int32_t Document::addPage(StageCall& call, const saksi_page_init* rawInit) {
    if (!rawInit || rawInit->struct_size < offsetof(saksi_page_init, image)) return SAKSI_E_INVALID;
    if (call.stage && call.stage->abi.kind != SAKSI_STAGE_DECODE) return SAKSI_E_DENIED;
    const saksi_page_init init = readSized(rawInit);
    if (init.width == 0 || init.height == 0) return SAKSI_E_INVALID;
    if (init.image_on_demand && (init.image || !call.stage || !call.stage->abi.decode_page))
        return SAKSI_E_INVALID;
    nlohmann::json imageSource;  // null: the decoder did not say
    if (init.image_source) {
        const std::string said(init.image_source);
        if (said != "embedded" && said != "render" && said != "file") return SAKSI_E_INVALID;
        imageSource = said;
    }
    std::shared_ptr<PageImage> image;
    if (init.image) {
        const saksi_image& src = *init.image;
        const uint32_t bpp = bytesPerPixel(src.format);
        if (bpp == 0 || !src.pixels || src.width != init.width || src.height != init.height ||
            src.stride < src.width * bpp)
            return SAKSI_E_INVALID;
        image = copyImage(src, bpp, src.dpi ? src.dpi : init.dpi);
    }
    std::lock_guard lock(mu_);
    Page added;
    added.image = std::move(image);
    added.workWidth = init.width;
    added.workHeight = init.height;
    if (init.image_on_demand) {
        added.decoder = call.stage;
        added.decoderImage = true;
    }
    pages_.push_back(std::move(added));
    record_["pages"].push_back({{"number", pages_.size()},
                                {"width", init.width},
                                {"height", init.height},
                                {"dpi", init.dpi},
                                {"image_source", std::move(imageSource)},
                                {"text_source", nullptr},
                                {"ocr_confidence", nullptr},
                                {"text", ""},
                                {"words", nlohmann::json::array()},
                                {"preprocessing", nlohmann::json::array()},
                                {"image_transform", {{"scale", 1.0}, {"rotation_deg", 0.0}}}});
    return SAKSI_OK;
}

std::shared_ptr<Document::PageImage> Document::copyImage(const saksi_image& src, uint32_t bpp,
                                                         uint32_t dpi) {
    auto image = std::make_shared<PageImage>();
    const std::size_t row = std::size_t(src.width) * bpp;
    image->pixels.resize(row * src.height);
    for (uint32_t y = 0; y < src.height; ++y)
        std::memcpy(image->pixels.data() + y * row, src.pixels + std::size_t(y) * src.stride, row);
    image->view = {src.width,  src.height, static_cast<uint32_t>(row),
                   src.format, dpi,        image->pixels.data()};
    return image;
}

std::filesystem::path Document::spillPath(uint32_t page) const {
    return spillDir_ / ("page-" + std::to_string(page + 1) + ".raw");
}

namespace {
// A spilled working image: five uint32 (width, height, stride, format, dpi),
// then the rows.
constexpr std::size_t kSpillHeader = 5 * sizeof(uint32_t);
}  // namespace

void Document::releasePageImage(uint32_t page) {
    std::shared_ptr<PageImage> image;
    {
        std::lock_guard lock(mu_);
        if (page >= pages_.size() || !pages_[page].image) return;
        Page& p = pages_[page];
        if (p.decoderImage || p.spilled) {
            p.image.reset();
            p.retired.clear();
            return;
        }
        image = p.image;
    }
    // Written outside the lock: a page's image changes only through its own
    // stage, which is the caller here (or no stage runs).
    if (spillDir_.empty()) {
        spillDir_ = std::filesystem::path(outDir_) / ".work" /
                    (id_ + "-" + std::to_string(static_cast<long>(::getpid())));
        std::filesystem::create_directories(spillDir_);
    }
    const std::filesystem::path path = spillPath(page);
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        const saksi_image& v = image->view;
        const uint32_t header[5] = {v.width, v.height, v.stride, v.format, v.dpi};
        out.write(reinterpret_cast<const char*>(header), kSpillHeader);
        out.write(reinterpret_cast<const char*>(image->pixels.data()),
                  static_cast<std::streamsize>(image->pixels.size()));
        if (!out.flush()) {
            // Disk full or the like: keep the image in memory, correct if larger.
            spdlog::warn("cannot write a page image to {}; it stays in memory", path.string());
            return;
        }
    }
    std::lock_guard lock(mu_);
    Page& p = pages_[page];
    if (p.image != image) return;  // replaced meanwhile: keep the new one
    p.spilled = true;
    p.image.reset();
    p.retired.clear();
}

void Document::releaseLoadedImages() {
    std::lock_guard lock(mu_);
    for (Page& p : pages_) {
        if (p.image && (p.decoderImage || p.spilled)) p.image.reset();
        p.retired.clear();
    }
}

bool Document::loadPageImage(uint32_t page) {
    const StageDef* decoder = nullptr;
    {
        std::lock_guard lock(mu_);
        if (page >= pages_.size()) return false;
        Page& p = pages_[page];
        if (p.image) return true;
        if (p.spilled) {
            std::ifstream in(spillPath(page), std::ios::binary);
            uint32_t header[5] = {};
            in.read(reinterpret_cast<char*>(header), kSpillHeader);
            auto image = std::make_shared<PageImage>();
            image->pixels.resize(std::size_t(header[2]) * header[1]);
            in.read(reinterpret_cast<char*>(image->pixels.data()),
                    static_cast<std::streamsize>(image->pixels.size()));
            if (!in) {
                spdlog::error("cannot read back the page image {}", spillPath(page).string());
                return false;
            }
            image->view = {header[0], header[1], header[2],
                           header[3], header[4], image->pixels.data()};
            p.image = std::move(image);
            return true;
        }
        if (!p.decoder || !p.decoderImage || p.decodeFailed || !pageDecoder_) return false;
        decoder = p.decoder;
    }
    // The decoder calls back into setPageImage: not under the lock.
    const bool ok = pageDecoder_(page, *decoder);
    std::lock_guard lock(mu_);
    Page& p = pages_[page];
    if (!ok || !p.image) p.decodeFailed = true;
    return p.image != nullptr;
}

int32_t Document::pageImage(const StageCall& call, uint32_t page, saksi_image* out) {
    if (!out) return SAKSI_E_INVALID;
    {
        std::lock_guard lock(mu_);
        if (page >= pages_.size()) return SAKSI_E_NOT_FOUND;
        if (!pageAllowed(call, page)) return SAKSI_E_DENIED;
        if (pages_[page].image) {
            *out = pages_[page].image->view;
            return SAKSI_OK;
        }
    }
    if (!loadPageImage(page)) return SAKSI_E_NOT_FOUND;
    std::lock_guard lock(mu_);
    if (!pages_[page].image) return SAKSI_E_NOT_FOUND;
    *out = pages_[page].image->view;
    return SAKSI_OK;
}

int32_t Document::setPageImage(StageCall& call, uint32_t page, const saksi_image* src,
                               const saksi_page_transform* rawTransform, const char* note) {
    saksi_page_transform transform{sizeof(saksi_page_transform), 1.0, 0.0};
    if (rawTransform) {
        if (rawTransform->struct_size < offsetof(saksi_page_transform, rotation_deg))
            return SAKSI_E_INVALID;
        transform = readSized(rawTransform);
    }
    const double scale = transform.scale;
    if (!src || !(scale > 0.0) || !std::isfinite(scale) || !std::isfinite(transform.rotation_deg) ||
        std::abs(transform.rotation_deg) > 360.0)
        return SAKSI_E_INVALID;
    const uint32_t bpp = bytesPerPixel(src->format);
    if (bpp == 0 || !src->pixels || src->width == 0 || src->height == 0 ||
        src->stride < src->width * bpp)
        return SAKSI_E_INVALID;
    std::shared_ptr<PageImage> image = copyImage(*src, bpp, src->dpi);
    std::lock_guard lock(mu_);
    if (page >= pages_.size()) return SAKSI_E_NOT_FOUND;
    if (!pageAllowed(call, page)) return SAKSI_E_DENIED;
    Page& p = pages_[page];
    if (call.decodingPage) {
        // The decoder's image of a page added on demand: the page's own frame.
        if (rawTransform || p.image || src->width != p.workWidth || src->height != p.workHeight)
            return SAKSI_E_INVALID;
        if (!image->view.dpi) image->view.dpi = record_["pages"][page].value("dpi", 0u);
        p.image = std::move(image);
        if (note && *note) {
            const std::string said(note);
            if (said != "embedded" && said != "render" && said != "file") return SAKSI_E_INVALID;
            record_["pages"][page]["image_source"] = said;
        }
        return SAKSI_OK;
    }
    if (p.image) p.retired.push_back(std::move(p.image));  // the caller may still read it
    p.image = std::move(image);
    p.workWidth = src->width;
    p.workHeight = src->height;
    p.decoderImage = false;
    p.spilled = false;
    p.scale = scale;
    p.rotationDeg = transform.rotation_deg;
    // Read-only in the record, so a stage that draws on the working image
    // (redaction burn-in) can map page boxes onto it.
    record_["pages"][page]["image_transform"] = {{"scale", scale},
                                                 {"rotation_deg", transform.rotation_deg}};
    if (note && *note) record_["pages"][page]["preprocessing"].push_back(std::string(note));
    return SAKSI_OK;
}

int32_t Document::setPageText(StageCall& call, uint32_t page, const saksi_page_text* raw) {
    if (!raw || raw->struct_size < offsetof(saksi_page_text, confidence)) return SAKSI_E_INVALID;
    const saksi_page_text pt = readSized(raw);
    if (pt.source != SAKSI_TEXT_OCR && pt.source != SAKSI_TEXT_PDF) return SAKSI_E_INVALID;
    if (pt.word_count > 0 && (!pt.words || pt.word_size < sizeof(saksi_str) + sizeof(saksi_box)))
        return SAKSI_E_INVALID;
    std::lock_guard lock(mu_);
    if (page >= pages_.size()) return SAKSI_E_NOT_FOUND;
    if (!pageAllowed(call, page)) return SAKSI_E_DENIED;
    nlohmann::json& p = record_["pages"][page];
    const Page& state = pages_[page];
    const int32_t width = p["width"], height = p["height"];
    // Working image -> page: undo the rotation about the working image's
    // centre, then the scale; a rotated box becomes the box around its corners.
    const double theta = state.rotationDeg * std::numbers::pi / 180.0;
    const double cosT = std::cos(theta), sinT = std::sin(theta);
    const double cxWork = state.workWidth ? state.workWidth / 2.0 : width * state.scale / 2.0;
    const double cyWork = state.workHeight ? state.workHeight / 2.0 : height * state.scale / 2.0;
    auto toPage = [&](const saksi_box& b) {
        double x0 = width, y0 = height, x1 = 0, y1 = 0;
        for (auto [x, y] : {std::pair{b.x0, b.y0}, {b.x1, b.y0}, {b.x0, b.y1}, {b.x1, b.y1}}) {
            const double dx = x - cxWork, dy = y - cyWork;
            const double px = width / 2.0 + (dx * cosT + dy * sinT) / state.scale;
            const double py = height / 2.0 + (-dx * sinT + dy * cosT) / state.scale;
            x0 = std::min(x0, px), y0 = std::min(y0, py), x1 = std::max(x1, px),
            y1 = std::max(y1, py);
        }
        auto clampTo = [](double v, int32_t limit) {
            return std::clamp(static_cast<int32_t>(std::lround(v)), 0, limit);
        };
        return nlohmann::json::array(
            {clampTo(std::floor(x0), width), clampTo(std::floor(y0), height),
             clampTo(std::ceil(x1), width), clampTo(std::ceil(y1), height)});
    };
    nlohmann::json words = nlohmann::json::array();
    const auto* base = reinterpret_cast<const uint8_t*>(pt.words);
    for (std::size_t i = 0; i < pt.word_count; ++i) {
        saksi_word w{};
        std::memcpy(&w, base + i * pt.word_size, std::min(pt.word_size, sizeof(saksi_word)));
        if (pt.word_size < sizeof(saksi_word)) w.conf = -1.0f;
        words.push_back({{"text", std::string(w.text.data ? w.text.data : "", w.text.size)},
                         {"bbox", toPage(w.bbox)},
                         {"conf", pt.source == SAKSI_TEXT_PDF ? -1.0 : double(w.conf)}});
    }
    p["text"] = std::string(pt.text.data ? pt.text.data : "", pt.text.size);
    p["words"] = std::move(words);
    p["text_source"] = pt.source == SAKSI_TEXT_OCR ? "ocr" : "pdf-text";
    if (pt.source == SAKSI_TEXT_OCR && pt.confidence >= 0.0f)
        p["ocr_confidence"] = std::min(100.0, double(pt.confidence));
    else
        p["ocr_confidence"] = nullptr;
    return SAKSI_OK;
}

int32_t Document::getJson(const char* pointer, saksi_str_sink sink, void* user) const {
    if (!pointer || !sink) return SAKSI_E_INVALID;
    std::string text;
    try {
        const nlohmann::json::json_pointer ptr(pointer);
        std::lock_guard lock(mu_);
        if (!record_.contains(ptr)) return SAKSI_E_NOT_FOUND;
        text = record_.at(ptr).dump(-1, ' ', false, kReplaceInvalidUtf8);
    } catch (const nlohmann::json::exception&) {
        return SAKSI_E_INVALID;
    }
    sink(user, {text.data(), text.size()});
    return SAKSI_OK;
}

int32_t Document::putJson(StageCall& call, const char* pointer, saksi_str json) {
    if (!pointer || (!json.data && json.size)) return SAKSI_E_INVALID;
    const std::string where(pointer);
    const auto languagesOfPage = pageLanguagesIndex(where);
    if (!languagesOfPage && !writable(where)) return SAKSI_E_DENIED;
    nlohmann::json value;
    try {
        value = nlohmann::json::parse(json.data, json.data + json.size);
    } catch (const nlohmann::json::exception&) {
        return SAKSI_E_INVALID;
    }
    std::lock_guard lock(mu_);
    if (languagesOfPage) {
        if (*languagesOfPage >= pages_.size()) return SAKSI_E_NOT_FOUND;
        if (!pageAllowed(call, *languagesOfPage)) return SAKSI_E_DENIED;
        if (!languageCodes(value)) return SAKSI_E_INVALID;
        record_["pages"][*languagesOfPage]["languages"] = std::move(value);
        return SAKSI_OK;
    }
    if (where == "/entities/-") {
        if (!value.is_object()) return SAKSI_E_INVALID;
        if (!value.contains("detector")) value["detector"] = call.detector;
        record_["entities"].push_back(std::move(value));
        return SAKSI_OK;
    }
    if (where == "/redactions/-") {
        if (!value.is_object()) return SAKSI_E_INVALID;
        record_["redactions"].push_back(std::move(value));
        return SAKSI_OK;
    }
    if (where.starts_with("/provenance/engines/") && !value.is_string()) return SAKSI_E_INVALID;
    if (where == "/provenance/redaction" && !value.is_object()) return SAKSI_E_INVALID;
    try {
        record_[nlohmann::json::json_pointer(where)] = std::move(value);
    } catch (const nlohmann::json::exception&) {
        return SAKSI_E_INVALID;
    }
    return SAKSI_OK;
}

}  // namespace saksi
