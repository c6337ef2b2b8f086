// ArchiveSource: archives written here with libarchive (zip, tar.gz, tar.bz2,
// tar.xz, 7z, nested, hostile) expand into one item per member, in a private
// folder, with the container chain; every limit gives its code.
#include "archive_reader.hpp"
#include "hashing.hpp"
#include "intake.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>

namespace saksi {
namespace {

namespace fs = std::filesystem;

struct Member {
    std::string path;
    std::string data;
    enum { file, dir, symlink, hardlink } kind = file;
};

enum class Kind { zip, tgz, tbz2, txz, sevenZip, tar };

std::string makeArchive(Kind kind, const std::vector<Member>& members) {
    struct archive* a = archive_write_new();
    switch (kind) {
        case Kind::zip:
            archive_write_set_format_zip(a);
            break;
        case Kind::sevenZip:
            archive_write_set_format_7zip(a);
            break;
        default:
            archive_write_set_format_pax_restricted(a);
    }
    if (kind == Kind::tgz) archive_write_add_filter_gzip(a);
    if (kind == Kind::tbz2) archive_write_add_filter_bzip2(a);
    if (kind == Kind::txz) archive_write_add_filter_xz(a);
    std::string out(64 << 20, '\0');
    std::size_t used = 0;
    EXPECT_EQ(archive_write_open_memory(a, out.data(), out.size(), &used), ARCHIVE_OK);
    for (const Member& m : members) {
        struct archive_entry* e = archive_entry_new();
        archive_entry_set_pathname(e, m.path.c_str());
        archive_entry_set_mtime(e, 1700000000, 0);
        if (m.kind == Member::dir) {
            archive_entry_set_filetype(e, AE_IFDIR);
            archive_entry_set_perm(e, 0755);
        } else if (m.kind == Member::symlink) {
            archive_entry_set_filetype(e, AE_IFLNK);
            archive_entry_set_symlink(e, m.data.c_str());
            archive_entry_set_perm(e, 0777);
        } else if (m.kind == Member::hardlink) {
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_hardlink(e, m.data.c_str());
        } else {
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_perm(e, 0644);
            archive_entry_set_size(e, static_cast<la_int64_t>(m.data.size()));
        }
        EXPECT_EQ(archive_write_header(a, e), ARCHIVE_OK) << archive_error_string(a);
        if (m.kind == Member::file) {
            EXPECT_EQ(archive_write_data(a, m.data.data(), m.data.size()),
                      static_cast<la_ssize_t>(m.data.size()));
        }
        archive_entry_free(e);
    }
    EXPECT_EQ(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    out.resize(used);
    return out;
}

class ArchiveTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("saksi_archive_test_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "in");
    }
    void TearDown() override { fs::remove_all(dir_); }

    fs::path write(const std::string& name, const std::string& bytes) {
        const fs::path p = dir_ / "in" / name;
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }
    static std::string read(const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
    // Every item of an ArchiveSource over `files`, with each temp file's
    // bytes read (then removed, as the engine does).
    struct Got {
        InputItem item;
        std::string bytes;
    };
    std::vector<Got> expand(std::vector<fs::path> files, ArchiveLimits limits = {}) {
        FileListSource inner(std::move(files));
        std::vector<Got> got;
        ArchiveSource source(inner, limits, dir_ / "out" / ".work");
        while (auto item = source.next()) {
            Got g{*item, ""};
            if (!item->path.empty() && fs::exists(item->path)) g.bytes = read(item->path);
            if (item->temporary) {
                EXPECT_EQ(item->path.parent_path(),
                          dir_ / "out" / ".work" / std::to_string(::getpid()));
                struct stat st {};
                EXPECT_EQ(::stat(item->path.parent_path().c_str(), &st), 0);
                EXPECT_EQ(st.st_mode & 0777, 0700u);
                fs::remove(item->path);
            }
            got.push_back(std::move(g));
        }
        return got;
    }
    static std::string code(const Got& g) { return g.item.error ? g.item.error->code : ""; }
    fs::path dir_;
};

TEST_F(ArchiveTest, EveryFormatExpandsIntoItsMembersWithTheChain) {
    const std::vector<Member> members = {
        {"docs/", "", Member::dir}, {"docs/a.txt", "alpha"}, {"b.bin", std::string(5000, 'b')}};
    for (auto [kind, name] : std::vector<std::pair<Kind, std::string>>{{Kind::zip, "x.zip"},
                                                                       {Kind::tgz, "x.tar.gz"},
                                                                       {Kind::tbz2, "x.tar.bz2"},
                                                                       {Kind::txz, "x.tar.xz"},
                                                                       {Kind::sevenZip, "x.7z"},
                                                                       {Kind::tar, "x.tar"}}) {
        SCOPED_TRACE(name);
        const fs::path archive = write(name, makeArchive(kind, members));
        const auto got = expand({archive});
        ASSERT_EQ(got.size(), 2u);  // the folder is skipped
        EXPECT_EQ(got[0].item.name, "a.txt");
        EXPECT_EQ(got[0].bytes, "alpha");
        EXPECT_EQ(got[1].item.name, "b.bin");
        EXPECT_EQ(got[1].bytes, std::string(5000, 'b'));
        for (const Got& g : got) {
            EXPECT_FALSE(g.item.error);
            EXPECT_TRUE(g.item.temporary);
            EXPECT_EQ(g.item.sourcePath, fs::absolute(archive).lexically_normal().string());
            ASSERT_EQ(g.item.container.size(), 1u);
            EXPECT_EQ(g.item.container[0]["archive"], g.item.sourcePath);
            EXPECT_EQ(g.item.container[0]["sha256"], fileSha256(archive));
        }
        EXPECT_EQ(got[0].item.container[0]["member"], "docs/a.txt");
    }
    EXPECT_FALSE(fs::exists(dir_ / "out" / ".work"));  // removed with the source
}

TEST_F(ArchiveTest, PlainFilesPassThroughAndOfficeZipsAreNotExpanded) {
    const fs::path plain = write("note.txt", "hello");
    const auto got = expand({plain});
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].item.path, plain);
    EXPECT_FALSE(got[0].item.temporary);
    EXPECT_TRUE(got[0].item.container.empty());
    EXPECT_FALSE(
        isArchiveMediaType("application/vnd.openxmlformats-officedocument."
                           "wordprocessingml.document"));
    EXPECT_TRUE(isArchiveMediaType("application/x-7z-compressed"));
}

TEST_F(ArchiveTest, NestedArchivesChainTheirMembers) {
    const std::string inner = makeArchive(Kind::tgz, {{"deep/c.txt", "gamma"}});
    const fs::path outer = write(
        "outer.zip", makeArchive(Kind::zip, {{"in/inner.tar.gz", inner}, {"top.txt", "top"}}));
    const auto got = expand({outer});
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].bytes, "gamma");
    ASSERT_EQ(got[0].item.container.size(), 2u);
    EXPECT_EQ(got[0].item.container[0]["member"], "in/inner.tar.gz");
    EXPECT_EQ(got[0].item.container[1]["archive"], "in/inner.tar.gz");
    EXPECT_EQ(got[0].item.container[1]["member"], "deep/c.txt");
    EXPECT_EQ(got[0].item.container[1]["sha256"], sha256Hex(inner));
    EXPECT_EQ(got[0].item.display(), got[0].item.sourcePath + "!in/inner.tar.gz!deep/c.txt");
    EXPECT_EQ(got[1].bytes, "top");
}

