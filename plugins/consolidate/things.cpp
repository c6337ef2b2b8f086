#include "things.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>
#include <vector>

namespace saksi::consolidate {
namespace {

using nlohmann::json;

// An identifier is tied to the person named last before it on its page when
// at most this many lines and characters lie between them: a contract's
// party block ("Nama: ... NIK: ... Telepon: ... Email: ...") runs about
// seven lines, an agent's "Andi Saputra (telepon +62 ...)" none.
constexpr std::size_t kHolderMaxLines = 8;
constexpr std::size_t kHolderMaxChars = 600;

// Titles and forms of address written before Indonesian, Malay and English
// names; lower case, without the full stop.
constexpr std::array kHonorifics = {
    "bapak", "bpk",  "pak",    "ibu", "bu",   "sdr",    "sdri",  "saudara", "saudari",
    "tuan",  "tn",   "nyonya", "ny",  "nona", "nn",     "kak",   "mas",     "mbak",
    "bang",  "mr",   "mrs",    "ms",  "miss", "mister", "madam", "dr",      "drs",
    "ir",    "prof", "h",      "hj",  "haji", "hajjah", "encik", "cik",     "puan"};
// Legal forms of companies written before or after the name.
constexpr std::array kLegalForms = {"pt",  "cv",   "ud",  "tbk", "persero", "co",  "ltd", "inc",
                                    "llc", "corp", "sdn", "bhd", "pte",     "plc", "gmbh"};

template <std::size_t N>
bool among(const std::array<const char*, N>& list, const std::string& word) {
    return std::any_of(list.begin(), list.end(), [&](const char* w) { return word == w; });
}

// Lower-case words of letters and digits (UTF-8 bytes >= 0x80 kept as
// letters, so accented names survive; ASCII folded).
std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::string word;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
            word += ch;
        } else if (c >= 'A' && c <= 'Z') {
            word += static_cast<char>(c - 'A' + 'a');
        } else if (c == '\'' || c == 0x60) {
            continue;  // "Ma'ruf" is one word
        } else if (!word.empty()) {
            out.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) out.push_back(std::move(word));
    return out;
}

std::string joined(const std::vector<std::string>& ws) {
    std::string out;
    for (const auto& w : ws) {
        if (!out.empty()) out += ' ';
        out += w;
    }
    return out;
}

