// The review app's static files (core/src/review/assets/), built into saksi
// so that it serves them without any network or install step.
#pragma once

#include <string_view>

namespace saksi::review {

struct Asset {
    std::string_view body;
    const char* contentType;
};

// The file named `name` ("index.html", "review.js"), or null.
const Asset* findAsset(std::string_view name);

}  // namespace saksi::review
