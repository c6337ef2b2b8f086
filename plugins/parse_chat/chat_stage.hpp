// chat_stage.hpp -- the parse.chat stage: on a document classified as a chat,
// parseChat() over each page's OCR words, written to the record's `chat`.
#pragma once

#include "chat_layout.hpp"

#include <saksi/sdk/sdk.hpp>

namespace saksi::chat {

// The record's `chat` object for the chats read from each page (messages
// in display order; app and title from the first page that shows them).
nlohmann::json chatJson(const std::vector<std::pair<uint32_t, Chat>>& pages);

class ChatStage {
public:
    static constexpr sdk::StageInfo info{
        .kind = SAKSI_STAGE_EXTRACT,
        .scope = SAKSI_SCOPE_DOCUMENT,
        .id = "parse.chat",
        .description =
            "chat screenshots: the header's title, the app, and each bubble as a "
            "message with its sender side, time, text and box",
        .configSchema = nullptr};

    explicit ChatStage(const nlohmann::json& config);
    void process(sdk::Document& doc);
};

}  // namespace saksi::chat
