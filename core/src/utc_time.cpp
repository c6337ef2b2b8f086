#include "utc_time.hpp"

#include <chrono>
#include <cstdio>

namespace saksi {
namespace {

std::string format(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

std::string utcNow() {
    return format(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()));
}

std::string utcSecondsAgo(long seconds) {
    return format(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()) - seconds);
}

std::optional<std::time_t> parseUtc(const std::string& text) {
    std::tm tm{};
    int consumed = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6 ||
        consumed != 19)
        return std::nullopt;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

}  // namespace saksi
