// parse.chat: bubbles grouped from synthetic word boxes, and the three test
// screenshots (light and dark WhatsApp, Telegram) from their recorded OCR
// words, message by message against what their generators drew.
#include "chat_layout.hpp"
#include "chat_stage.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

using saksi::chat::Chat;
using saksi::chat::ChatWord;
using saksi::chat::parseChat;
using saksi::chat::Side;
using saksi::chat::timeOfDay;

constexpr int kWidth = 1080, kHeight = 2400;

// Words of one line, laid out left to right from x with 30 px high letters.
void addLine(std::vector<ChatWord>& out, int x, int y, const std::vector<std::string>& words) {
    for (const auto& w : words) {
        const int width = 20 * static_cast<int>(w.size());
        out.push_back({w, {x, y, x + width, y + 30}, 95.0f});
        x += width + 18;
    }
}

TEST(ChatTimeOfDay, ReadsHoursAndMinutes) {
    EXPECT_EQ(timeOfDay("09:41"), "09:41");
    EXPECT_EQ(timeOfDay("9.41"), "09:41");
    EXPECT_EQ(timeOfDay("23:59,"), "23:59");
    EXPECT_EQ(timeOfDay("7:05pm"), "07:05");
    EXPECT_FALSE(timeOfDay("24:00"));
    EXPECT_FALSE(timeOfDay("09:61"));
    EXPECT_FALSE(timeOfDay("1.000"));
    EXPECT_FALSE(timeOfDay("7.500.000"));
    EXPECT_FALSE(timeOfDay("Halo"));
    EXPECT_FALSE(timeOfDay(""));
}

TEST(ChatLayout, GroupsBubblesBySideAndTime) {
    std::vector<ChatWord> words;
    addLine(words, 214, 125, {"Rina", "Loker"});         // header title
    addLine(words, 212, 186, {"online"});                // header status
    addLine(words, 422, 306, {"3", "Maret", "2025"});    // date chip: no time
    addLine(words, 70, 400, {"Halo", "kak,", "masih"});  // left bubble, 2 lines
    addLine(words, 70, 451, {"cari", "kerja?"});
    addLine(words, 700, 495, {"09:41"});
    addLine(words, 600, 580, {"Iya", "Bu"});  // right bubble
    addLine(words, 876, 625, {"09:43", "//"});
    addLine(words, 70, 710, {"Oke"});  // left, time on the same line
    words.push_back({"10:02", {200, 712, 280, 736}, 95.0f});
    addLine(words, 104, 2300, {"Ketik", "pesan"});  // input bar

    const Chat chat = parseChat(words, kWidth, kHeight);
    EXPECT_EQ(chat.title, "Rina Loker");
    EXPECT_EQ(chat.app, "whatsapp");
    ASSERT_EQ(chat.messages.size(), 3u);
    EXPECT_EQ(chat.messages[0].side, Side::left);
    EXPECT_EQ(chat.messages[0].time, "09:41");
    EXPECT_EQ(chat.messages[0].text, "Halo kak, masih cari kerja?");
    EXPECT_EQ(chat.messages[1].side, Side::right);
    EXPECT_EQ(chat.messages[1].time, "09:43");
    EXPECT_EQ(chat.messages[1].text, "Iya Bu");
    EXPECT_EQ(chat.messages[2].side, Side::left);
    EXPECT_EQ(chat.messages[2].time, "10:02");
    EXPECT_EQ(chat.messages[2].text, "Oke");
    // The bubble box holds its words.
    const auto& box = chat.messages[0].box;
    EXPECT_LE(box.x0, 70);
    EXPECT_LE(box.y0, 400);
    EXPECT_GE(box.y1, 525);
}

TEST(ChatLayout, TicksOcrReadAsLettersDigitsOrSymbols) {
    // The double tick after the owner's time is read as anything: each
    // bubble still closes at its time. A lower-case word after a time in the
    // message ("jam 10:00 ya") is text, not a tick.
    std::vector<ChatWord> words;
    addLine(words, 214, 125, {"Rina", "Loker"});
    int y = 400;
    for (const std::string tick : {"Af", "X4", "44", "K&/", "\u00a5"}) {
        addLine(words, 600, y, {"Baik", "Bu"});
        addLine(words, 840, y + 45, {"15:19", tick});
        y += 120;
    }
    addLine(words, 70, y, {"Datang", "jam", "10:00", "ya"});
    addLine(words, 70, y + 45, {"besok"});
    addLine(words, 400, y + 90, {"15:30"});
    addLine(words, 104, 2300, {"Ketik", "pesan"});

    const Chat chat = parseChat(words, kWidth, kHeight);
    ASSERT_EQ(chat.messages.size(), 6u);
    for (std::size_t i = 0; i < 5; ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(chat.messages[i].side, Side::right);
        EXPECT_EQ(chat.messages[i].time, "15:19");
        EXPECT_EQ(chat.messages[i].text, "Baik Bu");
    }
    EXPECT_EQ(chat.messages[5].side, Side::left);
    EXPECT_EQ(chat.messages[5].time, "15:30");
    EXPECT_EQ(chat.messages[5].text, "Datang jam 10:00 ya besok");
}

