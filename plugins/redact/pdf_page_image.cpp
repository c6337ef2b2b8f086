#include "pdf_page_image.hpp"

#include <poppler-document.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace saksi::redact {

RenderedPage renderPdfPage(std::span<const uint8_t> bytes, uint32_t index, uint32_t dpi,
                           const std::vector<std::string>& passwords) {
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(
        reinterpret_cast<const char*>(bytes.data()), static_cast<int>(bytes.size())));
    // poppler::document::unlock returns true while the document stays locked.
    for (const std::string& password : passwords)
        if (doc && doc->is_locked() && !doc->unlock(password, password)) break;
    if (!doc || doc->is_locked() || static_cast<int>(index) >= doc->pages())
        throw std::runtime_error("Poppler cannot open page " + std::to_string(index + 1));
    std::unique_ptr<poppler::page> page(doc->create_page(static_cast<int>(index)));
    if (!page) throw std::runtime_error("Poppler cannot read page " + std::to_string(index + 1));
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer.set_image_format(poppler::image::format_argb32);
    const poppler::image render = renderer.render_page(page.get(), dpi, dpi);
    if (!render.is_valid() || render.format() != poppler::image::format_argb32 ||
        render.width() <= 0 || render.height() <= 0)
        throw std::runtime_error("Poppler cannot render page " + std::to_string(index + 1));
    RenderedPage out;
    out.width = static_cast<uint32_t>(render.width());
    out.height = static_cast<uint32_t>(render.height());
    out.gray.resize(std::size_t(out.width) * out.height);
    const char* data = render.const_data();
    for (uint32_t y = 0; y < out.height; ++y) {
        const char* row = data + std::size_t(y) * render.bytes_per_row();
        for (uint32_t x = 0; x < out.width; ++x) {
            uint32_t argb = 0;  // native-endian 0xAARRGGBB, premultiplied
            std::memcpy(&argb, row + 4 * std::size_t(x), 4);
            const uint32_t a = argb >> 24, r = (argb >> 16) & 0xff, g = (argb >> 8) & 0xff,
                           b = argb & 0xff;
            // Composite over white, then luma.
            const uint32_t lr = r + (255 - a), lg = g + (255 - a), lb = b + (255 - a);
            out.gray[std::size_t(y) * out.width + x] =
                static_cast<uint8_t>((299u * lr + 587u * lg + 114u * lb + 500u) / 1000u);
        }
    }
    return out;
}

}  // namespace saksi::redact
