// misbehave.cpp -- a test-only decode stage that takes its worker process
// down when the document's bytes contain a marker, so the crash-isolation
// test can check that the supervisor contains it:
//   SAKSI-TEST-CRASH  SIGSEGV            SAKSI-TEST-ABORT  abort()
//   SAKSI-TEST-EXIT   _exit(3)           SAKSI-TEST-HANG   sleeps forever
//   SAKSI-TEST-OOM    allocates (and touches) memory without bound
// Any other document passes through untouched (the real decoder after it
// adds its pages). Built into build/tests/isolation/plugins, never installed.
#include <saksi/sdk/sdk.hpp>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

namespace {

class MisbehaveStage {
public:
    static constexpr saksi::sdk::StageInfo info{
        .kind = SAKSI_STAGE_DECODE,
        .scope = SAKSI_SCOPE_DOCUMENT,
        .id = "test.misbehave",
        .description = "isolation test: crashes, aborts, exits, hangs or eats memory on a marker",
    };

    explicit MisbehaveStage(const nlohmann::json& /*config*/) {}

    void process(saksi::sdk::Document& doc) {
        const auto bytes = doc.sourceBytes();
        const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        if (text.find("SAKSI-TEST-CRASH") != std::string_view::npos) ::raise(SIGSEGV);
        if (text.find("SAKSI-TEST-ABORT") != std::string_view::npos) std::abort();
        if (text.find("SAKSI-TEST-EXIT") != std::string_view::npos) ::_exit(3);
        if (text.find("SAKSI-TEST-HANG") != std::string_view::npos)
            for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
        if (text.find("SAKSI-TEST-OOM") != std::string_view::npos) {
            std::vector<std::unique_ptr<char[]>> hoard;
            for (;;) {
                constexpr std::size_t kChunk = 16u << 20;
                hoard.emplace_back(new char[kChunk]);
                // One write per page makes it resident, not just reserved.
                for (std::size_t i = 0; i < kChunk; i += 4096) hoard.back()[i] = 'x';
            }
        }
    }
};

}  // namespace

SAKSI_PLUGIN("misbehave", "0.0.1", "Isolation test: a stage that takes its worker down",
             "Apache-2.0", MisbehaveStage)
