// The parse_chat plugin's one exported symbol.
#include "chat_stage.hpp"

#include <saksi/sdk/sdk.hpp>

SAKSI_PLUGIN("parse_chat", "1.0.0",
             "Chat screenshots: title, app and messages (sender side, time, text, bubble box)",
             "Apache-2.0", saksi::chat::ChatStage)
