// The plugin host: loads good plugins, refuses bad ones with a reason.
#include "plugin_host.hpp"

#include <gtest/gtest.h>

namespace saksi {
namespace {

const std::filesystem::path kAbiPlugins =
    std::filesystem::path(SAKSI_BINARY_DIR) / "tests/abi/plugins";

std::string reasonFor(const PluginHost& host, const std::string& file) {
    for (const auto& r : host.refused())
        if (std::filesystem::path(r.path).filename() == file) return r.reason;
    return "";
}

TEST(PluginHostTest, LoadsTheBuiltInPlugins) {
    PluginHost host;
    host.loadDirectory(SAKSI_BUILTIN_PLUGIN_DIR);
    EXPECT_TRUE(host.refused().empty()) << host.refused().front().reason;
    for (const char* id :
         {"decode.image", "decode.pdf", "preprocess.leptonica", "ocr.tesseract", "sink.json"}) {
        const StageDef* stage = host.findStage(id);
        ASSERT_NE(stage, nullptr) << id;
        EXPECT_FALSE(stage->plugin->version.empty());
        EXPECT_NE(host.owner(*stage), nullptr);
    }
    EXPECT_TRUE(host.findStage("decode.image")->accepts("image/png"));
    EXPECT_FALSE(host.findStage("decode.image")->accepts("application/pdf"));
    EXPECT_TRUE(host.findStage("sink.json")->accepts("anything/at-all"));
}

TEST(PluginHostTest, RefusesBrokenPluginsWithAReason) {
    PluginHost host;
    host.loadDirectory(kAbiPlugins);
    EXPECT_NE(reasonFor(host, "wrong_major.so").find("ABI major 99"), std::string::npos);
    EXPECT_NE(reasonFor(host, "no_entry.so").find("saksi_plugin_entry"), std::string::npos);
    EXPECT_NE(reasonFor(host, "missing_hook.so").find("process()"), std::string::npos);
    EXPECT_NE(host.findStage("extract.throws"), nullptr);
    EXPECT_NE(host.findStage("extract.c_minimal"), nullptr);
}

TEST(PluginHostTest, RefusesADuplicateAndANonLibrary) {
    PluginHost host;
    host.loadFile(kAbiPlugins / "good_minimal.so");
    host.loadFile(kAbiPlugins / "good_minimal.so");
    ASSERT_EQ(host.refused().size(), 1u);
    EXPECT_NE(host.refused()[0].reason.find("already provided"), std::string::npos);
    host.loadFile(std::string(SAKSI_SOURCE_DIR) + "/README.md");
    ASSERT_EQ(host.refused().size(), 2u);
    EXPECT_NE(host.refused()[1].reason.find("cannot be loaded"), std::string::npos);
}

TEST(PluginHostTest, MissingFolderIsNotAnError) {
    PluginHost host;
    host.loadDirectory("/nonexistent/saksi/plugins");
    EXPECT_TRUE(host.plugins().empty());
    EXPECT_TRUE(host.refused().empty());
}

}  // namespace
}  // namespace saksi
