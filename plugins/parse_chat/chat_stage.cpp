#include "chat_stage.hpp"

namespace saksi::chat {
namespace {

std::vector<ChatWord> wordsOf(const nlohmann::json& page) {
    std::vector<ChatWord> words;
    for (const auto& w : page.value("words", nlohmann::json::array())) {
        const auto& b = w.at("bbox");
        words.push_back(
            {w.value("text", std::string()),
             {b[0].get<int32_t>(), b[1].get<int32_t>(), b[2].get<int32_t>(), b[3].get<int32_t>()},
             w.value("conf", -1.0f)});
    }
    return words;
}

nlohmann::json orNull(const std::optional<std::string>& s) {
    return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json chatJson(const std::vector<std::pair<uint32_t, Chat>>& pages) {
    std::optional<std::string> app, title;
    auto messages = nlohmann::json::array();
    for (const auto& [number, chat] : pages) {
        if (!app) app = chat.app;
        if (!title) title = chat.title;
    }
    for (const auto& [number, chat] : pages) {
        for (const ChatMessage& m : chat.messages) {
            const bool self = m.side == Side::right;
            messages.push_back({{"sender", self ? nlohmann::json("self") : orNull(title)},
                                {"side", self ? "right" : "left"},
                                {"time", orNull(m.time)},
                                {"text", m.text},
                                {"bbox", {m.box.x0, m.box.y0, m.box.x1, m.box.y1}},
                                {"page", number}});
        }
    }
    return {{"app", orNull(app)}, {"title", orNull(title)}, {"messages", messages}};
}

ChatStage::ChatStage(const nlohmann::json&) {
}

void ChatStage::process(sdk::Document& doc) {
    const auto kind = doc.json("/document/kind");
    if (!kind || *kind != "chat") return;
    const auto pages = doc.json("/pages");
    if (!pages) return;
    std::vector<std::pair<uint32_t, Chat>> chats;
    for (const auto& page : *pages) {
        const auto words = wordsOf(page);
        chats.emplace_back(page.value("number", 1u),
                           parseChat(words, page.value("width", 0), page.value("height", 0)));
    }
    doc.put("/chat", chatJson(chats));
}

}  // namespace saksi::chat
