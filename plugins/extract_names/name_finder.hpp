// name_finder.hpp -- persons, organisations and locations in a page's text,
// in Indonesian and English. Pure text matching over words: the stage turns
// the matches into entities with page, span and box.
#pragma once

#include "name_data.hpp"

#include <cstddef>
#include <map>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace saksi::names {

struct NameMatch {
    std::string type;                // "person", "organization" or "location"
    std::size_t begin = 0, end = 0;  // [begin, end) in the text, bytes
    std::string normalized;          // canonical form (a location's gazetteer name)
    double confidence = 1.0;         // 0..1, from the text alone
    bool sensitive = false;          // persons are
    // Found from a field label or a legal form that fixes where the name
    // starts and ends ("Nama:", "Surname", "PT ..."), not from the words
    // alone: the recogniser keeps it over the model's span.
    bool anchored = false;
    // A name after an honorific ("Pak Sokha"): the recogniser adds it where
    // the model found nothing, as it does gazetteer places.
    bool afterHonorific = false;
};

// The span [begin, end) lies in an e-mail or web address
// ("Maria.57@example.com", "www.kamboja-jobs.com").
bool insideAddress(std::string_view text, std::size_t begin, std::size_t end);

// A capitalised word that is never part of a person's name in documents
// ("Nama", "Halo", "Loker", "HRD", "Tempat"); case-insensitive.
bool isStopWord(std::string_view word);

// Built once from its data; find() is const and re-entrant.
class NameFinder {
public:
    explicit NameFinder(const NameData& data);

    // Every name in `text`, sorted by position. Matches of one type never
    // overlap; a person never overlaps an organisation or a location, and a
    // location is never reported inside a company name ("PT Bank Rakyat
    // Indonesia"), though it may be inside a state body's ("Pengadilan
    // Negeri Jakarta Selatan").
    std::vector<NameMatch> find(std::string_view text) const;

    struct Token;  // a word of the text; defined in name_finder.cpp

private:
    void findOrganizations(std::string_view text, const std::vector<Token>& tokens,
                           std::vector<NameMatch>& out, std::vector<bool>& company) const;
    void findLocations(std::string_view text, const std::vector<Token>& tokens,
                       std::vector<NameMatch>& out) const;
    void findPersons(std::string_view text, const std::vector<Token>& tokens,
                     std::vector<NameMatch>& out) const;
    // The canonical name of the location the words [first, first + count)
    // name, if any.
    const std::string* location(std::string_view text, const std::vector<Token>& tokens,
                                std::size_t first, std::size_t count) const;
    std::size_t locationAt(std::string_view text, const std::vector<Token>& tokens,
                           std::size_t first, const std::string** canonical) const;

    const NameData& data_;
    std::map<std::string, std::string> locations_;  // gazetteer key (see key()) -> name
    std::size_t maxLocationWords_ = 1;
    // Bounded repetitions only: libstdc++ matches by recursion.
    std::regex personLabel_, placeLabel_, companySuffix_;
};

}  // namespace saksi::names