// Words of one line in a smaller print (a bubble's time): 20 px high.
void addSmall(std::vector<ChatWord>& out, int x, int y, const std::string& word) {
    out.push_back({word, {x, y, x + 14 * static_cast<int>(word.size()), y + 20}, 90.0f});
}

TEST(ChatLayout, BarsNeverCutThroughABubble) {
    // A short header: the first bubble starts inside the top 12 % of the
    // page (288 px), the last one ends inside the bottom 8 % (from 2208 px).
    // Every line of both stays in its message; the header and the input bar
    // are no messages.
    std::vector<ChatWord> words;
    addLine(words, 40, 20, {"09:41"});                       // status bar clock
    addLine(words, 150, 95, {"Dewi", "HRD"});                // header title
    addLine(words, 150, 140, {"online"});                    // header status
    addLine(words, 70, 215, {"Halo", "Rina,", "lowongan"});  // first bubble: in the band
    addLine(words, 70, 262, {"CS", "di", "Taipei", "masih"});
    addLine(words, 70, 309, {"buka", "ya."});
    addSmall(words, 500, 352, "08:15");
    addLine(words, 600, 2130, {"Baik", "Bu,", "saya"});  // last bubble: into the band
    addLine(words, 600, 2177, {"kirim", "besok."});
    addSmall(words, 880, 2222, "08:20");
    addLine(words, 104, 2290, {"Type", "a", "message"});  // input bar

    const Chat chat = parseChat(words, kWidth, kHeight);
    EXPECT_EQ(chat.title, "Dewi HRD");
    EXPECT_EQ(chat.app, "whatsapp");
    ASSERT_EQ(chat.messages.size(), 2u);
    EXPECT_EQ(chat.messages[0].text, "Halo Rina, lowongan CS di Taipei masih buka ya.");
    EXPECT_EQ(chat.messages[0].time, "08:15");
    EXPECT_EQ(chat.messages[1].text, "Baik Bu, saya kirim besok.");
    EXPECT_EQ(chat.messages[1].time, "08:20");
    EXPECT_EQ(chat.messages[1].side, Side::right);
}

TEST(ChatLayout, HeaderStatusBelowTheShareIsNoMessage) {
    // A tall header whose status line ends with a time and sits below 12 %.
    std::vector<ChatWord> words;
    addLine(words, 150, 240, {"Dewi", "HRD"});
    addLine(words, 150, 300, {"terakhir", "dilihat", "hari", "ini", "pukul", "09.41"});
    addLine(words, 70, 420, {"Halo", "kak"});
    addLine(words, 300, 420, {"09:50"});
    const Chat chat = parseChat(words, kWidth, kHeight);
    EXPECT_EQ(chat.title, "Dewi HRD");
    ASSERT_EQ(chat.messages.size(), 1u);
    EXPECT_EQ(chat.messages[0].text, "Halo kak");
}

TEST(ChatLayout, ABubbleWhoseTimeOcrGarbledKeepsItsLines) {
    std::vector<ChatWord> words;
    addLine(words, 214, 125, {"Rina", "Loker"});
    addLine(words, 70, 400, {"Di", "bandara", "hubungi"});  // time read "1521"
    addLine(words, 70, 447, {"+66", "81", "813", "7578."});
    addSmall(words, 500, 490, "1521");
    addLine(words, 70, 560, {"Kirim", "scan", "KTP"});  // time read as nothing at all
    addLine(words, 70, 607, {"hari", "ini."});
    addLine(words, 600, 720, {"Siap", "Bu"});
    addSmall(words, 880, 765, "15;22");
    addLine(words, 450, 860, {"Hari", "ini"});  // a centred date chip: no message
    addLine(words, 70, 960, {"Kode", "1521"});  // digits in the text are no time
    addSmall(words, 500, 1005, "15:30");
    const Chat chat = parseChat(words, kWidth, kHeight);
    ASSERT_EQ(chat.messages.size(), 4u);
    EXPECT_EQ(chat.messages[0].text, "Di bandara hubungi +66 81 813 7578.");
    EXPECT_EQ(chat.messages[0].time, "15:21");
    EXPECT_EQ(chat.messages[1].text, "Kirim scan KTP hari ini.");
    EXPECT_FALSE(chat.messages[1].time);
    EXPECT_EQ(chat.messages[1].side, Side::left);
    EXPECT_EQ(chat.messages[2].text, "Siap Bu");
    EXPECT_EQ(chat.messages[2].time, "15:22");
    EXPECT_EQ(chat.messages[3].text, "Kode 1521");
    EXPECT_EQ(chat.messages[3].time, "15:30");
}

