// The extract_names plugin's one exported symbol.
#include "names_stage.hpp"

#include <saksi/sdk/sdk.hpp>

SAKSI_PLUGIN("extract_names", "1.0.0",
             "Persons, organisations and locations in Indonesian and English text", "Apache-2.0",
             saksi::names::NamesStage)
