#include "archive_reader.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cerrno>
#include <iterator>

namespace saksi {

bool isArchiveMediaType(const std::string& mediaType) {
    static constexpr const char* kTypes[] = {
        "application/zip",
        "application/x-zip-compressed",
        "application/x-tar",
        "application/gzip",
        "application/x-gzip",
        "application/x-bzip2",
        "application/x-xz",
        "application/zstd",
        "application/x-7z-compressed",
        "application/x-rar",
        "application/vnd.rar",
        "application/x-cpio",
        "application/x-lzma",
    };
    return std::find(std::begin(kTypes), std::end(kTypes), mediaType) != std::end(kTypes);
}

ArchiveReader::ArchiveReader(const std::filesystem::path& file) : file_(file) {
    if (openAs(false)) return;
    // Compressed but no archive inside: the decompressed stream is the one member.
    const bool compressed = a_ && archive_filter_count(a_) > 1;
    // "Unrecognized archive format": libarchive's ARCHIVE_ERRNO_FILE_FORMAT,
    // which is EILSEQ on Linux (archive_platform.h; not in the public header).
    if (compressed && archive_errno(a_) == EILSEQ) openAs(true);
}

ArchiveReader::~ArchiveReader() {
    if (a_) archive_read_free(a_);
}

void ArchiveReader::setError(const char* what) {
    const char* detail = a_ ? archive_error_string(a_) : nullptr;
    error_ = std::string(what) + (detail ? std::string(": ") + detail : std::string());
}

// Opens the file and reads the first header into first_. Only the
// decompressors built into libarchive (never an external program) and the
// archive formats Saksi expands are enabled.
bool ArchiveReader::openAs(bool raw) {
    if (a_) archive_read_free(a_);
    a_ = archive_read_new();
    raw_ = raw;
    fatal_ = false;
    if (!a_) {
        error_ = "out of memory";
        fatal_ = true;
        firstStatus_ = Status::damaged;
        haveFirst_ = true;
        return false;
    }
    archive_read_support_filter_gzip(a_);
    archive_read_support_filter_bzip2(a_);
    archive_read_support_filter_xz(a_);
    archive_read_support_filter_lzma(a_);
    archive_read_support_filter_zstd(a_);
    if (raw) {
        archive_read_support_format_raw(a_);
    } else {
        archive_read_support_format_zip(a_);
        archive_read_support_format_tar(a_);
        archive_read_support_format_gnutar(a_);
        archive_read_support_format_7zip(a_);
        archive_read_support_format_rar(a_);
        archive_read_support_format_rar5(a_);
        archive_read_support_format_cpio(a_);
    }
    haveFirst_ = true;
    if (archive_read_open_filename(a_, file_.c_str(), std::size_t{64} * 1024) != ARCHIVE_OK) {
        setError("cannot open the archive");
        fatal_ = true;
        firstStatus_ = Status::damaged;
        return false;
    }
    haveFirst_ = false;
    ArchiveEntry entry;
    firstStatus_ = next(entry);
    first_ = std::move(entry);
    haveFirst_ = true;
    return firstStatus_ != Status::damaged;
}

ArchiveReader::Status ArchiveReader::next(ArchiveEntry& out) {
    if (haveFirst_) {
        haveFirst_ = false;
        out = first_;
        return firstStatus_;
    }
    if (fatal_) return Status::damaged;
    memberStart_ = consumed();
    struct archive_entry* entry = nullptr;
    int rc = ARCHIVE_RETRY;
    for (int tries = 0; rc == ARCHIVE_RETRY && tries < 100; ++tries)
        rc = archive_read_next_header(a_, &entry);
    if (rc == ARCHIVE_EOF) return Status::end;
    if (rc < ARCHIVE_WARN || !entry) {
        setError("cannot read the next member's header");
        fatal_ = true;
        return Status::damaged;
    }
    out = ArchiveEntry();
    const char* path = archive_entry_pathname_utf8(entry);
    if (!path) path = archive_entry_pathname(entry);
    out.path = raw_ ? "" : (path ? path : "");
    if (archive_entry_hardlink(entry)) {
        out.kind = ArchiveEntry::Kind::link;
    } else {
        switch (archive_entry_filetype(entry)) {
            case AE_IFREG:
                out.kind = ArchiveEntry::Kind::file;
                break;
            case AE_IFDIR:
                out.kind = ArchiveEntry::Kind::directory;
                break;
            case AE_IFLNK:
                out.kind = ArchiveEntry::Kind::link;
                break;
            default:
                out.kind = raw_ ? ArchiveEntry::Kind::file : ArchiveEntry::Kind::special;
        }
    }
    out.encrypted = archive_entry_is_data_encrypted(entry) != 0;
    return Status::entry;
}

long ArchiveReader::read(void* buffer, std::size_t size) {
    if (fatal_) return -1;
    const la_ssize_t n = archive_read_data(a_, buffer, size);
    if (n >= 0) return static_cast<long>(n);
    setError("cannot read the member's data");
    fatal_ = n == ARCHIVE_FATAL;
    return -1;
}

bool ArchiveReader::skip() {
    if (fatal_) return false;
    const int rc = archive_read_data_skip(a_);
    if (rc >= ARCHIVE_WARN) return true;
    setError("cannot skip the member's data");
    fatal_ = rc == ARCHIVE_FATAL;
    return false;
}

std::uint64_t ArchiveReader::consumed() const {
    if (!a_) return 0;
    const la_int64_t n = archive_filter_bytes(a_, -1);
    return n > 0 ? static_cast<std::uint64_t>(n) : 0;
}

bool ArchiveReader::cheapSkip() const {
    if (!a_ || archive_filter_count(a_) > 1) return false;
    const int base = archive_format(a_) & ARCHIVE_FORMAT_BASE_MASK;
    return base == ARCHIVE_FORMAT_ZIP || base == ARCHIVE_FORMAT_TAR || base == ARCHIVE_FORMAT_CPIO;
}

}  // namespace saksi
