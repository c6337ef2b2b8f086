// chat_layout.hpp -- a chat screenshot's messages from its OCR word boxes:
// lines, bubbles (blocks of lines closed by a time), the side each bubble
// hangs on, the header's title and the app's cues. Pure logic, no host.
#pragma once

#include <saksi/plugin_abi.h>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace saksi::chat {

// An OCR'd word in page pixels; conf 0..100, or negative when unknown.
struct ChatWord {
    std::string text;
    saksi_box box{};
    float conf = -1.0f;
};

enum class Side { left, right };

struct ChatMessage {
    Side side = Side::left;           // right: the device owner's bubble
    std::optional<std::string> time;  // "HH:MM", nothing when none was read
    std::string text;
    saksi_box box{};  // the bubble's text area, padded, in page pixels
};

struct Chat {
    std::optional<std::string> app;    // "whatsapp" | "telegram"
    std::optional<std::string> title;  // the header's contact or group name
    std::vector<ChatMessage> messages;
};

// "09:41", "9.41", "09:41," -> "09:41"; nothing when `word` is no time of day.
std::optional<std::string> timeOfDay(const std::string& word);

// The chat on one page of pageWidth x pageHeight pixels, from its words.
Chat parseChat(std::span<const ChatWord> words, int pageWidth, int pageHeight);

}  // namespace saksi::chat
