// saksi.toml: plugin_paths resolved against the file's folder; errors name
// the file and the line.
#include "settings.hpp"
#include "pipeline.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace saksi {
namespace {

class SettingsTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("saksi_settings_test_" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path write(const std::string& text) {
        const auto path = dir_ / "saksi.toml";
        std::ofstream(path) << text;
        return path;
    }
    std::string errorOf(const std::string& text) {
        try {
            loadSettings(write(text));
        } catch (const ConfigError& e) {
            return e.what();
        }
        return "no error";
    }
    std::filesystem::path dir_;
};

TEST_F(SettingsTest, MissingFileGivesDefaults) {
    EXPECT_TRUE(loadSettings(dir_ / "absent.toml").pluginPaths.empty());
}

TEST_F(SettingsTest, TheShippedDefaultsLoad) {
    EXPECT_TRUE(loadSettings(std::filesystem::path(SAKSI_SOURCE_DIR) / "config/saksi.toml")
                    .pluginPaths.empty());
}

TEST_F(SettingsTest, RelativePathsResolveAgainstTheFilesFolder) {
    const Settings s = loadSettings(write("plugin_paths = [\"../extra\", \"/opt/p\", \"here\"]\n"));
    ASSERT_EQ(s.pluginPaths.size(), 3u);
    EXPECT_EQ(s.pluginPaths[0], (dir_ / "../extra").lexically_normal());
    EXPECT_EQ(s.pluginPaths[1], std::filesystem::path("/opt/p"));
    EXPECT_EQ(s.pluginPaths[2], dir_ / "here");
}

TEST_F(SettingsTest, ErrorsNameFileAndLine) {
    const std::string file = (dir_ / "saksi.toml").string();
    EXPECT_EQ(errorOf("# x\nplugin_path = []\n").rfind(file + ":2: unknown key 'plugin_path'", 0),
              0u);
    EXPECT_EQ(errorOf("plugin_paths = \"/opt\"\n").rfind(file + ":1: plugin_paths must be", 0), 0u);
    EXPECT_EQ(errorOf("\n\nplugin_paths = [1]\n").rfind(file + ":3: each entry", 0), 0u);
    EXPECT_EQ(errorOf("plugin_paths = [\n").rfind(file + ":", 0), 0u);
}

TEST_F(SettingsTest, ArchiveLimitsAreReadAndCheckedWithTheirLine) {
    const Settings defaults =
        loadSettings(std::filesystem::path(SAKSI_SOURCE_DIR) / "config/saksi.toml");
    EXPECT_EQ(defaults.archive.maxDepth, ArchiveLimits{}.maxDepth);
    EXPECT_EQ(defaults.archive.maxTotalBytes, ArchiveLimits{}.maxTotalBytes);
    EXPECT_EQ(defaults.archive.maxRatio, ArchiveLimits{}.maxRatio);
    EXPECT_EQ(defaults.archive.maxMembers, ArchiveLimits{}.maxMembers);
    const Settings s = loadSettings(write(
        "[archive]\nmax_depth = 2\nmax_total_bytes = 1000\nmax_ratio = 50\nmax_members = 7\n"));
    EXPECT_EQ(s.archive.maxDepth, 2u);
    EXPECT_EQ(s.archive.maxTotalBytes, 1000u);
    EXPECT_EQ(s.archive.maxRatio, 50.0);
    EXPECT_EQ(s.archive.maxMembers, 7u);
    EXPECT_NE(errorOf("[archive]\nmax_depth = 0\n").find("saksi.toml:2: archive.max_depth must be"),
              std::string::npos);
    EXPECT_NE(errorOf("[archive]\nmax_ratio = \"x\"\n").find(":2: archive.max_ratio"),
              std::string::npos);
    EXPECT_NE(errorOf("[archive]\ndepth = 3\n").find(":2: unknown key 'archive.depth'"),
              std::string::npos);
}

}  // namespace
}  // namespace saksi
