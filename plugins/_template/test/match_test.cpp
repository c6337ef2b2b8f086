#include "../src/match.hpp"

#include <gtest/gtest.h>

using extract_template::findMatches;

TEST(FindMatches, FindsEachUrlWithItsSpan) {
    const std::regex url("https?://[^\\s]+");
    const std::string text = "see https://example.org/a and http://x.test.";
    const auto matches = findMatches(text, url);
    ASSERT_EQ(matches.size(), 2u);
    EXPECT_EQ(text.substr(matches[0].begin, matches[0].end - matches[0].begin),
              "https://example.org/a");
    EXPECT_EQ(matches[1].normalized, "http://x.test");  // the full stop is not part of it
}

TEST(FindMatches, NothingInPlainText) {
    EXPECT_TRUE(findMatches("no links here", std::regex("https?://[^\\s]+")).empty());
}

TEST(FindMatches, SkipsEmptyMatches) {
    EXPECT_TRUE(findMatches("abc", std::regex("x*")).empty());
}