std::vector<std::string> keyWords(const std::string& key) {
    std::vector<std::string> out;
    std::istringstream in(key);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

std::string textOf(const json& entity) {
    if (entity.contains("normalized") && entity["normalized"].is_string() &&
        !entity["normalized"].get_ref<const std::string&>().empty())
        return entity["normalized"].get<std::string>();
    return entity.value("text", std::string());
}

std::string stringAt(const json& object, const char* key) {
    if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return {};
    return object[key].get<std::string>();
}

// A thing while it is built.
struct Thing {
    std::string type, key, name;
    std::vector<std::size_t> mentions;
    std::set<std::string> from;
    std::optional<std::string> role;
    std::optional<std::size_t> holder;
    std::optional<std::size_t> mergedInto;  // folded into that thing
    bool merged = false;
};

struct Builder {
    const json& record;
    const json& entities;
    std::vector<Thing> things;
    std::map<std::pair<std::string, std::string>, std::size_t> byKey;

    explicit Builder(const json& r)
        : record(r), entities(r.contains("entities") ? r["entities"] : empty()) {}

    static const json& empty() {
        static const json array = json::array();
        return array;
    }

    std::string keyOf(const std::string& type, const std::string& value) const {
        return isIdentifierType(type) ? identifierKey(value) : nameKey(type, value);
    }

    // The thing of (type, key), created when new.
    std::size_t thingFor(const std::string& type, const std::string& key, const std::string& name,
                         const char* from) {
        auto [it, added] = byKey.try_emplace({type, key}, things.size());
        if (added) things.push_back({type, key, name, {}, {}, {}, {}, {}, false});
        std::size_t t = it->second;
        while (things[t].mergedInto) t = *things[t].mergedInto;
        things[t].from.insert(from);
        return t;
    }

    void fromMentions() {
        for (std::size_t i = 0; i < entities.size(); ++i) {
            const json& e = entities[i];
            const std::string type = e.value("type", std::string());
            if (!isThingType(type)) continue;
            const std::string key = keyOf(type, textOf(e));
            if (key.empty()) continue;
            things[thingFor(type, key, textOf(e), "entities")].mentions.push_back(i);
        }
    }

    // Within one document, "Dewi" or "Ibu Lestari" is the one person whose
    // longer name holds all its words; with two such people it stays apart.
    void foldPartialNames() {
        for (std::size_t a = 0; a < things.size(); ++a) {
            if (things[a].type != "person") continue;
            const auto wa = keyWords(things[a].key);
            std::optional<std::size_t> into;
            int candidates = 0;
            for (std::size_t b = 0; b < things.size(); ++b) {
                if (a == b || things[b].type != "person" || things[b].merged) continue;
                const auto wb = keyWords(things[b].key);
                if (wb.size() <= wa.size()) continue;
                if (std::all_of(wa.begin(), wa.end(), [&](const std::string& w) {
                        return std::find(wb.begin(), wb.end(), w) != wb.end();
                    })) {
                    into = b;
                    ++candidates;
                }
            }
            if (candidates != 1) continue;
            Thing& target = things[*into];
            target.mentions.insert(target.mentions.end(), things[a].mentions.begin(),
                                   things[a].mentions.end());
            target.from.insert(things[a].from.begin(), things[a].from.end());
            things[a].merged = true;
            things[a].mergedInto = into;
            things[a].mentions.clear();
        }
    }

    // The MRZ: its holder, document number and personal number, tied.
    void fromMrz() {
        if (!record.contains("passport") || !record["passport"].is_object()) return;
        const json& mrz = record["passport"].value("mrz", json());
        if (!mrz.is_object()) return;
        const std::string surname = stringAt(mrz, "surname");
        const std::string given = stringAt(mrz, "given_names");
        const std::string full = given.empty() ? surname : given + " " + surname;
        std::optional<std::size_t> holder;
        if (const std::string key = nameKey("person", full); !key.empty()) {
            holder = thingFor("person", key, full, "mrz");
            things[*holder].role = "holder";
        }
        for (const auto& [field, type] : {std::pair{"document_number", "passport_number"},
                                          std::pair{"personal_number", "national_id"}}) {
            const std::string value = stringAt(mrz, field);
            const std::string key = identifierKey(value);
            if (key.empty()) continue;
            const std::size_t t = thingFor(type, key, value, "mrz");
            if (holder) things[t].holder = holder;
        }
    }

    // A thing of one of `types` whose key is the key of `name`, or a new one
    // of the first type.
    std::size_t named(const std::string& name, const std::vector<const char*>& types) {
        for (const char* type : types)
            if (byKey.count({type, nameKey(type, name)}))
                return thingFor(type, nameKey(type, name), name, "contract");
        const char* type = types.front();
        return thingFor(type, nameKey(type, name), name, "contract");
    }

    void fromContract() {
        if (!record.contains("contract") || !record["contract"].is_object()) return;
        const json& contract = record["contract"];
        const std::pair<const char*, std::vector<const char*>> roles[] = {
            {"worker", {"person"}},
            {"employer", {"organization", "person"}},
            {"agency", {"organization", "person"}}};
        for (const auto& [role, types] : roles) {
            const std::string name = stringAt(contract, role);
            if (nameKey(types.front(), name).empty()) continue;
            const std::size_t t = named(name, types);
            things[t].role = role;
            things[t].from.insert("contract");
        }
    }

    // The chat message box holding an entity's box on its page, or none.
    std::optional<std::size_t> messageOf(const json& entity) const {
        if (!record.contains("chat") || !record["chat"].is_object()) return std::nullopt;
        const json& messages = record["chat"].value("messages", json::array());
        const json& box = entity.value("bbox", json());
        if (!box.is_array() || box.size() != 4) return std::nullopt;
        const double cx = (box[0].get<double>() + box[2].get<double>()) / 2;
        const double cy = (box[1].get<double>() + box[3].get<double>()) / 2;
        for (std::size_t m = 0; m < messages.size(); ++m) {
            const json& mb = messages[m].value("bbox", json());
            if (messages[m].value("page", 1u) != entity.value("page", 0u) || !mb.is_array() ||
                mb.size() != 4)
                continue;
            if (cx >= mb[0].get<double>() && cx <= mb[2].get<double>() &&
                cy >= mb[1].get<double>() && cy <= mb[3].get<double>())
                return m;
        }
        return std::nullopt;
    }

    // The person mention an identifier mention belongs to: the last one
    // before it on its page, close enough (in a chat: in the same message).
    std::optional<std::size_t> holderMention(std::size_t idx) const {
        const json& id = entities[idx];
        const auto page = id.value("page", 0u);
        const json& span = id.value("span", json());
        if (!span.is_array() || span.size() != 2 || page == 0) return std::nullopt;
        const std::size_t start = span[0].get<std::size_t>();
        std::optional<std::size_t> best;
        std::size_t bestEnd = 0;
        for (std::size_t i = 0; i < entities.size(); ++i) {
            const json& e = entities[i];
            const json& s = e.value("span", json());
            if (e.value("type", std::string()) != "person" || e.value("page", 0u) != page ||
                !s.is_array() || s.size() != 2)
                continue;
            const std::size_t end = s[1].get<std::size_t>();
            if (end > start || (best && end <= bestEnd)) continue;
            best = i;
            bestEnd = end;
        }
        if (!best) return std::nullopt;
        const json& pages = record.value("pages", json::array());
        if (page > pages.size()) return std::nullopt;
        const std::string text = pages[page - 1].value("text", std::string());
        if (start > text.size() || start - bestEnd > kHolderMaxChars) return std::nullopt;
        const auto lines = static_cast<std::size_t>(
            std::count(text.begin() + static_cast<std::ptrdiff_t>(bestEnd),
                       text.begin() + static_cast<std::ptrdiff_t>(start), '\n'));
        if (lines > kHolderMaxLines) return std::nullopt;
        if (record.contains("chat")) {
            const auto a = messageOf(id), b = messageOf(entities[*best]);
            if (!a || a != b) return std::nullopt;
        }
        return best;
    }

    void tieHolders() {
        std::map<std::size_t, std::size_t> thingOfMention;
        for (std::size_t t = 0; t < things.size(); ++t)
            for (std::size_t m : things[t].mentions) thingOfMention[m] = t;
        for (Thing& thing : things) {
            if (!isIdentifierType(thing.type) || thing.holder || thing.merged) continue;
            // The holder most of its mentions point to; the first on a tie.
            std::map<std::size_t, int> votes;
            std::optional<std::size_t> first;
            for (std::size_t m : thing.mentions)
                if (const auto p = holderMention(m); p && thingOfMention.count(*p)) {
                    const std::size_t h = thingOfMention.at(*p);
                    if (!first) first = h;
                    ++votes[h];
                }
            if (!first) continue;
            std::size_t pick = *first;
            for (const auto& [h, n] : votes)
                if (n > votes[pick]) pick = h;
            thing.holder = pick;
        }
    }

    // The spelling written most often (OCR noise is rarer than the name),
    // then the most confident, then one not all in capitals (a heading or
    // an MRZ loses to the running text), then the longest; the MRZ's or
    // contract's when no mention names it.
    void chooseNames() {
        for (Thing& thing : things) {
            struct Score {
                int count = 0;
                double confidence = 0;
            };
            std::map<std::string, Score> seen;
            for (std::size_t m : thing.mentions) {
                Score& s = seen[textOf(entities[m])];
                ++s.count;
                s.confidence = std::max(s.confidence, entities[m].value("confidence", 0.0));
            }
            const auto rank = [](const std::string& name, const Score& s) {
                const bool mixed = std::any_of(name.begin(), name.end(),
                                               [](char c) { return c >= 'a' && c <= 'z'; });
                return std::make_tuple(s.count, s.confidence, mixed, name.size());
            };
            std::optional<decltype(rank(std::string(), Score()))> best;
            for (const auto& [name, score] : seen)
                if (const auto r = rank(name, score); !best || r > *best) {
                    best = r;
                    thing.name = name;
                }
        }
    }

    json result() const {
        // Output order: by first mention, things without mentions last, so
        // indexes in `holder` are stable for the same record.
        std::vector<std::size_t> order;
        for (std::size_t t = 0; t < things.size(); ++t)
            if (!things[t].merged) order.push_back(t);
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            const auto firstOf = [&](std::size_t t) {
                const auto& ms = things[t].mentions;
                return ms.empty() ? entities.size() : *std::min_element(ms.begin(), ms.end());
            };
            return firstOf(a) < firstOf(b);
        });
        std::map<std::size_t, std::size_t> position;
        for (std::size_t i = 0; i < order.size(); ++i) position[order[i]] = i;
        json out = json::array();
        for (std::size_t t : order) {
            const Thing& thing = things[t];
            std::vector<std::size_t> mentions = thing.mentions;
            std::sort(mentions.begin(), mentions.end());
            std::set<unsigned> pages;
            for (std::size_t m : mentions)
                if (const auto p = entities[m].value("page", 0u); p > 0) pages.insert(p);
            json holder = nullptr;
            if (thing.holder && !things[*thing.holder].merged) holder = position.at(*thing.holder);
            out.push_back({{"type", thing.type},
                           {"name", thing.name},
                           {"key", thing.key},
                           {"mentions", mentions},
                           {"pages", pages},
                           {"role", thing.role ? json(*thing.role) : json(nullptr)},
                           {"holder", holder},
                           {"from", thing.from}});
        }
        return out;
    }
};

}  // namespace

