#include "media_type.hpp"

#include <magic.h>

#include <memory>

namespace saksi {
namespace {

struct MagicCloser {
    void operator()(magic_t m) const { magic_close(m); }
};
using Magic = std::unique_ptr<std::remove_pointer_t<magic_t>, MagicCloser>;

Magic openMagic() {
    Magic m(magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR));
    if (m && magic_load(m.get(), nullptr) != 0) m.reset();
    return m;
}

}  // namespace

std::string detectMediaType(std::span<const uint8_t> bytes) {
    thread_local Magic magic = openMagic();
    if (!magic || bytes.empty())
        return bytes.empty() ? "application/x-empty" : "application/octet-stream";
    const char* type = magic_buffer(magic.get(), bytes.data(), bytes.size());
    return type ? type : "application/octet-stream";
}

}  // namespace saksi
