// Pipeline loading: every configuration error names the file and the line.
#include "pipeline.hpp"
#include "plugin_host.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace saksi {
namespace {

class PipelineTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        host_ = new PluginHost;
        host_->loadDirectory(SAKSI_BUILTIN_PLUGIN_DIR);
    }
    static void TearDownTestSuite() { delete host_; }

    std::filesystem::path write(const std::string& text) {
        auto path = std::filesystem::temp_directory_path() /
                    ("saksi_pipeline_test_" + std::to_string(counter_++) + ".toml");
        std::ofstream(path) << text;
        files_.push_back(path);
        return path;
    }
    void TearDown() override {
        for (auto& f : files_) std::filesystem::remove(f);
    }
    // The message of the ConfigError loading `text` throws.
    std::string errorOf(const std::string& text) {
        const auto path = write(text);
        try {
            loadPipeline(path, *host_);
        } catch (const ConfigError& e) {
            const std::string msg = e.what();
            EXPECT_EQ(msg.rfind(path.string() + ":", 0), 0u) << msg;
            return msg.substr(path.string().size());
        }
        ADD_FAILURE() << "no ConfigError for:\n" << text;
        return {};
    }

    static PluginHost* host_;
    std::vector<std::filesystem::path> files_;
    int counter_ = 0;
};
PluginHost* PipelineTest::host_ = nullptr;

constexpr const char* kHead = "name = \"t\"\n[[stage]]\nid = \"decode.image\"\n";

TEST_F(PipelineTest, LoadsTheDefaultPipelineWithDefaultsFilled) {
    const Pipeline p =
        loadPipeline(std::string(SAKSI_SOURCE_DIR) + "/pipelines/evidence.toml", *host_);
    EXPECT_EQ(p.name, "evidence");
    ASSERT_GE(p.stages.size(), 4u);
    const auto ocr = std::find_if(p.stages.begin(), p.stages.end(),
                                  [](auto& s) { return s.def->id == "ocr.tesseract"; });
    ASSERT_NE(ocr, p.stages.end());
    EXPECT_EQ(ocr->config.at("languages"), "ind+eng");
    EXPECT_TRUE(ocr->config.contains("psm")) << "defaults are filled in";
    EXPECT_EQ(p.hash.size(), 64u);
}

TEST_F(PipelineTest, UnknownStageNamesItsLine) {
    EXPECT_EQ(errorOf(std::string(kHead) + "[[stage]]\nid = \"ocr.nonexistent\"\n").substr(0, 3),
              ":4:");
}

TEST_F(PipelineTest, UnknownSettingNamesItsLineAndTheValidOnes) {
    const std::string msg =
        errorOf(std::string(kHead) + "[[stage]]\nid = \"ocr.tesseract\"\nlangs = \"ind\"\n");
    EXPECT_EQ(msg.substr(0, 3), ":6:") << msg;
    EXPECT_NE(msg.find("no setting 'langs'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("languages"), std::string::npos) << msg;
}

TEST_F(PipelineTest, WrongTypeNamesItsLine) {
    const std::string msg = errorOf(std::string(kHead) + "max_pixels = \"many\"\n");
    EXPECT_EQ(msg.substr(0, 3), ":4:") << msg;
    EXPECT_NE(msg.find("integer"), std::string::npos) << msg;
}

TEST_F(PipelineTest, TomlSyntaxErrorNamesItsLine) {
    EXPECT_EQ(errorOf("name = \"t\"\n\n[[stage]\n").substr(0, 3), ":3:");
}

TEST_F(PipelineTest, MissingNameAndStagesAndDecoderAreRefused) {
    EXPECT_NE(errorOf("[[stage]]\nid = \"decode.image\"\n").find("name"), std::string::npos);
    EXPECT_NE(errorOf("name = \"t\"\n").find("no [[stage]]"), std::string::npos);
    EXPECT_NE(errorOf("name = \"t\"\n[[stage]]\nid = \"sink.json\"\n").find("no decode stage"),
              std::string::npos);
    EXPECT_NE(errorOf("name = \"t\"\nstages = 1\n").find("unknown key 'stages'"),
              std::string::npos);
}

TEST_F(PipelineTest, HashFollowsConfiguration) {
    const auto a = loadPipeline(write(std::string(kHead) + "max_pages = 5\n"), *host_);
    const auto b = loadPipeline(write(std::string(kHead) + "max_pages = 6\n"), *host_);
    const auto c = loadPipeline(write(std::string(kHead) + "max_pages = 5\n"), *host_);
    EXPECT_NE(a.hash, b.hash);
    EXPECT_EQ(a.hash, c.hash);
}

TEST(ConfigSchemaTest, ChecksTypesEnumsAndRanges) {
    const auto schema = nlohmann::json::parse(R"({
        "mode": {"type": "string", "enum": ["a", "b"], "default": "a"},
        "n": {"type": "integer", "minimum": 1, "maximum": 3, "default": 2},
        "list": {"type": "string_list", "default": []},
        "needed": {"type": "boolean"}})");
    auto ok = applyConfigSchema(schema, {{"needed", true}}, "x");
    EXPECT_EQ(ok.at("mode"), "a");
    EXPECT_EQ(ok.at("n"), 2);
    EXPECT_THROW(applyConfigSchema(schema, nlohmann::json::object(), "x"), std::invalid_argument);
    EXPECT_THROW(applyConfigSchema(schema, {{"needed", true}, {"mode", "c"}}, "x"),
                 std::invalid_argument);
    EXPECT_THROW(applyConfigSchema(schema, {{"needed", true}, {"n", 4}}, "x"),
                 std::invalid_argument);
    EXPECT_THROW(applyConfigSchema(schema, {{"needed", true}, {"n", 1.5}}, "x"),
                 std::invalid_argument);
    EXPECT_THROW(applyConfigSchema(schema, {{"needed", true}, {"list", {1}}}, "x"),
                 std::invalid_argument);
    EXPECT_NO_THROW(applyConfigSchema(schema, {{"needed", false}, {"list", {"a"}}}, "x"));
}

// Command-line overrides (--password-file) reach every stage that takes the
// key; a secret setting changes neither the pipeline hash nor shows in it.
TEST_F(PipelineTest, OverridesReachTheStagesAndSecretsStayOutOfTheHash) {
    const auto path = write(
        "name = \"t\"\n[[stage]]\nid = \"decode.pdf\"\n"
        "[[stage]]\nid = \"decode.image\"\n");
    const Pipeline plain = loadPipeline(path, *host_);
    const nlohmann::json passwords = {{"passwords", {"s3cret", "other"}}};
    const Pipeline withPasswords = loadPipeline(path, *host_, passwords);
    EXPECT_EQ(withPasswords.stages[0].config.at("passwords"), passwords["passwords"]);
    EXPECT_EQ(plain.stages[0].config.at("passwords"), nlohmann::json::array());
    EXPECT_FALSE(withPasswords.stages[1].config.contains("passwords"));
    EXPECT_EQ(withPasswords.hash, plain.hash);
    // A key no stage takes, or a wrong type, is a configuration error.
    EXPECT_THROW(loadPipeline(path, *host_, {{"no_such_key", 1}}), ConfigError);
    EXPECT_THROW(loadPipeline(path, *host_, {{"passwords", "not a list"}}), ConfigError);
    // A non-secret setting still changes the hash.
    EXPECT_NE(loadPipeline(path, *host_, {{"max_pages", 5}}).hash, plain.hash);
}

}  // namespace
}  // namespace saksi
