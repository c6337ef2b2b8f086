#include "noise_guard.hpp"

#include "page_preprocessor.hpp"
#include "pix_ptr.hpp"

namespace saksi::preprocess {

NoiseMeasure measureNoise(PIX* gray) {
    NoiseMeasure m;
    const double pixels = static_cast<double>(pixGetWidth(gray)) * pixGetHeight(gray);
    if (pixels <= 0) return m;
    PixPtr binary(pixThresholdToBinary(gray, otsuThreshold(gray)));
    if (!binary) return m;
    l_int32 ink = 0;
    pixCountPixels(binary.get(), &ink, nullptr);
    if (static_cast<double>(ink) > 0.5 * pixels) {
        pixInvert(binary.get(), binary.get());
        ink = static_cast<l_int32>(pixels) - ink;
    }
    l_int32 components = 0;
    pixCountConnComp(binary.get(), 4, &components);
    m.componentsPerMegapixel = components / (pixels / 1e6);
    m.inkShare = ink / pixels;
    return m;
}

}  // namespace saksi::preprocess
