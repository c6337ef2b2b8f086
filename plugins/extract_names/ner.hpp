// ner.hpp -- the statistical named-entity tagger of extract.names: a
// tokeniser for real text, the feature extractor shared by the trainer
// (train_ner.cpp) and the stage, and the model that tags a sentence's words
// with BIO tags over PER, ORG and LOC (per-word logistic regression decoded
// by Viterbi under BIO constraints with learnt transition scores).
#pragma once

#include "name_data.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace saksi::names::ner {

// The tags, in the model file's order.
enum Tag : int { O = 0, B_PER, I_PER, B_ORG, I_ORG, B_LOC, I_LOC };
constexpr int kTags = 7;
constexpr std::array<std::string_view, kTags> kTagNames = {"O",     "B-PER", "I-PER", "B-ORG",
                                                           "I-ORG", "B-LOC", "I-LOC"};
// -1 for a name that is not a tag.
int tagOf(std::string_view name);

// A word of a text, [begin, end) in bytes. Words are runs of letters and
// digits (bytes of multi-byte UTF-8 characters count as letters) with inner
// hyphens, apostrophes, and dots or commas before a letter or digit
// ("Soekarno-Hatta", "a.n", "1.000", "Kompas.com"); every other character
// that is not white space is a word of its own, as the corpora tokenise.
struct Word {
    std::size_t begin = 0, end = 0;
};
std::vector<Word> tokenize(std::string_view text);

// The sentences of a tokenised text, as [first, last) word ranges: they end
// after ".", "!" or "?" before a capitalised word or a line break (not after
// an abbreviation of up to three letters: "Bpk.", "Jl.", "a.n."), and at a
// blank line. A line break alone does not end one: names wrap.
std::vector<std::pair<std::size_t, std::size_t>> sentences(std::string_view text,
                                                           const std::vector<Word>& words);

// The features of every word of a sentence, as 64-bit hashes of their
// names: word form, shape, affixes, the words and shapes around it (+-2),
// cue words (honorifics, roles, place and organisation heads) and
// gazetteer and given-name membership.
class Features {
public:
    explicit Features(const NameData& data);
    std::vector<std::vector<uint64_t>> extract(const std::vector<std::string_view>& words) const;

private:
    std::unordered_map<std::string, std::string> locations_;  // lower-cased name -> itself
    std::size_t maxLocationWords_ = 1;
    std::set<std::string, std::less<>> givenNames_;  // lower-cased
};

// A span of tagged words: [first, last) word indexes.
struct Span {
    int type = 0;  // 0 person, 1 organisation, 2 location
    std::size_t first = 0, last = 0;
    double confidence = 0;  // mean probability of its words' tags
};
constexpr std::array<std::string_view, 3> kSpanTypes = {"person", "organization", "location"};

class Model {
public:
    // Parses a model file's bytes; throws std::runtime_error when they are
    // not one.
    static Model fromBytes(std::string_view bytes);
    // A model file's bytes: sorted feature hashes, their weights (kTags per
    // feature), and the transition scores (row 0: from the sentence start).
    static std::string toBytes(const std::vector<uint64_t>& keys, const std::vector<float>& weights,
                               const std::array<float, (kTags + 1) * kTags>& transitions);

    // The best tag of every word, and its probability when `probability`
    // is not null.
    std::vector<int> tag(const std::vector<std::vector<uint64_t>>& features,
                         std::vector<double>* probability = nullptr) const;

    std::size_t featureCount() const { return count_; }

private:
    // An open-addressing hash table from feature hash to weights: one
    // memory access per feature, where a binary search would make twenty.
    struct Slot {
        uint64_t key = 0;
        std::array<float, kTags> weights{};
        bool used = false;
    };
    const Slot* find(uint64_t key) const;

    std::vector<Slot> slots_;  // a power of two, at most half full
    std::size_t count_ = 0;
    std::array<float, (kTags + 1) * kTags> transitions_{};
};

// The entity spans of a tag sequence (an I- tag after another type starts a
// span).
std::vector<Span> spans(const std::vector<int>& tags, const std::vector<double>& probability);

// The model file embedded in the plugin (config/names/ner/model.bin).
std::string_view embeddedModel();

}  // namespace saksi::names::ner
