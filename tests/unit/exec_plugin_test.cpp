// Exec plugins: the JSON-lines child process under a deadline, and manifests.
#include "exec_plugin.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

namespace saksi {
namespace {

using namespace std::chrono_literals;
using Clock = ChildProcess::Clock;

ChildProcess shell(const std::string& script, std::size_t maxLine = std::size_t(64) << 20) {
    return ChildProcess({{"/bin/sh", "-c", script}, {}, "test", maxLine});
}

bool processExists(pid_t pid) {
    return ::kill(pid, 0) == 0;
}

std::string codeOf(ChildProcess& child, std::string_view line, std::chrono::milliseconds budget) {
    try {
        child.exchange(line, Clock::now() + budget);
    } catch (const ExecError& e) {
        return e.code();
    }
    return "";
}

TEST(ExecChildTest, ExchangesLinesWithOneLivingProcess) {
    auto child = shell("while read -r line; do echo \"got $line\"; done");
    child.start();
    const pid_t pid = child.pid();
    EXPECT_EQ(child.exchange("one", Clock::now() + 5s), "got one");
    EXPECT_EQ(child.exchange("two", Clock::now() + 5s), "got two");
    EXPECT_EQ(child.pid(), pid);
    EXPECT_TRUE(child.alive());
    child.stop(2s);
    EXPECT_FALSE(processExists(pid));  // reaped, not a zombie
}

TEST(ExecChildTest, TimeoutKillsAndReaps) {
    auto child = shell("read -r line; sleep 30");
    child.start();
    const pid_t pid = child.pid();
    const auto t0 = Clock::now();
    EXPECT_EQ(codeOf(child, "hello", 300ms), "exec.timeout");
    EXPECT_LT(Clock::now() - t0, 3s);
    EXPECT_FALSE(child.alive());
    EXPECT_FALSE(processExists(pid));
}

TEST(ExecChildTest, DeathIsACrashWithItsStderr) {
    auto child = shell("read -r line; echo 'Traceback: boom' >&2; exit 7");
    child.start();
    try {
        child.exchange("x", Clock::now() + 5s);
        FAIL() << "no error";
    } catch (const ExecError& e) {
        EXPECT_EQ(e.code(), "exec.crashed");
        EXPECT_NE(std::string(e.what()).find("exited with status 7"), std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("Traceback: boom"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(child.alive());
}

TEST(ExecChildTest, WritingToAProgramThatIsGoneIsACrashNotSigpipe) {
    auto child = shell("exec 0<&-; sleep 0.2; exit 0");
    child.start();
    const std::string big(1 << 20, 'x');  // more than a pipe holds
    EXPECT_EQ(codeOf(child, big, 5s), "exec.crashed");
}

TEST(ExecChildTest, LargeRequestsAndChattyStderrDoNotDeadlock) {
    // The program writes 100 kB (more than a pipe holds) to stderr before it reads a 2 MiB line.
    auto echo = shell("head -c 100000 /dev/zero | tr '\\0' 'e' >&2; read -r line; echo ${#line}");
    echo.start();
    EXPECT_EQ(echo.exchange(std::string(2 << 20, 'y'), Clock::now() + 20s), "2097152");
}

TEST(ExecChildTest, OversizedLineIsInvalidOutput) {
    auto child = shell("read -r line; head -c 100000 /dev/zero | tr '\\0' 'a'; sleep 5", 4096);
    child.start();
    EXPECT_EQ(codeOf(child, "x", 5s), "exec.invalid_output");
    EXPECT_FALSE(child.alive());
}

TEST(ExecChildTest, TwoLinesForOneRequestIsInvalidOutput) {
    auto child = shell("read -r line; printf 'a\\nb\\n'; sleep 5");
    child.start();
    // Both lines may arrive in one read, or the second one later.
    const std::string code = codeOf(child, "x", 5s);
    if (code.empty())
        EXPECT_EQ(codeOf(child, "y", 1s), "exec.invalid_output");
    else
        EXPECT_EQ(code, "exec.invalid_output");
}

TEST(ExecChildTest, MissingProgramFailsToStart) {
    ChildProcess child({{"/nonexistent/program"}, {}, "test", 1024});
    try {
        child.start();
        FAIL() << "started";
    } catch (const ExecError& e) {
        EXPECT_EQ(e.code(), "exec.start_failed");
    }
}

TEST(ExecChildTest, StopKillsAProgramThatIgnoresEof) {
    auto child = shell("trap '' TERM; while :; do sleep 1; done");
    child.start();
    const pid_t pid = child.pid();
    const auto t0 = Clock::now();
    child.stop(200ms);
    EXPECT_LT(Clock::now() - t0, 2s);
    EXPECT_FALSE(processExists(pid));
}

class ExecManifestTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("saksi-exec-manifest-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name) << text;
        return dir_ / name;
    }
    std::string refusal(const std::string& text) {
        try {
            loadExecManifest(write("x.exec.toml", text));
        } catch (const std::exception& e) {
            return e.what();
        }
        return "";
    }
    std::filesystem::path dir_;
};

TEST_F(ExecManifestTest, LoadsStagesWithTheirSchema) {
    write("prog.sh", "#!/bin/sh\n");
    std::filesystem::permissions(dir_ / "prog.sh", std::filesystem::perms::owner_all);
    const auto plugin = loadExecManifest(write("x.exec.toml", R"(
name = "x"
version = "1.2.3"
command = ["./prog.sh", "--flag"]
[[stage]]
id = "extract.x"
kind = "extract"
scope = "document"
timeout_ms = 500
media_types = ["image/*"]
config_schema = '{"n": {"type": "integer", "default": 3}}'
[[stage]]
id = "classify.x"
kind = "classify"
[stage.config_schema]
lang = { type = "string", default = "ind" }
)"));
    ASSERT_EQ(plugin->stages.size(), 2u);
    EXPECT_EQ(plugin->handle, nullptr);
    EXPECT_EQ(plugin->path, (dir_ / "x.exec.toml").string());
    const StageDef& first = plugin->stages[0];
    EXPECT_EQ(first.kindName(), "extract");
    EXPECT_EQ(first.scopeName(), "document");
    EXPECT_TRUE(first.accepts("image/png"));
    EXPECT_FALSE(first.accepts("application/pdf"));
    EXPECT_EQ(first.configSchema["n"]["default"], 3);
    EXPECT_EQ(first.plugin, plugin.get());
    EXPECT_STREQ(first.abi.id, "extract.x");
    EXPECT_EQ(plugin->stages[1].scopeName(), "page");
    EXPECT_EQ(plugin->stages[1].configSchema["lang"]["default"], "ind");
    ASSERT_NE(plugin->exec, nullptr);
    EXPECT_EQ(plugin->exec->command.front(), (dir_ / "prog.sh").string());
    EXPECT_EQ(plugin->exec->findStage("extract.x")->timeout, 500ms);
}

TEST_F(ExecManifestTest, RefusesWithAReason) {
    const std::string head = "name = \"x\"\nversion = \"1\"\ncommand = [\"sh\"]\n";
    EXPECT_NE(refusal("name = \"x\"\nversion = \"1\"\n[[stage]]\nid=\"extract.x\"\nkind="
                      "\"extract\"\n")
                  .find("command"),
              std::string::npos);
    EXPECT_NE(refusal(head).find("[[stage]]"), std::string::npos);
    EXPECT_NE(refusal(head + "[[stage]]\nid = \"ocr.x\"\nkind = \"ocr\"\n").find("\"extract\""),
              std::string::npos);
    EXPECT_NE(refusal(head + "[[stage]]\nid = \"x\"\nkind = \"extract\"\n").find("extract.<name>"),
              std::string::npos);
    EXPECT_NE(refusal(head + "[[stage]]\nid = \"extract.x\"\nkind = \"extract\"\nscope = \"all\"\n")
                  .find("scope"),
              std::string::npos);
    EXPECT_NE(refusal(head + "[[stage]]\nid = \"extract.x\"\nkind = \"extract\"\ntimeout = 5\n")
                  .find("'timeout'"),
              std::string::npos);
    EXPECT_NE(
        refusal(head + "[[stage]]\nid = \"extract.x\"\nkind = \"extract\"\n"
                       "config_schema = '{\"n\": {\"type\": \"integer\", \"default\": \"a\"}}'\n")
            .find("integer"),
        std::string::npos);
    EXPECT_NE(refusal("name = \"x\"\nversion = \"1\"\ncommand = [\"no-such-program-saksi\"]\n"
                      "[[stage]]\nid = \"extract.x\"\nkind = \"extract\"\n")
                  .find("PATH"),
              std::string::npos);
    EXPECT_NE(refusal("name = \"x").find("line 1"), std::string::npos);
}

TEST_F(ExecManifestTest, HostListsItAndRefusesDuplicates) {
    const std::string text =
        "name = \"x\"\nversion = \"1\"\ncommand = [\"sh\"]\n[[stage]]\nid = \"extract.x\"\n"
        "kind = \"extract\"\n";
    write("a.exec.toml", text);
    write("b.exec.toml", text);
    write("notes.toml", "not a manifest");
    PluginHost host;
    host.loadDirectory(dir_);
    ASSERT_EQ(host.plugins().size(), 1u);
    EXPECT_EQ(host.plugins()[0]->path, (dir_ / "a.exec.toml").string());
    ASSERT_EQ(host.refused().size(), 1u);
    EXPECT_NE(host.refused()[0].reason.find("already"), std::string::npos);
    EXPECT_NE(host.findStage("extract.x"), nullptr);
}

}  // namespace
}  // namespace saksi
