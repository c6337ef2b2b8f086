// libFuzzer target: decode.image's header check and decoder on any bytes.
// A page is decoded only when its header passes the pixel limit, as in the
// stage; the limit is lowered so that each run stays fast.
#include "image_decoder.hpp"
#include "image_header.hpp"

#include <saksi/sdk/document.hpp>

#include <leptonica/allheaders.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    setMsgSeverity(L_SEVERITY_NONE);  // Leptonica's complaints are expected here
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const uint8_t> bytes(data, size);
    saksi::decode_image::readImageHeader(bytes, 64);
    saksi::decode_image::DecodeOptions options;
    options.maxPixels = 4'000'000;
    options.maxPages = 16;
    try {
        saksi::decode_image::decodeImage(bytes, options, [](saksi::decode_image::DecodedPage&&) {});
    } catch (const saksi::sdk::Error&) {
        // A precise error code is the expected outcome of bad input.
    }
    return 0;
}
