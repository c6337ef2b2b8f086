// UTC timestamps as the ledger stores them: ISO 8601, "2026-01-31T12:00:00Z".
#pragma once

#include <ctime>
#include <optional>
#include <string>

namespace saksi {

// Now, to the second.
std::string utcNow();
// A time `seconds` before now, in the same form.
std::string utcSecondsAgo(long seconds);
// Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS" (anything after is
// ignored); nullopt when it is not in that form.
std::optional<std::time_t> parseUtc(const std::string& text);

}  // namespace saksi
