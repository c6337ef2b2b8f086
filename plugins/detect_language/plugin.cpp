// The detect_language plugin's one exported symbol.
#include "language_stage.hpp"

#include <saksi/sdk/sdk.hpp>

SAKSI_PLUGIN("detect_language", "1.0.0",
             "The languages of each page and of the document, detected by CLD2 (ISO 639-3)",
             "Apache-2.0", saksi::language::LanguageStage)
