#include "ocr_config.hpp"

#include <algorithm>
#include <stdexcept>

namespace saksi::ocr {

namespace {

template <class T>
T get(const nlohmann::json& config, const char* key, T fallback) {
    const auto it = config.find(key);
    if (it == config.end() || it->is_null()) return fallback;
    try {
        return it->get<T>();
    } catch (const nlohmann::json::exception&) {
        throw std::invalid_argument(std::string("ocr.tesseract: '") + key + "' has the wrong type");
    }
}

bool isLanguageName(const std::string& name) {
    // What Tesseract accepts as a traineddata name: "eng", "chi_sim", "script/Latin".
    return !name.empty() && name.front() != '/' && name.find("..") == std::string::npos &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-' || c == '/';
           });
}

}  // namespace

OcrConfig OcrConfig::fromJson(const nlohmann::json& config) {
    if (!config.is_object() && !config.is_null())
        throw std::invalid_argument("ocr.tesseract: the configuration must be a JSON object");
    OcrConfig c;
    c.languages = get(config, "languages", c.languages);
    c.psm = get(config, "psm", c.psm);
    c.tessdata = get(config, "tessdata", c.tessdata);
    c.minWordConfidence = get(config, "min_word_confidence", c.minWordConfidence);
    c.rereadBelowConfidence = get(config, "reread_below_confidence", c.rereadBelowConfidence);
    c.fallbackDpi = get(config, "fallback_dpi", c.fallbackDpi);

    const auto names = splitLanguages(c.languages);
    if (names.empty())
        throw std::invalid_argument("ocr.tesseract: 'languages' is empty; use e.g. \"ind+eng\"");
    for (const auto& name : names)
        if (!isLanguageName(name))
            throw std::invalid_argument("ocr.tesseract: 'languages' has an invalid name '" + name +
                                        "'; use Tesseract names joined by '+', e.g. \"ind+eng\"");
    // 0 (orientation only) and 2 (layout only) produce no text.
    if (c.psm < 1 || c.psm > 13 || c.psm == 2)
        throw std::invalid_argument("ocr.tesseract: 'psm' " + std::to_string(c.psm) +
                                    " produces no text; use 3 (automatic) or 1, 4-13");
    if (c.minWordConfidence < 0 || c.minWordConfidence > 100)
        throw std::invalid_argument("ocr.tesseract: 'min_word_confidence' must be within 0..100");
    if (c.rereadBelowConfidence < 0 || c.rereadBelowConfidence > 100)
        throw std::invalid_argument(
            "ocr.tesseract: 'reread_below_confidence' must be within 0..100");
    if (c.fallbackDpi < 0 || c.fallbackDpi > 2400)
        throw std::invalid_argument("ocr.tesseract: 'fallback_dpi' must be within 0..2400");

    for (const auto& entry : get(config, "tesseract_variables", std::vector<std::string>{})) {
        const auto eq = entry.find('=');
        if (eq == std::string::npos || eq == 0)
            throw std::invalid_argument("ocr.tesseract: 'tesseract_variables' entry '" + entry +
                                        "' is not name=value");
        c.variables.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
    }
    return c;
}

std::vector<std::string> splitLanguages(const std::string& languages) {
    std::vector<std::string> names;
    std::size_t begin = 0;
    while (begin <= languages.size()) {
        const auto end = std::min(languages.find('+', begin), languages.size());
        if (end > begin) names.push_back(languages.substr(begin, end - begin));
        begin = end + 1;
    }
    return names;
}

}  // namespace saksi::ocr