TEST(ChatLayout, NothingWithoutWords) {
    const Chat chat = parseChat({}, kWidth, kHeight);
    EXPECT_FALSE(chat.title);
    EXPECT_FALSE(chat.app);
    EXPECT_TRUE(chat.messages.empty());
}

TEST(ChatJson, SelfOnTheRightTitleOnTheLeft) {
    Chat chat;
    chat.title = "Rina";
    chat.messages.push_back({Side::left, "09:41", "Halo", {1, 2, 3, 4}});
    chat.messages.push_back({Side::right, std::nullopt, "Iya", {5, 6, 7, 8}});
    const auto j = saksi::chat::chatJson({{1u, chat}});
    EXPECT_TRUE(j.at("app").is_null());
    EXPECT_EQ(j.at("title"), "Rina");
    ASSERT_EQ(j.at("messages").size(), 2u);
    EXPECT_EQ(j["messages"][0]["sender"], "Rina");
    EXPECT_EQ(j["messages"][0]["side"], "left");
    EXPECT_EQ(j["messages"][0]["bbox"], nlohmann::json({1, 2, 3, 4}));
    EXPECT_EQ(j["messages"][1]["sender"], "self");
    EXPECT_TRUE(j["messages"][1]["time"].is_null());
    EXPECT_EQ(j["messages"][1]["page"], 1);
}

nlohmann::json readJson(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    return nlohmann::json::parse(in);
}

// The chat read from a recorded words file, against the generator's truth
// ({app, title, messages [{sender "self"|"contact", time, text}]}).
void expectChat(const std::string& wordsFile, const nlohmann::json& truth) {
    const auto recorded = readJson(std::string(PARSE_CHAT_DATA_DIR) + "/" + wordsFile);
    std::vector<ChatWord> words;
    for (const auto& w : recorded.at("words"))
        words.push_back(
            {w[0].get<std::string>(),
             {w[1].get<int32_t>(), w[2].get<int32_t>(), w[3].get<int32_t>(), w[4].get<int32_t>()},
             w[5].get<float>()});
    const Chat chat = parseChat(words, recorded.at("width"), recorded.at("height"));
    EXPECT_EQ(chat.app, truth.at("app").get<std::string>());
    EXPECT_EQ(chat.title, truth.at("title").get<std::string>());
    const auto& expected = truth.at("messages");
    std::string read;
    for (const auto& m : chat.messages) read += m.time.value_or("--:--") + " " + m.text + "\n";
    ASSERT_EQ(chat.messages.size(), expected.size()) << read;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        SCOPED_TRACE("message " + std::to_string(i + 1));
        const auto& m = chat.messages[i];
        EXPECT_EQ(m.side == Side::right ? "self" : "contact", expected[i].at("sender"));
        EXPECT_EQ(m.time, expected[i].at("time").get<std::string>());
        EXPECT_EQ(m.text, expected[i].at("text").get<std::string>());
        EXPECT_LT(m.box.x0, m.box.x1);
        EXPECT_LT(m.box.y0, m.box.y1);
    }
}

TEST(ChatScreenshots, WhatsAppLight) {
    const auto manifest =
        readJson(std::string(SAKSI_SOURCE_DIR) + "/samples/.generator/manifest.json");
    for (const auto& doc : manifest.at("documents"))
        if (doc.at("file") == "chat_whatsapp.png")
            return expectChat("chat_whatsapp.words.json", doc.at("chat"));
    FAIL() << "chat_whatsapp.png is not in the samples manifest";
}

TEST(ChatScreenshots, WhatsAppDark) {
    const auto expected = readJson(std::string(PARSE_CHAT_DATA_DIR) + "/expected.json");
    expectChat("chat_whatsapp_dark.words.json", expected.at("chat_whatsapp_dark.png"));
}

TEST(ChatScreenshots, Telegram) {
    const auto expected = readJson(std::string(PARSE_CHAT_DATA_DIR) + "/expected.json");
    expectChat("chat_telegram.words.json", expected.at("chat_telegram.png"));
}

}  // namespace
