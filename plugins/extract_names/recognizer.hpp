// recognizer.hpp -- every person, organisation and location of a page's
// text: the NER model's spans, and the rule matches that are anchored by a
// field label or a legal form (NameFinder), which win where they overlap.
#pragma once

#include "name_finder.hpp"
#include "ner.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace saksi::names {

// Built once per stage instance; find() is const and re-entrant.
class Recognizer {
public:
    // `model`: a model file's bytes; empty for the embedded model.
    explicit Recognizer(std::string_view model = {});

    // Every name in `text`, sorted by position, never overlapping.
    std::vector<NameMatch> find(std::string_view text) const;

    const NameFinder& rules() const { return rules_; }

private:
    // The model's spans over the text.
    std::vector<NameMatch> modelMatches(std::string_view text) const;
    // Gazetteer places in lower case after a word that introduces a place.
    std::vector<NameMatch> lowerCasePlaces(std::string_view text) const;

    NameFinder rules_;
    ner::Features features_;
    ner::Model model_;
};

}  // namespace saksi::names
