// redact_stage.hpp -- the redact.policy stage: applies a redaction policy to
// the record and writes OUT/redacted/<id>.json and OUT/redacted/<id>.pdf.
#pragma once

#include "leak_check.hpp"
#include "redaction_policy.hpp"

#include <saksi/sdk/sdk.hpp>

#include <memory>

namespace saksi::redact {

class RedactStage {
public:
    static constexpr sdk::StageInfo info{
        .kind = SAKSI_STAGE_REDACT,
        .scope = SAKSI_SCOPE_DOCUMENT,
        .id = "redact.policy",
        .description =
            "applies a redaction policy; writes redacted/<id>.json and a burned-in "
            "redacted/<id>.pdf, withheld when a redacted value survives",
        .configSchema = R"json({
            "policy": {"type": "string", "default": "evidence",
                       "description": "a policy in config/redaction/ by name, or the path of a policy .toml file"},
            "key_env": {"type": "string", "default": "",
                        "description": "environment variable holding the case key for pseudonyms (overrides the policy's)"},
            "key_file": {"type": "string", "default": "",
                         "description": "file holding the case key for pseudonyms (overrides the policy's and key_env)"},
            "margin": {"type": "integer", "default": 4, "minimum": 0, "maximum": 64,
                       "description": "page pixels added around each burned-in box"},
            "languages": {"type": "string", "default": "ind+eng",
                          "description": "Tesseract languages for the leak check's re-OCR of the redacted pages"},
            "jpeg_quality": {"type": "integer", "default": 75, "minimum": 20, "maximum": 95,
                             "description": "JPEG quality of the redacted PDF's page images"},
            "passwords": {"type": "string_list", "default": [], "secret": true,
                          "description": "Passwords tried on an encrypted PDF whose text-layer pages are rendered (saksi process --password-file sets them). Secret: never logged, not part of the pipeline hash."}})json"};

    explicit RedactStage(const nlohmann::json& config);
    void process(sdk::Document& doc);

private:
    Policy policy_;
    std::string key_;  // the case key; empty when the policy needs none
    std::unique_ptr<LeakChecker> checker_;
    int margin_;
    int jpegQuality_;
    std::vector<std::string> passwords_;
};

}  // namespace saksi::redact
