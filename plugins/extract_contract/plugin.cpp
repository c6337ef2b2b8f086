// The extract_contract plugin's one exported symbol.
#include "contract_stage.hpp"

#include <saksi/sdk/sdk.hpp>

SAKSI_PLUGIN("extract_contract", "1.0.0",
             "Employment contract terms and forced-labour indicator clauses", "Apache-2.0",
             saksi::contract::ContractStage)
