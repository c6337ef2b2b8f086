// The extract_identifiers plugin's one exported symbol.
#include "identifiers_stage.hpp"

#include <saksi/sdk/sdk.hpp>

SAKSI_PLUGIN("extract_identifiers", "1.1.0",
             "Phones, e-mails, URLs, NIKs, passport and bank account numbers, money and dates",
             "Apache-2.0", saksi::identifiers::IdentifiersStage)