TEST_F(ArchiveTest, UnsafeMembersAreRefusedAndTheRestProcessed) {
    for (Kind kind : {Kind::zip, Kind::tar}) {
        const fs::path archive =
            write(kind == Kind::zip ? "u.zip" : "u.tar",
                  makeArchive(kind, {{"ok1.txt", "one"},
                                     {"../../escape.txt", "evil"},
                                     {"/etc/absolute.txt", "evil"},
                                     {"a/../../b.txt", "evil"},
                                     {"..\\win.txt", "evil"},
                                     {"sym.txt", "/etc/passwd", Member::symlink},
                                     {"ok2.txt", "two"}}));
        const auto got = expand({archive});
        std::vector<std::string> codes, names;
        for (const Got& g : got) {
            codes.push_back(code(g));
            names.push_back(g.item.container[0]["member"]);
            if (g.item.error) {
                EXPECT_TRUE(g.item.path.empty());
            }
        }
        EXPECT_EQ(names,
                  (std::vector<std::string>{
                      "ok1.txt", "../../escape.txt", "/etc/absolute.txt", "a/../../b.txt",
                      // libarchive reads a zip's "\\" as "/"
                      kind == Kind::zip ? "../win.txt" : "..\\win.txt", "sym.txt", "ok2.txt"}));
        EXPECT_EQ(codes, (std::vector<std::string>{"", "archive.unsafe_path", "archive.unsafe_path",
                                                   "archive.unsafe_path", "archive.unsafe_path",
                                                   "archive.unsafe_path", ""}));
    }
    EXPECT_FALSE(fs::exists(dir_ / "escape.txt"));
    EXPECT_FALSE(fs::exists(fs::temp_directory_path() / "escape.txt"));
}

