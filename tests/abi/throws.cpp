// throws.cpp -- a correct SDK plugin whose stage always throws.
// Expected: the SDK catches the exception at the boundary, the host records
// {"stage": "extract.throws", "code": "stage.exception"} in errors[], marks the
// document "partial" and runs the rest of the pipeline.
#include <saksi/sdk/sdk.hpp>

#include <stdexcept>

namespace {

class ThrowingStage {
public:
    static constexpr saksi::sdk::StageInfo info{
        .kind = SAKSI_STAGE_EXTRACT,
        .scope = SAKSI_SCOPE_DOCUMENT,
        .id = "extract.throws",
        .description = "ABI test: throws std::runtime_error from process()",
    };

    explicit ThrowingStage(const nlohmann::json& /*config*/) {}

    void process(saksi::sdk::Document& /*doc*/) {
        throw std::runtime_error("deliberate failure for the ABI test");
    }
};

}  // namespace

SAKSI_PLUGIN("throws", "0.0.1", "ABI test: a stage that throws", "Apache-2.0", ThrowingStage)
