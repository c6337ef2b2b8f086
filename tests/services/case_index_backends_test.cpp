// One CaseIndex interface, two backends: the SQLite ledger file (process,
// watch) and the PostgreSQL ledger (distributed workers) give the same links
// and share the versioned migrations of the index's own tables.
#include "case_index.hpp"
#include "services_env.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <pqxx/pqxx>

namespace saksi {
namespace {

std::string postgresUrl() {
    return testing::serviceUrl("SAKSI_TEST_POSTGRES") + "/unit";
}

CaseRow row(const std::string& type, const std::string& key, const std::string& value,
            const std::string& pages, const std::string& role = "") {
    return {type, key, value, pages, role, ""};
}

class CaseIndexBackendTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "postgresql") {
            pqxx::connection c(postgresUrl());
            pqxx::work w(c);
            w.exec("DROP TABLE IF EXISTS case_keys, case_documents, case_index_version");
            w.commit();
            location_ = postgresUrl();
        } else {
            dir_ = std::filesystem::temp_directory_path() /
                   ("saksi_case_backend_" + std::to_string(::getpid()));
            std::filesystem::remove_all(dir_);
            std::filesystem::create_directories(dir_);
            location_ = (dir_ / "ledger.sqlite").string();
        }
    }
    void TearDown() override {
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }
    std::string location_;
    std::filesystem::path dir_;
};

TEST_P(CaseIndexBackendTest, LinksReplacesAndForgets) {
    auto index = openCaseIndex(location_);
    index->record(
        "a", "contract_scan.png",
        {row("national_id", "3202155407980003", "3202155407980003", "[1]", "worker"),
         row("person", "anggraini dewi lestari", "Dewi Anggraini Lestari", "[1]", "worker")});
    index->record("b", "contract_digital.pdf",
                  {row("national_id", "3202155407980003", "3202155407980003", "[1]", "worker"),
                   row("person", "anggraini dewi lestari", "DEWI ANGGRAINI LESTARI", "[1]"),
                   row("person", "anggraini dewi lestari", "Dewi", "[2]")});
    index->record("c", "scan.pdf", {row("national_id", "3202155407980003", "3202", "[2,3]")});
    auto links = index->links(2);
    ASSERT_EQ(links.size(), 2u);
    EXPECT_EQ(links[0].type, "national_id");
    ASSERT_EQ(links[0].documents.size(), 3u);
    EXPECT_EQ(links[0].documents[0].name, "contract_digital.pdf");
    EXPECT_EQ(links[0].documents[2].pages, (std::vector<std::uint32_t>{2, 3}));
    EXPECT_EQ(links[1].type, "person");
    // One row per document and key: b's two spellings' pages joined.
    ASSERT_EQ(links[1].documents.size(), 2u);
    EXPECT_EQ(links[1].documents[0].pages, (std::vector<std::uint32_t>{1, 2}));

    index->record("a", "contract_scan.png", {});
    EXPECT_EQ(index->links(2).size(), 1u);
    index->forget("b");
    EXPECT_EQ(index->links(2).size(), 0u);
    EXPECT_EQ(index->documents(), (std::set<std::string>{"a", "c"}));

    // Reopened (a second worker): the same index, migrations not rerun.
    auto again = openCaseIndex(location_);
    EXPECT_EQ(again->documents(), (std::set<std::string>{"a", "c"}));
    EXPECT_EQ(again->links(1).size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, CaseIndexBackendTest, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace saksi
