// The review's revisions: what a correction may say, how revisions make the
// effective record, and how a revisions file's chain is checked.
#include "audit_log.hpp"
#include "hashing.hpp"
#include "review/revisions.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using nlohmann::json;
using namespace saksi::review;

namespace {

json record() {
    const std::string text = "Nama: Yohana Sitompul\nTelepon: 0812 7781 4402";
    return {{"id", std::string(64, 'c')},
            {"pages",
             {{{"number", 1},
               {"text", text},
               {"words",
                {{{"text", "Nama:"}, {"bbox", {10, 10, 60, 30}}, {"conf", 91}},
                 {{"text", "Yohana"}, {"bbox", {70, 10, 130, 30}}, {"conf", 88}},
                 {{"text", "Sitompul"}, {"bbox", {140, 12, 230, 31}}, {"conf", 85}},
                 {{"text", "Telepon:"}, {"bbox", {10, 40, 80, 60}}, {"conf", 90}}}}}}},
            {"entities",
             {{{"type", "phone"},
               {"text", "0812 7781 4402"},
               {"normalized", "+6281277814402"},
               {"page", 1},
               {"confidence", 0.9}}}},
            {"provenance", json::object()}};
}

int status(const json& request, const json& effective) {
    try {
        checkCorrection(request, effective);
        return 200;
    } catch (const InvalidCorrection& e) {
        EXPECT_FALSE(std::string(e.what()).empty());
        return e.status();
    }
}

json revision(const json& change, std::size_t number) {
    return json::parse(revisionLine(change, std::string(64, 'c'), number, "clerk",
                                    std::string(64, 'd'), saksi::kAuditGenesis));
}

}  // namespace

TEST(ReviewCorrection, AnAddFindsItsTextSpanAndBoxIgnoringCase) {
    const json change = checkCorrection({{"op", "add"},
                                         {"type", "person"},
                                         {"text", "yohana SITOMPUL"},
                                         {"page", 1},
                                         {"redact", true}},
                                        record());
    EXPECT_EQ(change["text"], "Yohana Sitompul");
    EXPECT_EQ(change["span"], json({6, 21}));
    EXPECT_EQ(change["bbox"], json({70, 10, 230, 31}));
    EXPECT_EQ(change["entity"], 1);
}

TEST(ReviewCorrection, RefusesWhatItCannotApply) {
    const json r = record();
    EXPECT_EQ(status({{"op", "confirm"}, {"entity", 0}}, r), 200);
    EXPECT_EQ(status({{"op", "confirm"}, {"entity", 1}}, r), 400);
    EXPECT_EQ(status({{"op", "confirm"}, {"entity", 0.5}}, r), 400);
    EXPECT_EQ(status({{"op", "confirm"}, {"entity", 0}, {"extra", 1}}, r), 400);
    EXPECT_EQ(status({{"op", "edit"}, {"entity", 0}}, r), 400);
    EXPECT_EQ(status({{"op", "drop"}, {"entity", 0}}, r), 400);
    EXPECT_EQ(status(json::array(), r), 400);
    EXPECT_EQ(status({{"op", "add"}, {"type", "person"}, {"text", "Budi"}, {"page", 1}}, r), 400);
    EXPECT_EQ(status({{"op", "add"}, {"type", "nickname"}, {"text", "Yohana"}, {"page", 1}}, r),
              400);
    EXPECT_EQ(status({{"op", "add"}, {"type", "person"}, {"text", "Yohana"}, {"page", 0}}, r), 400);
    EXPECT_EQ(status({{"op", "add"}, {"type", "person"}, {"text", "  "}, {"page", 1}}, r), 400);
    EXPECT_EQ(status({{"op", "reject"}, {"entity", 0}, {"note", 7}}, r), 400);
}

TEST(ReviewEffectiveRecord, AppliesRevisionsInOrderAndLeavesRejectedOutOfRedaction) {
    const json original = record();
    const json add = checkCorrection({{"op", "add"},
                                      {"type", "person"},
                                      {"text", "Yohana Sitompul"},
                                      {"page", 1},
                                      {"redact", true}},
                                     original);
    const std::vector<json> revisions = {
        revision(add, 1),
        revision({{"op", "edit"}, {"entity", 0}, {"normalized", "+6281277814403"}}, 2),
        revision({{"op", "reject"}, {"entity", 0}}, 3)};
    const json effective = effectiveRecord(original, revisions, std::string(64, 'e'));
    ASSERT_EQ(effective["entities"].size(), 2u);
    EXPECT_EQ(effective["entities"][1]["redact"], true);
    EXPECT_EQ(effective["entities"][1]["review"]["status"], "added");
    EXPECT_EQ(effective["entities"][0]["normalized"], "+6281277814403");
    EXPECT_EQ(effective["entities"][0]["review"]["status"], "rejected");
    EXPECT_EQ(effective["entities"][0]["review"]["revisions"], json({2, 3}));
    EXPECT_EQ(effective["provenance"]["review"]["revisions"], 3);
    EXPECT_EQ(original["entities"].size(), 1u);  // the original is untouched
    const json redacted = recordForRedaction(effective);
    ASSERT_EQ(redacted["entities"].size(), 1u);
    EXPECT_EQ(redacted["entities"][0]["type"], "person");
    // A rejected entity cannot be corrected again.
    EXPECT_EQ(status({{"op", "confirm"}, {"entity", 0}}, effective), 400);
}

TEST(ReviewRevisionChain, ReportsAnEditedLine) {
    const auto dir = std::filesystem::temp_directory_path() / "saksi-revision-chain-test";
    std::filesystem::create_directories(dir);
    const auto file = dir / (std::string(64, 'c') + ".jsonl");
    const std::string first = revisionLine({{"op", "confirm"}, {"entity", 0}}, std::string(64, 'c'),
                                           1, "clerk", "x", saksi::kAuditGenesis);
    const std::string second =
        revisionLine({{"op", "confirm"}, {"entity", 1}}, std::string(64, 'c'), 2, "clerk", "x",
                     saksi::sha256Hex(std::string_view(first)));
    std::ofstream(file) << first << "\n" << second << "\n";
    EXPECT_TRUE(checkRevisionChain(file, "revisions/c.jsonl").empty());
    std::string edited = first;
    edited.replace(edited.find("clerk"), 5, "other");
    std::ofstream(file) << edited << "\n" << second << "\n";
    const auto issues = checkRevisionChain(file, "revisions/c.jsonl");
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].line, 2u);
    std::filesystem::remove_all(dir);
}
