// sink.json: writes OUT/records/<id>.json, or OUT/failed/<id>.json for a
// failed document, atomically: temp file, fsync, rename, fsync of the folder.
#include <saksi/sdk/sdk.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <regex>

namespace {

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

private:
    int fd_;
};

[[noreturn]] void fail(const std::string& what, int err) {
    throw saksi::sdk::Error(
        "output.write_failed",
        what + ": " + std::strerror(err) + ". Check the output folder's space and permissions.");
}

void writeAll(int fd, const std::string& data, const std::string& path) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("cannot write " + path, errno);
        done += static_cast<std::size_t>(n);
    }
}

// Writes `data` to dir/name so that readers see the old file or the whole new
// one, never a part, and the new one survives a power cut once this returns.
void writeAtomically(const std::filesystem::path& dir, const std::string& name,
                     const std::string& data) {
    std::filesystem::create_directories(dir);
    const std::string final = (dir / name).string();
    std::random_device random;
    const std::string temp =
        (dir / ("." + name + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(random())))
            .string();
    FileDescriptor fd(
        ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (fd.get() < 0) fail("cannot create " + temp, errno);
    try {
        writeAll(fd.get(), data, temp);
        if (::fsync(fd.get()) != 0) fail("cannot fsync " + temp, errno);
        if (::close(fd.release()) != 0) fail("cannot close " + temp, errno);
        if (::rename(temp.c_str(), final.c_str()) != 0) fail("cannot rename to " + final, errno);
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
    FileDescriptor dirFd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dirFd.get() < 0 || ::fsync(dirFd.get()) != 0)
        fail("cannot fsync folder " + dir.string(), errno);
}

class JsonSink {
public:
    static constexpr saksi::sdk::StageInfo info{
        .kind = SAKSI_STAGE_SINK,
        .scope = SAKSI_SCOPE_DOCUMENT,
        .id = "sink.json",
        .description = "writes records/<id>.json (failed/<id>.json on failure) atomically",
        .configSchema = R"({"indent": {"type": "integer", "default": 2, "minimum": -1,
                            "maximum": 8,
                            "description": "JSON indentation; -1 writes one line"}})"};

    explicit JsonSink(const nlohmann::json& config) : indent_(config.at("indent").get<int>()) {}

    void process(saksi::sdk::Document& doc) {
        const auto record = doc.json("");
        if (!record) throw saksi::sdk::Error("sink.no_record", "the host returned no record");
        const std::string id = record->at("id").get<std::string>();
        // The id names the file: refuse anything but a SHA-256 so no record
        // can be written outside its folder.
        static const std::regex sha256("^[0-9a-f]{64}$");
        if (!std::regex_match(id, sha256))
            throw saksi::sdk::Error("sink.bad_id", "record id '" + id + "' is not a SHA-256");
        const bool failed = record->at("status") == "failed";
        const std::filesystem::path dir =
            std::filesystem::path(std::string(doc.outputDir())) / (failed ? "failed" : "records");
        writeAtomically(
            dir, id + ".json",
            record->dump(indent_, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    }

private:
    int indent_;
};

}  // namespace

SAKSI_PLUGIN("sink_json", "0.1.0", "Writes each record as JSON, atomically", "Apache-2.0", JsonSink)
