// Reading archives (zip, tar, tar.gz/bz2/xz/zst, 7z, rar, cpio) with
// libarchive, one member at a time, without ever creating a file from a
// member's path: the caller decides where (and whether) the bytes go.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

struct archive;

namespace saksi {

// True for the media types (libmagic) that are expanded as archives:
// application/zip, x-tar, gzip, x-bzip2, x-xz, zstd, x-7z-compressed, x-rar,
// vnd.rar, x-cpio. Office files (docx, odt) are zips but have their own types.
bool isArchiveMediaType(const std::string& mediaType);

struct ArchiveEntry {
    std::string path;  // as stored, not trusted (may hold "..", be absolute)
    enum class Kind { file, directory, link, special } kind = Kind::file;
    bool encrypted = false;
};

class ArchiveReader {
public:
    enum class Status { entry, end, damaged };

    // Opens `file` and reads its first header. A file that is only
    // compressed (a .gz or .xz holding no archive) is read as one member,
    // named after the file without its compression suffix.
    explicit ArchiveReader(const std::filesystem::path& file);
    ArchiveReader(const ArchiveReader&) = delete;
    ArchiveReader& operator=(const ArchiveReader&) = delete;
    ~ArchiveReader();

    // The next member's header, or the end, or damage (error() says what;
    // the reader is then unusable).
    Status next(ArchiveEntry& entry);
    // The current member's data: bytes read (> 0), 0 at its end, -1 when it
    // cannot be read (error() says why; fatal() tells whether the rest of
    // the archive is lost too).
    long read(void* buffer, std::size_t size);
    // Skips the rest of the current member's data; false on damage.
    bool skip();
    // Bytes of the archive file consumed so far (compressed bytes).
    std::uint64_t consumed() const;
    // Where consumed() stood when the current member's header began.
    std::uint64_t memberStart() const { return memberStart_; }
    // Skipping a member costs no decompression (zip, uncompressed tar or cpio).
    bool cheapSkip() const;
    bool fatal() const { return fatal_; }
    // Only compressed, no archive inside: one member with an empty path.
    bool raw() const { return raw_; }
    const std::string& error() const { return error_; }

private:
    bool openAs(bool raw);
    void setError(const char* what);

    std::filesystem::path file_;
    struct archive* a_ = nullptr;
    bool raw_ = false;
    bool fatal_ = false;
    bool haveFirst_ = false;  // the header read by the constructor not yet returned
    Status firstStatus_ = Status::end;
    ArchiveEntry first_;
    std::uint64_t memberStart_ = 0;
    std::string error_;
};

}  // namespace saksi
