#include "match.hpp"

namespace extract_template {

std::vector<Match> findMatches(std::string_view text, const std::regex& pattern) {
    std::vector<Match> out;
    using Iterator = std::regex_iterator<std::string_view::const_iterator>;
    for (Iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
        if (it->length(0) == 0) continue;  // a pattern that can match nothing
        const auto begin = static_cast<std::size_t>(it->position(0));
        const auto length = static_cast<std::size_t>(it->length(0));
        // Trailing punctuation belongs to the sentence, not to the value.
        std::size_t size = length;
        while (size > 1 && std::string_view(".,;:!?)\"'").find(text[begin + size - 1]) !=
                               std::string_view::npos)
            --size;
        out.push_back({begin, begin + size, std::string(text.substr(begin, size))});
    }
    return out;
}

}  // namespace extract_template
