// The consolidate plugin's one exported symbol.
#include "consolidate_stage.hpp"

#include <saksi/sdk/sdk.hpp>

SAKSI_PLUGIN("consolidate", "1.0.0",
             "Distinct people, organisations, places and identifiers from the mentions, with "
             "their ties (holder, contract role)",
             "Apache-2.0", saksi::consolidate::ConsolidateStage)
