#include "extract_mrz_stage.hpp"

#include "mrz_band.hpp"
#include "visual_zone.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace saksi::mrz {
namespace {

std::string stringKey(const nlohmann::json& config, const char* key, const char* fallback) {
    if (!config.contains(key)) return fallback;
    if (!config.at(key).is_string())
        throw std::invalid_argument(std::string("'") + key + "' must be a string");
    return config.at(key).get<std::string>();
}

std::chrono::year_month_day todayUtc() {
    return std::chrono::year_month_day(
        std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
}

// The page text's lines that have an MRZ line's shape, spaces removed: a
// PDF text layer holds the MRZ exactly, and the general OCR pass sometimes
// reads it well enough.
std::vector<std::string> mrzLikeLines(const std::string& text) {
    std::vector<std::string> lines;
    for (std::size_t begin = 0; begin < text.size();) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos) end = text.size();
        std::string line;
        for (std::size_t i = begin; i < end; ++i)
            if (text[i] != ' ') line += text[i];
        // As written (no upper-casing): prose is not an MRZ.
        if (line.size() >= 28 && line.size() <= 46 &&
            std::all_of(line.begin(), line.end(), [](char c) {
                return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<';
            }))
            lines.push_back(line);
        begin = end + 1;
    }
    return lines;
}

}  // namespace

ExtractMrzStage::ExtractMrzStage(const nlohmann::json& config)
    : reader_(stringKey(config, "tessdata", ""), stringKey(config, "language", "eng")) {
}

void ExtractMrzStage::process(sdk::Document& doc) {
    const auto pages = doc.json("/pages");
    if (!pages || !pages->is_array()) return;
    const auto kind = doc.json("/document/kind");
    const bool travelDocument =
        kind && kind->is_string() && (*kind == "passport" || *kind == "id_card");
    const auto reference = todayUtc();

    std::optional<Mrz> best;
    std::size_t bestPage = 0;
    for (std::size_t i = 0; i < pages->size(); ++i) {
        const nlohmann::json& page = (*pages)[i];
        std::optional<Mrz> found =
            bestMrz(mrzLikeLines(page.value("text", std::string())), reference);
        if (!(found && found->valid)) {
            if (const auto image = doc.pageImage(static_cast<uint32_t>(i))) {
                std::optional<Band> band = locateBand(page, image->width, image->height);
                if (!band && travelDocument) band = bottomBand(image->width, image->height);
                if (band) {
                    auto read = reader_.read(*image, *band, reference);
                    if (read && (!found || mrzRank(*read) > mrzRank(*found)))
                        found = std::move(read);
                }
                // One page image at a time, however long the document.
                doc.releasePageImage(static_cast<uint32_t>(i));
            }
        }
        if (found && (!best || mrzRank(*found) > mrzRank(*best))) {
            best = std::move(found);
            bestPage = i;
        }
        if (best && best->valid) break;
    }
    // An ambiguous reading counts only when most check digits agree: junk
    // lines can be "repaired" several ways too.
    constexpr int kMinAmbiguousRank = 13;
    if (!best || !(best->valid || (best->ambiguous && mrzRank(*best) >= kMinAmbiguousRank))) {
        if (best && travelDocument)
            doc.addError("mrz.unreadable",
                         "a machine-readable zone was found but its check digits do not agree; "
                         "rescan the data page at 300 dpi or more");
        return;
    }

    const nlohmann::json& page = (*pages)[bestPage];
    const std::string text = page.value("text", std::string());
    reconcileNames(*best, text);
    doc.put("/passport/mrz", toJson(*best));
    const VisualZone zone = crossCheck(text, *best);
    doc.put("/passport/visual_zone", zone.toJson());
    if (zone.documentNumber) {
        const auto words = sdk::PageWords::fromJson(page);
        doc.addEntity(words.entity("passport_number", zone.numberBegin, zone.numberEnd,
                                   best->documentNumber, zone.numberMatches ? 0.97 : 0.6,
                                   /*sensitive=*/true));
    }
}

}  // namespace saksi::mrz
