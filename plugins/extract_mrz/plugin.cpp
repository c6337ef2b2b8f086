// The extract_mrz plugin's one exported symbol.
#include "extract_mrz_stage.hpp"

#include <saksi/sdk/sdk.hpp>

SAKSI_PLUGIN("extract_mrz", "1.0.0", "Machine-readable zones of passports and identity cards",
             "Apache-2.0", saksi::mrz::ExtractMrzStage)
