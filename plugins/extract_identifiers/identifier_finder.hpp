// identifier_finder.hpp -- phones, e-mails, URLs, NIKs, passport and bank
// account numbers, money and dates in a page's text. Pure text matching: the
// stage turns its matches into entities with page, span and box.
#pragma once

#include "civil_date.hpp"
#include "identifier_match.hpp"

#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace saksi::identifiers {

struct FinderOptions {
    // Tried in order for phone numbers written without a country code.
    std::vector<std::string> regions{"ID", "KH", "MM", "TH", "PH", "MY", "VN", "LA", "AE"};
    // Entity types to look for; the default is every one this finder knows.
    std::set<std::string> types{"phone",           "email",        "url",   "national_id",
                                "passport_number", "bank_account", "money", "date"};
};

// Built once from its options (throws std::invalid_argument on an unknown
// region or type); find() is const and re-entrant.
class IdentifierFinder {
public:
    explicit IdentifierFinder(FinderOptions options);

    // Every identifier in `text`, sorted by position. Matches never overlap:
    // where two would, the more specific one wins (an e-mail over the URL in
    // it, a NIK or a number with a country code over a bank account, ...).
    // `today` resolves the century of a NIK's birth date.
    std::vector<IdentifierMatch> find(std::string_view text, CivilDate today) const;

private:
    bool wants(const char* type) const { return options_.types.count(type) > 0; }
    void findEmails(std::string_view text, std::vector<IdentifierMatch>& out) const;
    void findSpacedEmails(std::string_view text, std::vector<IdentifierMatch>& out) const;
    void findMisreadEmails(std::string_view text, std::vector<IdentifierMatch>& out) const;
    void findUrls(std::string_view text, std::vector<IdentifierMatch>& out) const;
    void findNiks(std::string_view text, CivilDate today, std::vector<IdentifierMatch>& out) const;
    void findPassports(std::string_view text, std::vector<IdentifierMatch>& out) const;
    void findPassportsOnNextLine(std::string_view text, std::vector<IdentifierMatch>& out) const;
    void findBankAccounts(std::string_view text, std::vector<IdentifierMatch>& out) const;
    void findMoney(std::string_view text, std::vector<IdentifierMatch>& out) const;
    void findDates(std::string_view text, std::vector<IdentifierMatch>& out) const;

    FinderOptions options_;
    // Every repetition is bounded: libstdc++ matches by recursion, and an
    // unbounded one over a long unbroken token could exhaust the stack.
    std::regex email_, spacedEmail_, emailField_, url_, nik_, passport_, passportAtLineStart_,
        passportLabelAtLineEnd_, passportFiller_, bankNumber_, bankName_, bankWord_, bankAfter_,
        bankVeto_, money_, dateDayMonth_, dateMonthDay_, dateNumeric_, dateIso_;
};

}  // namespace saksi::identifiers
