#include "review/page_image.hpp"

#include <leptonica/allheaders.h>
#include <poppler-document.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace saksi::review {
namespace {

struct PixDeleter {
    void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

std::string pngOf(PIX* pix) {
    l_uint8* data = nullptr;
    size_t size = 0;
    if (pixWriteMemPng(&data, &size, pix, 0.0f) != 0 || !data)
        throw std::runtime_error("cannot encode the page as PNG");
    std::string out(reinterpret_cast<const char*>(data), size);
    lept_free(data);
    return out;
}

std::string pdfPagePng(std::span<const uint8_t> bytes, uint32_t index, uint32_t dpi) {
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(
        reinterpret_cast<const char*>(bytes.data()), static_cast<int>(bytes.size())));
    if (!doc || doc->is_locked() || static_cast<int>(index) >= doc->pages())
        throw std::runtime_error("Poppler cannot open page " + std::to_string(index + 1));
    std::unique_ptr<poppler::page> page(doc->create_page(static_cast<int>(index)));
    if (!page) throw std::runtime_error("Poppler cannot read page " + std::to_string(index + 1));
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer.set_image_format(poppler::image::format_argb32);
    const double at = dpi ? dpi : 72.0;
    const poppler::image render = renderer.render_page(page.get(), at, at);
    if (!render.is_valid() || render.format() != poppler::image::format_argb32 ||
        render.width() <= 0 || render.height() <= 0)
        throw std::runtime_error("Poppler cannot render page " + std::to_string(index + 1));
    PixPtr pix(pixCreate(render.width(), render.height(), 32));
    if (!pix) throw std::runtime_error("out of memory for page " + std::to_string(index + 1));
    const char* data = render.const_data();
    for (int y = 0; y < render.height(); ++y) {
        const char* row = data + std::size_t(y) * render.bytes_per_row();
        l_uint32* line = pixGetData(pix.get()) + std::size_t(y) * pixGetWpl(pix.get());
        for (int x = 0; x < render.width(); ++x) {
            uint32_t argb = 0;  // native-endian 0xAARRGGBB, premultiplied
            std::memcpy(&argb, row + 4 * std::size_t(x), 4);
            const uint32_t a = argb >> 24;
            // Composited over white.
            composeRGBPixel(static_cast<l_int32>(((argb >> 16) & 0xff) + 255 - a),
                            static_cast<l_int32>(((argb >> 8) & 0xff) + 255 - a),
                            static_cast<l_int32>((argb & 0xff) + 255 - a), line + x);
        }
    }
    return pngOf(pix.get());
}

}  // namespace

std::string pagePng(std::span<const uint8_t> bytes, const std::string& mediaType, uint32_t index,
                    uint32_t dpi) {
    if (mediaType == "application/pdf") return pdfPagePng(bytes, index, dpi);
    PixPtr pix(mediaType == "image/tiff"
                   ? pixReadMemTiff(bytes.data(), bytes.size(), static_cast<l_int32>(index))
               : index == 0 ? pixReadMem(bytes.data(), bytes.size())
                            : nullptr);
    if (!pix) throw std::runtime_error("Leptonica cannot read page " + std::to_string(index + 1));
    return pngOf(pix.get());
}

}  // namespace saksi::review