TEST_F(ArchiveTest, TooDeepNestingStopsAtTheLimit) {
    std::string archive = makeArchive(Kind::zip, {{"leaf.txt", "leaf"}});
    for (int level = 4; level >= 1; --level)
        archive = makeArchive(Kind::zip, {{"l" + std::to_string(level + 1) + ".zip", archive}});
    const fs::path file = write("l1.zip", archive);
    ArchiveLimits limits;
    limits.maxDepth = 3;
    const auto got = expand({file}, limits);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(code(got[0]), "archive.too_deep");
    EXPECT_EQ(got[0].item.display(), got[0].item.sourcePath + "!l2.zip!l3.zip!l4.zip");
    EXPECT_FALSE(got[0].bytes.empty());  // the nested archive's own bytes, for its record
    limits.maxDepth = 5;
    const auto all = expand({file}, limits);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].bytes, "leaf");
}

TEST_F(ArchiveTest, ABombIsStoppedEarlyAndTheNextMemberStillComes) {
    const std::string zeros(32 << 20, '\0');
    for (Kind kind : {Kind::zip, Kind::tgz, Kind::sevenZip}) {
        const fs::path file =
            write("bomb", makeArchive(kind, {{"z.bin", zeros}, {"ok.txt", "ok"}}));
        const auto got = expand({file});
        ASSERT_GE(got.size(), 1u);
        EXPECT_EQ(code(got[0]), "archive.bomb") << got[0].item.error->message;
        EXPECT_TRUE(got[0].item.path.empty());
        if (kind == Kind::zip) {  // skipping a zip member costs nothing
            ASSERT_EQ(got.size(), 2u);
            EXPECT_EQ(got[1].bytes, "ok");
        } else {  // in one compressed stream: the rest is not read
            EXPECT_EQ(got.size(), 1u);
        }
    }
}

TEST_F(ArchiveTest, TotalSizeAndMemberCountLimits) {
    std::vector<Member> members;
    for (int i = 0; i < 10; ++i)
        members.push_back({"m" + std::to_string(i), std::string(1000, 'x' + i % 2)});
    const fs::path file = write("many.tar", makeArchive(Kind::tar, members));
    ArchiveLimits limits;
    limits.maxTotalBytes = 3500;
    auto got = expand({file}, limits);
    ASSERT_EQ(got.size(), 4u);
    EXPECT_EQ(code(got[2]), "");
    EXPECT_EQ(code(got[3]), "archive.too_large");
    limits = ArchiveLimits{};
    limits.maxMembers = 6;
    got = expand({file}, limits);
    ASSERT_EQ(got.size(), 7u);
    EXPECT_EQ(code(got[6]), "archive.too_many_members");
    EXPECT_EQ(got[6].item.container[0]["member"], "m6");
}

