#include "recognizer.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace saksi::names {
namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The text of [begin, end) with runs of white space as one space.
std::string collapsed(std::string_view text) {
    std::string out;
    bool space = false;
    for (char c : text) {
        if (isSpace(c)) {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool isWordStart(std::string_view text, const ner::Word& w) {
    const auto c = static_cast<unsigned char>(text[w.begin]);
    return std::isalnum(c) != 0 || c >= 0x80;
}

// The lines of [begin, end), with the line before and the line after,
// hold a machine-readable zone's "<<".
bool nearZone(std::string_view text, std::size_t begin, std::size_t end) {
    std::size_t from = begin, to = end;
    for (int k = 0; k < 2 && from > 0; ++k) {
        const auto at = text.rfind('\n', from - 1);
        from = at == std::string_view::npos ? 0 : at;
    }
    for (int k = 0; k < 2 && to < text.size(); ++k) {
        const auto at = text.find('\n', to + 1);
        to = at == std::string_view::npos ? text.size() : at;
    }
    return text.substr(from, to - from).find("<<") != std::string_view::npos;
}

}  // namespace

Recognizer::Recognizer(std::string_view model)
    : rules_(embeddedNameData()),
      features_(embeddedNameData()),
      model_(ner::Model::fromBytes(model.empty() ? ner::embeddedModel() : model)) {
}

std::vector<NameMatch> Recognizer::modelMatches(std::string_view text) const {
    std::vector<NameMatch> out;
    const auto words = ner::tokenize(text);
    const auto& locations = embeddedNameData().locations;
    const auto& given = embeddedNameData().givenNames;
    for (const auto& [first, last] : ner::sentences(text, words)) {
        std::vector<std::string_view> sentence;
        for (std::size_t i = first; i < last; ++i)
            sentence.push_back(text.substr(words[i].begin, words[i].end - words[i].begin));
        std::vector<double> probability;
        const auto tags = model_.tag(features_.extract(sentence), &probability);
        std::vector<ner::Span> found;
        for (auto span : ner::spans(tags, probability)) {
            const auto word = [&](std::size_t k) {
                return text.substr(words[first + k].begin,
                                   words[first + k].end - words[first + k].begin);
            };
            // Punctuation at a span's edges is not part of the name, nor are
            // document words ("Halo", "Loker", "HRD") at a person's edges.
            const auto edge = [&](std::size_t k) {
                return !isWordStart(text, words[first + k]) ||
                       (span.type == 0 && isStopWord(word(k)));
            };
            while (span.first < span.last && edge(span.first)) ++span.first;
            while (span.last > span.first && edge(span.last - 1)) --span.last;
            if (span.first == span.last) continue;
            // Field labels alone ("Nationality", "Authority") are no names,
            // nor is a zone's run of letters ("PKUTOHALIMATUNS").
            bool labels = true, zone = false;
            for (std::size_t k = span.first; k < span.last; ++k) {
                const auto w = word(k);
                labels = labels && isStopWord(w);
                zone = zone || (w.size() >= 13 && std::none_of(w.begin(), w.end(), [](char c) {
                                    return c >= 'a' && c <= 'z';
                                }));
            }
            if (labels || zone) continue;
            // A zone's line is no name, nor is the line next to one (OCR
            // may lose a line's "<<").
            if (nearZone(text, words[first + span.first].begin, words[first + span.last - 1].end))
                continue;
            // Names side by side (a signature line): a person's span splits
            // where a second given name starts after two words.
            if (span.type == 0) {
                std::size_t start = span.first;
                for (std::size_t k = span.first + 2; k < span.last; ++k)
                    if (k - start >= 2 && given.count(std::string(word(k))) > 0) {
                        found.push_back({0, start, k, span.confidence});
                        start = k;
                    }
                span.first = start;
            }
            found.push_back(span);
        }
        for (const auto& span : found) {
            const std::size_t begin = words[first + span.first].begin;
            const std::size_t end = words[first + span.last - 1].end;
            if (insideAddress(text, begin, end)) continue;
            const auto type = ner::kSpanTypes[static_cast<std::size_t>(span.type)];
            std::string normalized = collapsed(text.substr(begin, end - begin));
            if (type == "location") {
                std::string key = lower(normalized);
                while (!key.empty() && key.back() == '.') key.pop_back();
                if (const auto it = locations.find(key); it != locations.end())
                    normalized = it->second;
            }
            out.push_back({std::string(type), begin, end, std::move(normalized),
                           std::clamp(span.confidence, 0.5, 0.95), type == "person", false});
        }
    }
    return out;
}

std::vector<NameMatch> Recognizer::lowerCasePlaces(std::string_view text) const {
    static const std::set<std::string, std::less<>> kContext = {
        "di", "ke", "dari", "asal", "menuju", "warga",   "kota",   "kabupaten", "provinsi",
        "in", "to", "from", "at",   "sampai", "tinggal", "daerah", "wilayah"};
    const auto& locations = embeddedNameData().locations;
    std::vector<NameMatch> out;
    const auto words = ner::tokenize(text);
    const auto word = [&](std::size_t i) {
        return text.substr(words[i].begin, words[i].end - words[i].begin);
    };
    for (std::size_t i = 1; i < words.size(); ++i) {
        const auto w = word(i);
        if (std::any_of(w.begin(), w.end(), [](char c) { return c >= 'A' && c <= 'Z'; }) ||
            kContext.count(lower(std::string(word(i - 1)))) == 0)
            continue;
        std::string key, matchedKey;
        std::size_t matched = 0;
        for (std::size_t k = i; k < words.size() && k < i + 4; ++k) {
            if (k > i) key += ' ';
            key += word(k);
            if (locations.count(key) > 0) {
                matched = k + 1;
                matchedKey = key;
            }
        }
        // One short word is too often an everyday one.
        if (matched == 0 || (matched == i + 1 && w.size() < 5)) continue;
        const std::size_t begin = words[i].begin, end = words[matched - 1].end;
        out.push_back({"location", begin, end, locations.at(matchedKey), 0.7, false, false});
        i = matched - 1;
    }
    return out;
}

std::vector<NameMatch> Recognizer::find(std::string_view text) const {
    const auto overlaps = [](const NameMatch& a, const NameMatch& b) {
        return a.begin < b.end && b.begin < a.end;
    };
    std::vector<NameMatch> anchored, places;
    for (auto& m : rules_.find(text)) {
        if (m.anchored)
            anchored.push_back(std::move(m));
        else if (m.type == "location" || m.afterHonorific)
            places.push_back(std::move(m));
    }
    auto model = modelMatches(text);
    std::vector<NameMatch> out;
    // A rule's match stands, unless the model's span of the same type
    // covers it and goes on (a field's value wrapped onto the next line).
    for (auto& a : anchored) {
        const auto wider = std::find_if(model.begin(), model.end(), [&](const NameMatch& m) {
            return m.type == a.type && m.begin <= a.begin && m.end >= a.end &&
                   m.end - m.begin > a.end - a.begin;
        });
        if (wider == model.end()) {
            out.push_back(std::move(a));
            continue;
        }
        if (std::none_of(out.begin(), out.end(),
                         [&](const NameMatch& o) { return overlaps(o, *wider); })) {
            wider->confidence = std::max(wider->confidence, a.confidence);
            out.push_back(*wider);
        }
    }
    const std::size_t fixed = out.size();
    const auto free = [&](const NameMatch& m, std::size_t upTo) {
        return std::none_of(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(upTo),
                            [&](const NameMatch& o) { return overlaps(o, m); });
    };
    for (auto& m : model)
        if (free(m, fixed)) out.push_back(std::move(m));
    // A name after an honorific, or a place the gazetteer knows, written
    // as a name, where the model saw none ("warga Cilacap": the corpora leave demonym-like uses
    // untagged). In lower-case text, the same after a word that introduces a place
    // ("warga cilacap", "di sihanoukville").
    const std::size_t withModel = out.size();
    for (auto& m : places)
        if (free(m, withModel)) out.push_back(std::move(m));
    for (auto& m : lowerCasePlaces(text))
        if (free(m, withModel)) out.push_back(std::move(m));
    std::sort(out.begin(), out.end(), [](const NameMatch& a, const NameMatch& b) {
        return a.begin < b.begin || (a.begin == b.begin && a.end > b.end);
    });
    return out;
}

}  // namespace saksi::names
