#include "phone_finder.hpp"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <regex>
#include <set>

namespace saksi::identifiers {
namespace {

using i18n::phonenumbers::PhoneNumberMatch;
using i18n::phonenumbers::PhoneNumberMatcher;
using i18n::phonenumbers::PhoneNumberUtil;

// Shortest national number taken when libphonenumber cannot validate it.
constexpr std::size_t kMinPossibleNationalDigits = 7;

bool isDigit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// A copy of `text` where a line break between two digit groups ("+855 96\n712
// 3456") is a space. Same length, so spans found in it hold for `text`.
std::string joinBrokenNumbers(std::string_view text) {
    std::string out(text);
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] != '\n') continue;
        std::size_t before = i, after = i + 1;
        while (before > 0 && (out[before - 1] == ' ' || out[before - 1] == '\t')) --before;
        while (after < out.size() && (out[after] == ' ' || out[after] == '\t')) ++after;
        if (before > 0 && isDigit(out[before - 1]) && after < out.size() && isDigit(out[after]))
            out[i] = ' ';
    }
    return out;
}

bool overlaps(const std::vector<PhoneMatch>& found, std::size_t begin, std::size_t end) {
    return std::any_of(found.begin(), found.end(), [&](const PhoneMatch& p) {
        return p.match.begin < end && begin < p.match.end;
    });
}

}  // namespace

bool isPhoneRegion(const std::string& region) {
    std::set<std::string> regions;
    PhoneNumberUtil::GetInstance()->GetSupportedRegions(&regions);
    return regions.count(region) > 0;
}

std::vector<PhoneMatch> findPhones(std::string_view text, const std::vector<std::string>& regions) {
    // GetInstance() is a thread-safe singleton; the matcher is per call.
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    const std::string texts[] = {std::string(text), joinBrokenNumbers(text)};
    std::vector<PhoneMatch> found;
    // Every match in both texts that lies within `text` and overlaps none
    // found yet goes to take(match, begin, end).
    auto scan = [&](const std::string& region, PhoneNumberMatcher::Leniency leniency,
                    const auto& take) {
        for (const std::string& variant : texts) {
            if (&variant != &texts[0] && variant == texts[0]) continue;
            PhoneNumberMatcher matcher(util, variant, region, leniency,
                                       std::numeric_limits<int>::max());
            PhoneNumberMatch match;
            while (matcher.HasNext() && matcher.Next(&match)) {
                if (match.start() < 0 || match.length() <= 0) continue;
                const auto begin = static_cast<std::size_t>(match.start());
                const auto end = begin + static_cast<std::size_t>(match.length());
                if (end > text.size() || overlaps(found, begin, end)) continue;
                take(match, begin, end);
            }
        }
    };
    auto e164 = [&util](const PhoneNumberMatch& match) {
        std::string formatted;
        util.Format(match.number(), PhoneNumberUtil::E164, &formatted);
        return formatted;
    };
    for (const std::string& region : regions) {
        scan(region, PhoneNumberMatcher::VALID,
             [&](const PhoneNumberMatch& match, std::size_t begin, std::size_t end) {
                 if (!util.IsValidNumber(match.number())) return;
                 const std::string& raw = match.raw_string();
                 const bool international =
                     !raw.empty() && (raw[0] == '+' || raw.rfind("00", 0) == 0);
                 // A number without its own country code belongs to the home
                 // region (the first): "0812 3456", too short for Indonesia,
                 // is no Myanmar number just because Myanmar's plan admits it.
                 // Digits that start with the country code ("60 12-655 5250",
                 // its "+" lost to OCR) do carry their own.
                 // (The matcher does not keep where the code came from: parse again.)
                 i18n::phonenumbers::PhoneNumber reparsed;
                 const bool ownCountryCode =
                     util.ParseAndKeepRawInput(raw, region, &reparsed) ==
                         PhoneNumberUtil::NO_PARSING_ERROR &&
                     reparsed.country_code_source() !=
                         i18n::phonenumbers::PhoneNumber::FROM_DEFAULT_COUNTRY;
                 if (!international && !ownCountryCode && region != regions.front()) return;
                 found.push_back(
                     {{"phone", begin, end, e164(match), international ? 0.95 : 0.8, true},
                      international});
             });
    }
    // A number written with its country code that libphonenumber's metadata
    // does not (yet) assign: a new mobile range, or a digit group OCR or the
    // writer got wrong. Still a phone number to an investigator and to the
    // redaction policy, at a lower confidence. Region "ZZ" takes only numbers
    // that carry their country code.
    scan("ZZ", PhoneNumberMatcher::POSSIBLE,
         [&](const PhoneNumberMatch& match, std::size_t begin, std::size_t end) {
             const std::string& raw = match.raw_string();
             if (raw.empty() || raw[0] != '+' || !util.IsPossibleNumber(match.number())) return;
             std::string national;
             util.GetNationalSignificantNumber(match.number(), &national);
             if (national.size() < kMinPossibleNationalDigits) return;
             found.push_back({{"phone", begin, end, e164(match), 0.6, true}, true});
         });
    std::sort(found.begin(), found.end(), [](const PhoneMatch& a, const PhoneMatch& b) {
        return a.match.begin < b.match.begin;
    });
    return found;
}

std::optional<LinkPhone> phoneInLink(std::string_view url) {
    static const std::regex link(
        R"(^(?:https?://)?(?:www\.)?(?:(?:wa\.me|t\.me)/|api\.whatsapp\.com/send/?\?(?:[^#]*&)?phone=|tel:)(\+?)([0-9]{8,15})(?![0-9]))",
        std::regex::ECMAScript | std::regex::icase);
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(url.begin(), url.end(), m, link)) return std::nullopt;
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    i18n::phonenumbers::PhoneNumber number;
    // The digits carry the country code ("62..."), written with "+" or not.
    if (util.Parse("+" + m.str(2), "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR ||
        !util.IsValidNumber(number))
        return std::nullopt;
    LinkPhone phone;
    phone.begin = static_cast<std::size_t>(m.position(1));
    phone.end = static_cast<std::size_t>(m.position(2) + m.length(2));
    util.Format(number, PhoneNumberUtil::E164, &phone.e164);
    return phone;
}

}  // namespace saksi::identifiers