TEST_F(ArchiveTest, EmptyDamagedAndRawCompressedArchives) {
    const fs::path empty = write("empty.zip", makeArchive(Kind::zip, {}));
    auto got = expand({empty});
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(code(got[0]), "archive.empty");
    EXPECT_EQ(got[0].item.path, empty);  // the archive itself, hashed like any file
    EXPECT_TRUE(got[0].item.container.empty());

    std::string tgz =
        makeArchive(Kind::tgz, {{"a.txt", std::string(200000, 'a')}, {"b.txt", "bee"}});
    const fs::path cut = write("cut.tar.gz", tgz.substr(0, tgz.size() / 2));
    got = expand({cut});
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(code(got[0]), "archive.damaged");

    // A .gz of one document, no tar inside: its one member.
    struct archive* a = archive_write_new();
    archive_write_set_format_raw(a);
    archive_write_add_filter_gzip(a);
    std::string gz(1 << 16, '\0');
    std::size_t used = 0;
    archive_write_open_memory(a, gz.data(), gz.size(), &used);
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_filetype(e, AE_IFREG);
    archive_write_header(a, e);
    archive_write_data(a, "%PDF-1.4 not really", 19);
    archive_entry_free(e);
    archive_write_close(a);
    archive_write_free(a);
    gz.resize(used);
    got = expand({write("scan.pdf.gz", gz)});
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(code(got[0]), "");
    EXPECT_EQ(got[0].item.name, "scan.pdf");
    EXPECT_EQ(got[0].bytes, "%PDF-1.4 not really");
}

TEST_F(ArchiveTest, SaysWhenAnOutermostArchiveIsReadAndHowManyItemsItMade) {
    // What a watched folder needs to move an archive only after all of it.
    const std::string inner = makeArchive(Kind::tgz, {{"c.txt", "gamma"}});
    const fs::path outer =
        write("outer.zip",
              makeArchive(Kind::zip,
                          {{"inner.tar.gz", inner}, {"top.txt", "top"}, {"../up.txt", "evil"}}));
    const fs::path plain = write("plain.txt", "plain");
    const fs::path empty = write("empty.zip", makeArchive(Kind::zip, {}));
    FileListSource inner_files({outer, plain, empty});
    ArchiveSource source(inner_files, {}, dir_ / "out" / ".work");
    std::vector<std::pair<std::string, std::size_t>> done;
    std::size_t returned = 0;
    std::vector<std::size_t> returnedWhenDone;
    source.onArchiveDone = [&](const InputItem& archive, std::size_t items) {
        done.emplace_back(archive.path.filename().string(), items);
        returnedWhenDone.push_back(returned);
    };
    while (auto item = source.next()) {
        ++returned;
        if (item->temporary) fs::remove(item->path);
    }
    EXPECT_EQ(returned, 5u);  // c.txt, top.txt, ../up.txt refused, plain.txt, empty.zip
    EXPECT_EQ(done, (std::vector<std::pair<std::string, std::size_t>>{{"outer.zip", 3},
                                                                      {"empty.zip", 1}}));
    // Said once the archive is read, possibly before its last items are taken.
    ASSERT_EQ(returnedWhenDone.size(), 2u);
    EXPECT_LE(returnedWhenDone[0], 3u);
    EXPECT_LE(returnedWhenDone[1], 4u);
}

TEST_F(ArchiveTest, ItemsSurviveJsonRoundTrip) {
    const fs::path file = write("r.zip", makeArchive(Kind::zip, {{"../bad", "x"}}));
    const auto got = expand({file});
    ASSERT_EQ(got.size(), 1u);
    const InputItem back = InputItem::fromJson(got[0].item.toJson());
    EXPECT_EQ(back.container, got[0].item.container);
    ASSERT_TRUE(back.error);
    EXPECT_EQ(back.error->code, "archive.unsafe_path");
}

}  // namespace
}  // namespace saksi