bool isThingType(std::string_view type) {
    return type == "person" || type == "organization" || type == "location" ||
           isIdentifierType(type);
}

bool isIdentifierType(std::string_view type) {
    return type == "passport_number" || type == "national_id" || type == "phone" ||
           type == "email" || type == "bank_account";
}

std::string nameKey(std::string_view type, std::string_view name) {
    std::vector<std::string> ws = words(name);
    if (type == "person") {
        while (!ws.empty() && ws.size() > 1 && among(kHonorifics, ws.front())) ws.erase(ws.begin());
        std::sort(ws.begin(), ws.end());
    } else if (type == "organization") {
        std::vector<std::string> kept;
        for (auto& w : ws)
            if (!among(kLegalForms, w)) kept.push_back(std::move(w));
        if (!kept.empty()) ws = std::move(kept);
    }
    return joined(ws);
}

std::string identifierKey(std::string_view normalized) {
    std::string out;
    for (const char ch : normalized) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '+' && out.empty())
            out += '+';
        else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            out += ch;
        else if (c >= 'a' && c <= 'z')
            out += static_cast<char>(c - 'a' + 'A');
        else if (c == '@' || c == '.' || c == '_' || c == '-')
            out += ch;
    }
    // An e-mail address keeps its punctuation; a number loses it.
    if (out.find('@') == std::string::npos)
        out.erase(std::remove_if(out.begin(), out.end(),
                                 [](char c) { return c == '.' || c == '_' || c == '-'; }),
                  out.end());
    else
        std::transform(out.begin(), out.end(), out.begin(), [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        });
    return out == "+" ? std::string() : out;
}

json consolidate(const json& record) {
    Builder b(record);
    b.fromMentions();
    b.foldPartialNames();
    b.fromMrz();
    b.fromContract();
    b.tieHolders();
    b.chooseNames();
    return b.result();
}

}  // namespace saksi::consolidate
