// libFuzzer target: decode.pdf's entry into Poppler on any bytes -- load
// from memory, the lock check, an unlock attempt, the page count and each
// page's size and text boxes (what the stage reads before rendering).
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace {
void quiet(const std::string&, void*) {
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    poppler::set_debug_error_function(quiet, nullptr);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0 || size > (1u << 20)) return 0;
    const std::unique_ptr<poppler::document> pdf(poppler::document::load_from_raw_data(
        reinterpret_cast<const char*>(data), static_cast<int>(size)));
    if (!pdf) return 0;
    if (pdf->is_locked() && pdf->unlock("utopia-1", "utopia-1")) return 0;
    const int pages = pdf->pages();
    for (int i = 0; i < pages && i < 4; ++i) {
        const std::unique_ptr<poppler::page> page(pdf->create_page(i));
        if (!page) continue;
        page->page_rect(poppler::crop_box);
        page->orientation();
        page->text_list();
    }
    return 0;
}
