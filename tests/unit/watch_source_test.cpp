// The watched folder: files already there come first (sorted), files closed
// after writing or moved in follow (subfolders made later too), partial and
// hidden names and the output folder are never taken, and finish() moves an
// original without ever overwriting, or hands it back when it was rewritten.
#include "watch_source.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <future>
#include <sstream>

namespace saksi {
namespace {

namespace fs = std::filesystem;

class WatchSourceTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("saksi_watch_test_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(inbox());
        fs::create_directories(dir_ / "staging");
        dir_ = fs::canonical(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    fs::path inbox() const { return dir_ / "inbox"; }
    fs::path out() const { return inbox() / "out"; }

    static void write(const fs::path& file, const std::string& text) {
        fs::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << text;
    }
    static std::string read(const fs::path& file) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }
    // Written elsewhere, then renamed in: one IN_MOVED_TO.
    void moveIn(const std::string& rel, const std::string& text) {
        const fs::path staged = dir_ / "staging" / fs::path(rel).filename();
        write(staged, text);
        fs::create_directories((inbox() / rel).parent_path());
        fs::rename(staged, inbox() / rel);
    }

    // next(), failing instead of hanging when nothing comes.
    static std::optional<InputItem> nextOrFail(WatchSource& source) {
        auto result = std::async(std::launch::async, [&] { return source.next(); });
        if (result.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
            source.cancel();
            ADD_FAILURE() << "next() returned nothing for 20 s";
        }
        return result.get();
    }
    std::string nextName(WatchSource& source) {
        const auto item = nextOrFail(source);
        if (!item) return "(none)";
        return item->path.lexically_relative(inbox()).string();
    }

    fs::path dir_;
};

TEST(PartialName, BrowserCopyToolOfficeAndHiddenNames) {
    for (const char* name :
         {"scan.pdf.part", "x.TMP", "a.crdownload", "~$contract.docx", ".hidden.png", ".saksi"})
        EXPECT_TRUE(isPartialName(name)) << name;
    for (const char* name : {"scan.pdf", "partial.png", "tmp.jpg", "a~$b.pdf", "part"})
        EXPECT_FALSE(isPartialName(name)) << name;
}

TEST_F(WatchSourceTest, TakesFilesAlreadyThereInPathOrderLeavingOutPartialHiddenAndOutput) {
    write(inbox() / "b.png", "b");
    write(inbox() / "a.png", "a");
    write(inbox() / "sub" / "c.png", "c");
    write(inbox() / "x.png.part", "partial");
    write(inbox() / ".hidden.png", "hidden");
    write(inbox() / "~$lock.docx", "lock");
    write(inbox() / ".saksi" / "done" / "old.png", "old");
    write(inbox() / ".cache" / "d.png", "hidden folder");
    write(out() / "records" / "r.json", "{}");
    WatchSource source(inbox(), out());
    EXPECT_EQ(nextName(source), "a.png");
    EXPECT_EQ(nextName(source), "b.png");
    EXPECT_EQ(nextName(source), "sub/c.png");
    // Nothing else: a further next() blocks until cancel().
    auto blocked = std::async(std::launch::async, [&] { return source.next(); });
    source.cancel();
    EXPECT_FALSE(blocked.get());
    EXPECT_FALSE(source.next());  // and every later call
}

TEST_F(WatchSourceTest, TakesFilesMovedInOrClosedAfterWritingIncludingNewSubfolders) {
    WatchSource source(inbox(), out());
    moveIn("moved.png", "m");
    EXPECT_EQ(nextName(source), "moved.png");
    write(inbox() / "copy.png.part", "c");  // ignored until renamed
    write(inbox() / "written.png", "w");
    EXPECT_EQ(nextName(source), "written.png");
    fs::rename(inbox() / "copy.png.part", inbox() / "copy.png");
    EXPECT_EQ(nextName(source), "copy.png");
    write(inbox() / ".dotfile", "d");
    write(out() / "records" / "x.json", "{}");  // the output folder inside the inbox
    fs::create_directories(inbox() / "case1" / "deeper");
    write(inbox() / "case1" / "deeper" / "new.png", "n");
    EXPECT_EQ(nextName(source), "case1/deeper/new.png");
    // A folder moved in with files already inside.
    write(dir_ / "staging" / "batch" / "one.png", "1");
    write(dir_ / "staging" / "batch" / "two.png", "2");
    fs::rename(dir_ / "staging" / "batch", inbox() / "batch");
    EXPECT_EQ(nextName(source), "batch/one.png");
    EXPECT_EQ(nextName(source), "batch/two.png");
    moveIn("last.png", "l");
    EXPECT_EQ(nextName(source), "last.png");  // not the dotfile nor the record
}

TEST_F(WatchSourceTest, FinishMovesToDoneOrFailedKeepingSubfoldersAndNeverOverwrites) {
    write(inbox() / "a.png", "first");
    write(inbox() / "sub" / "b.png", "bad");
    write(dir_ / "failure.json", R"({"status": "failed"})");
    WatchSource source(inbox(), out());
    const auto a = nextOrFail(source);
    const auto b = nextOrFail(source);
    ASSERT_TRUE(a && b);
    const auto movedA = source.finish(*a, false, {});
    ASSERT_TRUE(movedA);
    EXPECT_EQ(movedA->to, inbox() / ".saksi" / "done" / "a.png");
    EXPECT_FALSE(fs::exists(inbox() / "a.png"));
    EXPECT_EQ(read(movedA->to), "first");
    EXPECT_TRUE(movedA->failureRecord.empty());

    const auto movedB = source.finish(*b, true, dir_ / "failure.json");
    ASSERT_TRUE(movedB);
    EXPECT_EQ(movedB->to, inbox() / ".saksi" / "failed" / "sub" / "b.png");
    EXPECT_EQ(movedB->failureRecord, inbox() / ".saksi" / "failed" / "sub" / "b.png.failure.json");
    EXPECT_EQ(read(movedB->failureRecord), R"({"status": "failed"})");
    EXPECT_EQ(read(movedB->to), "bad");

    // Another a.png: a new name, the first one kept.
    moveIn("a.png", "second");
    const auto a2 = nextOrFail(source);
    ASSERT_TRUE(a2);
    const auto movedA2 = source.finish(*a2, false, {});
    ASSERT_TRUE(movedA2);
    EXPECT_EQ(movedA2->to, inbox() / ".saksi" / "done" / "a-1.png");
    EXPECT_EQ(read(movedA2->to), "second");
    EXPECT_EQ(read(movedA->to), "first");
}

TEST_F(WatchSourceTest, FileWrittenAgainWhileProcessedIsTakenAgainNotMoved) {
    WatchSource source(inbox(), out());
    write(inbox() / "a.png", "half");
    const auto a = nextOrFail(source);
    ASSERT_TRUE(a);
    write(inbox() / "a.png", "whole");  // closed after writing while "processed"
    // Seen by next() only: read the event before finishing.
    moveIn("marker.png", "m");
    EXPECT_EQ(nextName(source), "marker.png");
    EXPECT_FALSE(source.finish(*a, false, {}));
    EXPECT_EQ(read(inbox() / "a.png"), "whole");
    EXPECT_EQ(nextName(source), "a.png");
}

TEST_F(WatchSourceTest, FileGoneBeforeItIsTakenIsSkipped) {
    write(inbox() / "a.png", "a");
    write(inbox() / "b.png", "b");
    WatchSource source(inbox(), out());
    fs::remove(inbox() / "a.png");
    EXPECT_EQ(nextName(source), "b.png");
}

TEST_F(WatchSourceTest, MissingInboxIsAnError) {
    EXPECT_THROW(WatchSource(dir_ / "nope", out()), std::runtime_error);
}

}  // namespace
}  // namespace saksi
