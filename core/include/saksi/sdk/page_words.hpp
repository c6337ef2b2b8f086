// saksi/sdk/page_words.hpp -- where each word sits in its page's text, so an
// extractor that matches the text can give its entity a page, span and bbox.
#pragma once

#include <saksi/plugin_abi.h>
#include <saksi/sdk/document.hpp>

#include <algorithm>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace saksi::sdk {

class PageWords {
public:
    struct Word {
        std::size_t begin = 0, end = 0;  // [begin, end) in the page text, bytes
        saksi_box bbox{};
        float conf = -1.0f;
    };

    // From a record page ({"number", "text", "words": [{text, bbox, conf}]}).
    // Words appear in the text in order (the host's contract); a word that
    // cannot be found is skipped.
    static PageWords fromJson(const nlohmann::json& page) {
        PageWords out;
        out.number_ = page.value("number", 0u);
        out.text_ = page.value("text", std::string());
        std::size_t cursor = 0;
        for (const auto& w : page.value("words", nlohmann::json::array())) {
            const std::string text = w.value("text", std::string());
            if (text.empty()) continue;
            const std::size_t at = out.text_.find(text, cursor);
            if (at == std::string::npos) continue;
            const auto& b = w.at("bbox");
            out.words_.push_back({at,
                                  at + text.size(),
                                  {b[0].get<int32_t>(), b[1].get<int32_t>(), b[2].get<int32_t>(),
                                   b[3].get<int32_t>()},
                                  w.value("conf", -1.0f)});
            cursor = at + text.size();
        }
        return out;
    }

    // Every page of the document, in order.
    static std::vector<PageWords> allPages(const Document& doc) {
        std::vector<PageWords> pages;
        if (auto json = doc.json("/pages"))
            for (const auto& page : *json) pages.push_back(fromJson(page));
        return pages;
    }

    uint32_t number() const { return number_; }
    const std::string& text() const { return text_; }
    const std::vector<Word>& words() const { return words_; }

    // The words that overlap [begin, end), as indexes into words().
    std::pair<std::size_t, std::size_t> wordRange(std::size_t begin, std::size_t end) const {
        auto first = std::partition_point(words_.begin(), words_.end(),
                                          [&](const Word& w) { return w.end <= begin; });
        auto last =
            std::partition_point(first, words_.end(), [&](const Word& w) { return w.begin < end; });
        return {static_cast<std::size_t>(first - words_.begin()),
                static_cast<std::size_t>(last - words_.begin())};
    }

    // The box around every word that overlaps [begin, end); all zero when
    // no word does (a span in text without word boxes).
    saksi_box boxOf(std::size_t begin, std::size_t end) const {
        const auto [first, last] = wordRange(begin, end);
        if (first == last) return {0, 0, 0, 0};
        saksi_box box = words_[first].bbox;
        for (std::size_t i = first + 1; i < last; ++i) {
            box.x0 = std::min(box.x0, words_[i].bbox.x0);
            box.y0 = std::min(box.y0, words_[i].bbox.y0);
            box.x1 = std::max(box.x1, words_[i].bbox.x1);
            box.y1 = std::max(box.y1, words_[i].bbox.y1);
        }
        return box;
    }

    // How far OCR doubt should lower a finding's confidence over [begin,
    // end): 1 for text without word confidences (a PDF text layer), down to
    // 0.5 as the least sure OCR'd word of the span nears 0.
    double ocrConfidenceFactor(std::size_t begin, std::size_t end) const {
        const auto [first, last] = wordRange(begin, end);
        float least = 100.0f;
        bool any = false;
        for (std::size_t i = first; i < last; ++i) {
            if (words_[i].conf < 0) continue;
            least = std::min(least, words_[i].conf);
            any = true;
        }
        if (!any) return 1.0;
        return 0.5 + 0.5 * std::clamp(static_cast<double>(least) / 100.0, 0.0, 1.0);
    }

    // An entity over [begin, end) of this page's text, with its page, span
    // and box filled in.
    Entity entity(std::string type, std::size_t begin, std::size_t end,
                  nlohmann::json normalized = nullptr, double confidence = 1.0,
                  bool sensitive = false) const {
        Entity e;
        e.type = std::move(type);
        e.text = text_.substr(begin, end - begin);
        e.normalized = std::move(normalized);
        e.page = number_;
        e.bbox = boxOf(begin, end);
        e.spanBegin = begin;
        e.spanEnd = end;
        e.confidence = confidence;
        e.sensitive = sensitive;
        return e;
    }

private:
    uint32_t number_ = 0;
    std::string text_;
    std::vector<Word> words_;
};

}  // namespace saksi::sdk
