// The classify plugin's one exported symbol.
#include "classify_stage.hpp"

#include <saksi/sdk/sdk.hpp>

SAKSI_PLUGIN("classify", "1.0.0", "Document kind from text and layout cues", "Apache-2.0",
             saksi::classify::LayoutClassifyStage)
