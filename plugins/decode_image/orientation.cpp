#include "orientation.hpp"

#include <libexif/exif-data.h>

#include <memory>

namespace saksi::decode_image {
namespace {

struct ExifDataDeleter {
    void operator()(ExifData* data) const noexcept { exif_data_unref(data); }
};
using ExifDataPtr = std::unique_ptr<ExifData, ExifDataDeleter>;

}  // namespace

int exifOrientation(std::span<const uint8_t> jpegBytes) {
    if (jpegBytes.size() < 4 || jpegBytes.size() > UINT32_MAX) return 1;
    ExifDataPtr data(exif_data_new());
    if (!data) return 1;
    // Read the tags as they are: "following the specification" would make
    // libexif invent missing mandatory entries, and maker notes are not needed.
    exif_data_unset_option(data.get(), EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
    exif_data_set_option(data.get(), EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
    // libexif finds the APP1 segment itself, skipping SOI and other APPn markers.
    exif_data_load_data(data.get(), jpegBytes.data(), static_cast<unsigned int>(jpegBytes.size()));
    ExifContent* ifd0 = data->ifd[EXIF_IFD_0];
    if (!ifd0) return 1;
    ExifEntry* entry = exif_content_get_entry(ifd0, EXIF_TAG_ORIENTATION);
    if (!entry || entry->format != EXIF_FORMAT_SHORT || entry->components < 1 || !entry->data ||
        entry->size < 2)
        return 1;
    const int value = exif_get_short(entry->data, exif_data_get_byte_order(data.get()));
    return value >= 1 && value <= 8 ? value : 1;
}

PixPtr applyOrientation(PIX* pix, int orientation) {
    switch (orientation) {
        case 2:
            return PixPtr(pixFlipLR(nullptr, pix));
        case 3:
            return PixPtr(pixRotate180(nullptr, pix));
        case 4:
            return PixPtr(pixFlipTB(nullptr, pix));
        case 5: {  // transpose: rotate clockwise, then mirror
            PixPtr rotated(pixRotate90(pix, 1));
            return rotated ? PixPtr(pixFlipLR(nullptr, rotated.get())) : nullptr;
        }
        case 6:
            return PixPtr(pixRotate90(pix, 1));
        case 7: {  // transverse: rotate clockwise, then flip
            PixPtr rotated(pixRotate90(pix, 1));
            return rotated ? PixPtr(pixFlipTB(nullptr, rotated.get())) : nullptr;
        }
        case 8:
            return PixPtr(pixRotate90(pix, -1));
        default:
            return PixPtr(pixClone(pix));
    }
}

}  // namespace saksi::decode_image
