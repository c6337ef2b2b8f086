// mrz_band.hpp -- where the machine-readable zone lies on a page image.
//
// Located from the OCR lines already in the record rather than by
// morphology on the pixels: the general OCR pass reads MRZ lines well enough
// to recognise their shape (A-Z 0-9 '<', 30-44 long), even when it misreads
// characters, and the record gives each word a box. That costs nothing
// beyond a text scan, needs no tuning of kernel sizes to the resolution, and
// never proposes a band on a page without one. Word boxes are in page
// pixels; the working image may be scaled and deskewed, so the band is
// scaled by the width ratio and given a margin that covers the rotation.
#pragma once

#include <saksi/plugin_abi.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace saksi::mrz {

struct Band {
    saksi_box box{};        // in working-image pixels, clipped to the image
    double charHeight = 0;  // estimated character height in working-image pixels
    int linesSeen = 0;      // MRZ-like lines found in the record text
};

// True when `line` (spaces ignored) has an MRZ line's shape: 28..46
// characters, nearly all A-Z 0-9 '<', with at least two '<' fillers.
bool looksLikeMrzLine(std::string_view line);

// The band around the record page's MRZ-like lines (plus neighbouring lines
// of capitals and digits that OCR read without fillers), mapped to a working
// image of imageWidth x imageHeight, with a margin of about one and a half
// lines above and below. nullopt when the page text has no MRZ-like line.
std::optional<Band> locateBand(const nlohmann::json& page, uint32_t imageWidth,
                               uint32_t imageHeight);

// The bottom of the page, where ICAO 9303 puts the MRZ, for a document
// classified as a passport or identity card whose OCR found no MRZ-like line.
Band bottomBand(uint32_t imageWidth, uint32_t imageHeight);

}  // namespace saksi::mrz
