// A read-only memory map of an original: the bytes are never written.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>

namespace saksi {

class MappedFile {
public:
    // Throws std::system_error when the file cannot be opened or mapped.
    explicit MappedFile(const std::filesystem::path& path);
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile();

    std::span<const uint8_t> bytes() const { return {data_, size_}; }

private:
    const uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace saksi
