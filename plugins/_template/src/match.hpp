// The stage's pure logic: what it finds in a page's text. No host, no
// document, so a unit test can call it directly.
#pragma once

#include <cstddef>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace extract_template {

struct Match {
    std::size_t begin = 0, end = 0;  // [begin, end) in the text, bytes
    std::string normalized;          // the value's normal form
};

// Finds every non-overlapping match of `pattern` in `text`, left to right.
std::vector<Match> findMatches(std::string_view text, const std::regex& pattern);

}  // namespace extract_template
