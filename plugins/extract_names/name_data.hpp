// name_data.hpp -- the reference data extract.names matches against: the
// gazetteer of config/names/gazetteer.json and the given names of
// config/names/given_names.json, both embedded at build time.
#pragma once

#include <map>
#include <set>
#include <string>

namespace saksi::names {

struct NameData {
    // Every name and alias of a location, lower-cased, to its canonical name
    // ("kamboja" -> "Cambodia").
    std::map<std::string, std::string> locations;
    // Given names that start a person's name, as written ("Dewi").
    std::set<std::string> givenNames;
};

// The embedded data, parsed once.
const NameData& embeddedNameData();

}  // namespace saksi::names
