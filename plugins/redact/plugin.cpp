// The redact plugin's one exported symbol.
#include "redact_stage.hpp"

#include <saksi/sdk/sdk.hpp>

SAKSI_PLUGIN("redact", "1.1.0", "Redacted JSON records and burned-in PDFs under a redaction policy",
             "Apache-2.0", saksi::redact::RedactStage)
