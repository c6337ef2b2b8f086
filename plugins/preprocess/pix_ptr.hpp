// pix_ptr.hpp -- owning handle for a Leptonica Pix.
#pragma once

#include <leptonica/allheaders.h>

#include <memory>

namespace saksi::preprocess {

struct PixDeleter {
    void operator()(PIX* pix) const noexcept { pixDestroy(&pix); }
};

// Owns one reference to a Pix; pixDestroy() when it goes out of scope.
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

}  // namespace saksi::preprocess
