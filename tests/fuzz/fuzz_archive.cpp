// libFuzzer target: ArchiveSource (libarchive underneath) on any bytes as an
// input file, with small limits, nested archives included. Every item must
// have a name and, when it has bytes, lie in the private folder.
#include "intake.hpp"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace {
std::filesystem::path base() {
    static const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("saksi_fuzz_archive_" + std::to_string(getpid()));
    return dir;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    namespace fs = std::filesystem;
    fs::create_directories(base());
    const fs::path input = base() / "input";
    std::ofstream(input, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    saksi::ArchiveLimits limits;
    limits.maxDepth = 3;
    limits.maxTotalBytes = 8u << 20;
    limits.maxMembers = 200;
    limits.bombFloorBytes = 64 * 1024;
    {
        saksi::FileListSource files({input});
        saksi::ArchiveSource source(files, limits, base() / "out" / ".work");
        while (auto item = source.next()) {
            if (item->name.empty()) std::abort();
            if (item->temporary) {
                if (item->path.parent_path().parent_path() != base() / "out" / ".work")
                    std::abort();
                fs::remove(item->path);
            }
        }
    }
    // Nothing may be left or created anywhere but the input.
    for (const auto& entry : fs::recursive_directory_iterator(base()))
        if (entry.path() != input && entry.path() != base() / "out") std::abort();
    return 0;
}
