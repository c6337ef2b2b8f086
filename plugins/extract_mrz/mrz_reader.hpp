// mrz_reader.hpp -- re-OCR of an MRZ band with a Tesseract set up for it.
#pragma once

#include "mrz.hpp"
#include "mrz_band.hpp"

#include <saksi/sdk/document.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace saksi::mrz {

// Owns one tesseract::TessBaseAPI initialised for MRZ text: psm 6 (one
// block), a whitelist of A-Z 0-9 '<', no system or frequency dictionary.
// Not thread-safe: one reader per stage instance, hence per worker thread.
// Tesseract and Leptonica stay in the .cpp file.
class MrzReader {
public:
    // Throws std::runtime_error when Tesseract cannot load `language`.
    MrzReader(const std::string& tessdata, const std::string& language);
    ~MrzReader();
    MrzReader(const MrzReader&) = delete;
    MrzReader& operator=(const MrzReader&) = delete;

    // The text lines read from `band` of `image` (GRAY8, RGB24 or RGBA32),
    // after scaling the crop so characters are about `charHeight` pixels
    // tall. Spaces removed; empty lines dropped.
    std::vector<std::string> readLines(const sdk::ImageView& image, const Band& band,
                                       double charHeight);

    // Reads the band at a few character sizes and returns the best MRZ
    // found (valid first, then ambiguous, then the most checks passed);
    // stops at the first valid one. nullopt when no reading parses.
    std::optional<Mrz> read(const sdk::ImageView& image, const Band& band,
                            std::chrono::year_month_day reference);

private:
    struct Api;
    std::unique_ptr<Api> api_;
};

// The best MRZ in OCR'd lines: every run of 2 or 3 consecutive lines is
// parsed and ranked as in MrzReader::read. nullopt when none parses.
std::optional<Mrz> bestMrz(const std::vector<std::string>& lines,
                           std::chrono::year_month_day reference);

// Ranks a parse: valid > ambiguous > more checks passed.
int mrzRank(const Mrz& mrz);

}  // namespace saksi::mrz
