#include "ner.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace saksi::names::ner {
namespace {

bool isWordByte(unsigned char c) {
    return std::isalnum(c) != 0 || c >= 0x80;
}
bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool isUpper(char c) {
    return c >= 'A' && c <= 'Z';
}
bool isLower(char c) {
    return c >= 'a' && c <= 'z';
}

// The word form features use: ASCII lower case, digits as 0.
std::string form(std::string_view w) {
    std::string out(w);
    for (auto& c : out) {
        if (c >= '0' && c <= '9')
            c = '0';
        else
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// "Jakarta" -> "Xx", "PT" -> "X", "a.n" -> "x.x", "12" -> "d", "Ö" -> "x".
std::string shape(std::string_view w) {
    std::string out;
    for (std::size_t i = 0; i < w.size(); ++i) {
        const auto c = static_cast<unsigned char>(w[i]);
        char s = 0;
        if (isUpper(static_cast<char>(c)))
            s = 'X';
        else if (isLower(static_cast<char>(c)) || c >= 0x80)
            s = 'x';
        else if (c >= '0' && c <= '9')
            s = 'd';
        else
            s = static_cast<char>(c);
        if (c >= 0x80 && (c & 0xC0) == 0x80) continue;  // continuation byte
        if (out.empty() || out.back() != s) out += s;
    }
    if (out.size() > 6) out.resize(6);
    return out;
}

// Cue word classes: what a word says about the word after it.
enum Cue { kNone, kHonorific, kRole, kPlaceHead, kOrgHead, kPreposition, kVerbOfSpeech };
constexpr std::array<std::string_view, 7> kCueNames = {"",    "hon",  "role", "plc",
                                                       "org", "prep", "say"};

const std::unordered_map<std::string_view, Cue>& cues() {
    static const std::unordered_map<std::string_view, Cue> table = [] {
        std::unordered_map<std::string_view, Cue> t;
        for (std::string_view w :
             {"bapak", "ibu",  "bpk",     "pak",      "bu",   "kak",    "bang",  "mas",    "mbak",
              "sdr",   "sdri", "saudara", "saudari",  "tuan", "nyonya", "nona",  "mr",     "mrs",
              "ms",    "miss", "dr",      "prof",     "hj",   "haji",   "ustad", "ustadz", "kiai",
              "kyai",  "romo", "pastor",  "almarhum", "alm",  "an",     "a.n",   "nama",   "oleh",
              "dik",   "adik", "om",      "tante",    "mbah", "eyang",  "teuku", "cut",    "raden",
              "rm",    "ir",   "drs",     "h",        "sir",  "madam"})
            t.emplace(w, kHonorific);
        for (std::string_view w :
             {"menteri",     "ketua",     "wakil",     "direktur",  "presiden",  "gubernur",
              "bupati",      "walikota",  "wali",      "camat",     "lurah",     "kepala",
              "sekretaris",  "sekjen",    "kapolri",   "kapolda",   "kapolres",  "kapolsek",
              "jenderal",    "komisaris", "manajer",   "manager",   "ceo",       "pendiri",
              "selaku",      "juru",      "jubir",     "anggota",   "pelatih",   "kapten",
              "panglima",    "hakim",     "jaksa",     "pengacara", "kuasa",     "dirut",
              "wapres",      "mantan",    "calon",     "capres",    "cawapres",  "caleg",
              "senator",     "raja",      "ratu",      "pangeran",  "sultan",    "perdana",
              "rektor",      "dekan",     "dosen",     "kolonel",   "mayor",     "letnan",
              "brigjen",     "irjen",     "kombes",    "akbp",      "kompol",    "iptu",
              "bripka",      "aiptu",     "kasat",     "kasubdit",  "kabid",     "dirjen",
              "koordinator", "ketum",     "bendahara", "staf",      "asisten",   "pemilik",
              "istri",       "suami",     "anak",      "putra",     "putri",     "minister",
              "president",   "director",  "chairman",  "secretary", "governor",  "mayor",
              "agen",        "sponsor",   "majikan",   "korban",    "tersangka", "terdakwa",
              "saksi",       "pelapor",   "terlapor"})
            t.emplace(w, kRole);
        for (std::string_view w :
             {"kota",      "kabupaten", "kab",       "provinsi", "prov",    "desa",     "kelurahan",
              "kecamatan", "kec",       "dusun",     "kampung",  "pulau",   "gunung",   "sungai",
              "danau",     "selat",     "teluk",     "jalan",    "jl",      "jln",      "gang",
              "gg",        "bandara",   "pelabuhan", "terminal", "stasiun", "negara",   "negeri",
              "wilayah",   "daerah",    "kawasan",   "distrik",  "city",    "province", "kepulauan",
              "tanjung",   "laut",      "benua"})
            t.emplace(w, kPlaceHead);
        for (std::string_view w :
             {"pt",       "cv",          "ud",          "pd",         "tbk",         "yayasan",
              "koperasi", "firma",       "partai",      "bank",       "universitas", "institut",
              "sekolah",  "kementerian", "kementerian", "dinas",      "badan",       "dewan",
              "komisi",   "lembaga",     "serikat",     "persatuan",  "perhimpunan", "ikatan",
              "asosiasi", "federasi",    "himpunan",    "gerakan",    "front",       "forum",
              "aliansi",  "perusahaan",  "kantor",      "pengadilan", "kejaksaan",   "kepolisian",
              "polda",    "polres",      "polsek",      "majelis",    "mahkamah",    "direktorat",
              "rumah",    "rs",          "rsud",        "klub",       "fraksi",      "organisasi",
              "perum",    "persero",     "bumn",        "grup",       "group",       "harian",
              "koran",    "majalah",     "stasiun",     "televisi",   "tv",          "radio",
              "tim",      "kedutaan",    "konsulat",    "kbri",       "kjri",        "pemerintah",
              "pemkab",   "pemkot",      "pemprov",     "dprd",       "dpr",         "mpr",
              "union",    "association", "company",     "ministry",   "university",  "council",
              "inc",      "ltd",         "corp",        "co",         "sdn",         "bhd",
              "llc",      "plc"})
            t.emplace(w, kOrgHead);
        for (std::string_view w :
             {"di",    "ke",   "dari", "menuju", "asal",   "dekat",  "sekitar", "antara", "in",
              "to",    "from", "at",   "near",   "sampai", "hingga", "kepada",  "dengan", "bersama",
              "untuk", "oleh", "dan",  "atau",   "of",     "the",    "pada"})
            t.emplace(w, kPreposition);
        for (std::string_view w :
             {"kata",       "ujar",       "ucap",        "tutur",         "jelas",
              "ungkap",     "menurut",    "tegas",       "said",          "katanya",
              "ujarnya",    "mengatakan", "menjelaskan", "mengungkapkan", "menyebutkan",
              "menyatakan", "menegaskan", "bertemu",     "menemui",       "menerima",
              "melaporkan"})
            t.emplace(w, kVerbOfSpeech);
        return t;
    }();
    return table;
}

Cue cueOf(const std::string& f) {
    const auto& t = cues();
    const auto it = t.find(f);
    return it == t.end() ? kNone : it->second;
}

// FNV-1a over a feature's template name and values.
class Hash {
public:
    explicit Hash(std::string_view name) { add(name); }
    Hash& add(std::string_view s) {
        for (char c : s) {
            h_ ^= static_cast<unsigned char>(c);
            h_ *= 0x100000001b3ULL;
        }
        h_ ^= 0x1f;
        h_ *= 0x100000001b3ULL;
        return *this;
    }
    uint64_t value() const { return h_; }

private:
    uint64_t h_ = 0xcbf29ce484222325ULL;
};

// An abbreviation before a dot: up to three letters, or dotted letters.
bool abbreviation(std::string_view w) {
    return w.size() <= 3 || w.find('.') != std::string_view::npos;
}

}  // namespace

int tagOf(std::string_view name) {
    for (int i = 0; i < kTags; ++i)
        if (kTagNames[static_cast<std::size_t>(i)] == name) return i;
    return -1;
}

std::vector<Word> tokenize(std::string_view text) {
    std::vector<Word> out;
    std::size_t i = 0;
    const auto wordAt = [&](std::size_t k) {
        return k < text.size() && isWordByte(static_cast<unsigned char>(text[k]));
    };
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (isSpace(static_cast<char>(c))) {
            ++i;
            continue;
        }
        // Curly quotes, dashes and bullets (U+2000..U+207F) are punctuation.
        const auto general = [&](std::size_t k) {
            return k + 2 < text.size() && static_cast<unsigned char>(text[k]) == 0xE2 &&
                   (static_cast<unsigned char>(text[k + 1]) & 0xFE) == 0x80;
        };
        if (general(i)) {
            out.push_back({i, i + 3});
            i += 3;
            continue;
        }
        if (!isWordByte(c)) {
            out.push_back({i, i + 1});
            ++i;
            continue;
        }
        const std::size_t begin = i;
        while (i < text.size()) {
            if (general(i)) break;
            if (wordAt(i)) {
                ++i;
                continue;
            }
            const char d = text[i];
            if ((d == '-' || d == '\'' || d == '.' || d == ',') && wordAt(i + 1) &&
                !general(i + 1)) {
                // A comma joins digits only ("1,5"), not words ("ini,itu").
                if (d == ',' && !(std::isdigit(static_cast<unsigned char>(text[i - 1])) &&
                                  std::isdigit(static_cast<unsigned char>(text[i + 1]))))
                    break;
                ++i;
                continue;
            }
            break;
        }
        out.push_back({begin, i});
    }
    return out;
}

std::vector<std::pair<std::size_t, std::size_t>> sentences(std::string_view text,
                                                           const std::vector<Word>& words) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    std::size_t first = 0;
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
        const auto gap = text.substr(words[i].end, words[i + 1].begin - words[i].end);
        const auto newlines = std::count(gap.begin(), gap.end(), '\n');
        bool end = newlines >= 2;
        const auto w = text.substr(words[i].begin, words[i].end - words[i].begin);
        if (!end && (w == "." || w == "!" || w == "?")) {
            const auto next = text.substr(words[i + 1].begin, 1);
            const bool before = i > first && words[i - 1].end == words[i].begin;
            const auto previous =
                before ? text.substr(words[i - 1].begin, words[i - 1].end - words[i - 1].begin)
                       : std::string_view();
            const bool abbreviated = w == "." && before && abbreviation(previous);
            end = !abbreviated && (newlines >= 1 || isUpper(next[0]) ||
                                   std::isdigit(static_cast<unsigned char>(next[0])) != 0);
        }
        if (end) {
            out.emplace_back(first, i + 1);
            first = i + 1;
        }
    }
    if (first < words.size()) out.emplace_back(first, words.size());
    return out;
}

Features::Features(const NameData& data) {
    for (const auto& [name, canonical] : data.locations) {
        // The gazetteer's names as the tokeniser splits them.
        std::string key;
        for (const auto& w : tokenize(name)) {
            if (!key.empty()) key += ' ';
            key += form(name.substr(w.begin, w.end - w.begin));
        }
        maxLocationWords_ =
            std::max(maxLocationWords_,
                     static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ') + 1));
        locations_.emplace(key, canonical);
    }
    for (const auto& n : data.givenNames) givenNames_.insert(form(n));
}

std::vector<std::vector<uint64_t>> Features::extract(
    const std::vector<std::string_view>& words) const {
    const std::size_t n = words.size();
    std::vector<std::string> forms(n), shapes(n);
    std::vector<Cue> cue(n);
    for (std::size_t i = 0; i < n; ++i) {
        forms[i] = form(words[i]);
        shapes[i] = shape(words[i]);
        cue[i] = cueOf(forms[i]);
    }
    // Gazetteer matches, longest first: "B" and "I" marks.
    std::vector<char> gazetteer(n, 'O');
    for (std::size_t i = 0; i < n;) {
        std::size_t matched = 0;
        std::string key;
        std::vector<std::size_t> ends;
        for (std::size_t k = 0; k < maxLocationWords_ && i + k < n; ++k) {
            if (k > 0) key += ' ';
            key += forms[i + k];
            if (locations_.count(key) > 0) matched = k + 1;
        }
        if (matched == 0 || !std::isalpha(static_cast<unsigned char>(forms[i][0]))) {
            ++i;
            continue;
        }
        gazetteer[i] = 'B';
        for (std::size_t k = 1; k < matched; ++k) gazetteer[i + k] = 'I';
        i += matched;
    }
    std::vector<char> given(n, 0);
    for (std::size_t i = 0; i < n; ++i) given[i] = givenNames_.count(forms[i]) > 0 ? 1 : 0;

    static const std::string kStart = "<s>", kEnd = "</s>";
    const auto formAt = [&](std::ptrdiff_t k) -> const std::string& {
        if (k < 0) return kStart;
        if (static_cast<std::size_t>(k) >= n) return kEnd;
        return forms[static_cast<std::size_t>(k)];
    };
    const auto shapeAt = [&](std::ptrdiff_t k) -> const std::string& {
        if (k < 0) return kStart;
        if (static_cast<std::size_t>(k) >= n) return kEnd;
        return shapes[static_cast<std::size_t>(k)];
    };
    const auto cueAt = [&](std::ptrdiff_t k) -> std::string_view {
        if (k < 0 || static_cast<std::size_t>(k) >= n) return "-";
        return kCueNames[cue[static_cast<std::size_t>(k)]];
    };
    const auto gazAt = [&](std::ptrdiff_t k) -> std::string_view {
        if (k < 0 || static_cast<std::size_t>(k) >= n) return "-";
        const char g = gazetteer[static_cast<std::size_t>(k)];
        return g == 'B' ? "B" : g == 'I' ? "I" : "O";
    };
    const auto givenAt = [&](std::ptrdiff_t k) -> std::string_view {
        if (k < 0 || static_cast<std::size_t>(k) >= n) return "-";
        return given[static_cast<std::size_t>(k)] != 0 ? "1" : "0";
    };

    // Where the word stands in a run of capitalised words: B, I, E, S
    // (alone), or "-" (not capitalised); with the run's length, up to 4.
    std::vector<std::string> runs(n, "-");
    for (std::size_t i = 0; i < n;) {
        if (!isUpper(words[i][0])) {
            ++i;
            continue;
        }
        std::size_t j = i + 1;
        while (j < n && isUpper(words[j][0])) ++j;
        const std::string length = std::to_string(std::min<std::size_t>(j - i, 4));
        for (std::size_t k = i; k < j; ++k)
            runs[k] = (j - i == 1 ? "S" : k == i ? "B" : k + 1 == j ? "E" : "I") + length;
        i = j;
    }
    // A sentence without capitals (chat): case says nothing there.
    const bool lowerCase = std::none_of(words.begin(), words.end(), [](std::string_view w) {
        return std::any_of(w.begin(), w.end(), isUpper);
    });

    std::vector<std::vector<uint64_t>> out(n);
    for (std::size_t u = 0; u < n; ++u) {
        auto& f = out[u];
        f.reserve(48);
        const auto i = static_cast<std::ptrdiff_t>(u);
        const auto& w = forms[u];
        f.push_back(Hash("b").value());
        f.push_back(Hash("w").add(w).value());
        f.push_back(Hash("s").add(shapes[u]).value());
        // Affixes by bytes; a cut inside a UTF-8 character is harmless.
        for (std::size_t k = 1; k <= 4 && k < w.size(); ++k) {
            f.push_back(Hash("p").add(std::string_view(w).substr(0, k)).value());
            f.push_back(Hash("x").add(std::string_view(w).substr(w.size() - k)).value());
        }
        f.push_back(Hash("len").add(std::to_string(std::min<std::size_t>(w.size(), 8))).value());
        f.push_back(Hash("w-1").add(formAt(i - 1)).value());
        f.push_back(Hash("w+1").add(formAt(i + 1)).value());
        f.push_back(Hash("w-2").add(formAt(i - 2)).value());
        f.push_back(Hash("w+2").add(formAt(i + 2)).value());
        f.push_back(Hash("w-1w").add(formAt(i - 1)).add(w).value());
        f.push_back(Hash("ww+1").add(w).add(formAt(i + 1)).value());
        f.push_back(Hash("w-2w-1").add(formAt(i - 2)).add(formAt(i - 1)).value());
        f.push_back(Hash("w+1w+2").add(formAt(i + 1)).add(formAt(i + 2)).value());
        f.push_back(Hash("s-1").add(shapeAt(i - 1)).value());
        f.push_back(Hash("s+1").add(shapeAt(i + 1)).value());
        f.push_back(Hash("s-1s").add(shapeAt(i - 1)).add(shapes[u]).value());
        f.push_back(Hash("ss+1").add(shapes[u]).add(shapeAt(i + 1)).value());
        f.push_back(Hash("s-1ss+1").add(shapeAt(i - 1)).add(shapes[u]).add(shapeAt(i + 1)).value());
        f.push_back(Hash("s-2s-1").add(shapeAt(i - 2)).add(shapeAt(i - 1)).value());
        f.push_back(Hash("s+2").add(shapeAt(i + 2)).value());
        f.push_back(Hash("w-1w+1").add(formAt(i - 1)).add(formAt(i + 1)).value());
        {
            const auto& next = formAt(i + 1);
            f.push_back(Hash("w+1p").add(std::string_view(next).substr(0, 3)).value());
            const auto& previous = formAt(i - 1);
            f.push_back(Hash("w-1x")
                            .add(std::string_view(previous).substr(
                                previous.size() > 3 ? previous.size() - 3 : 0))
                            .value());
        }
        f.push_back(Hash("run").add(runs[u]).value());
        f.push_back(Hash("w-1s").add(formAt(i - 1)).add(shapes[u]).value());
        f.push_back(Hash("sw+1").add(shapes[u]).add(formAt(i + 1)).value());
        if (u == 0) f.push_back(Hash("first").add(shapes[u]).value());
        if (lowerCase) {
            f.push_back(Hash("L").value());
            f.push_back(Hash("Lc-1").add(cueAt(i - 1)).value());
            f.push_back(Hash("Lg").add(gazAt(i)).value());
            f.push_back(Hash("Ln").add(givenAt(i)).value());
        }
        f.push_back(Hash("c").add(cueAt(i)).value());
        f.push_back(Hash("c-1").add(cueAt(i - 1)).value());
        f.push_back(Hash("c-2").add(cueAt(i - 2)).value());
        f.push_back(Hash("c+1").add(cueAt(i + 1)).value());
        f.push_back(Hash("c-1s").add(cueAt(i - 1)).add(shapes[u]).value());
        f.push_back(Hash("c-2c-1").add(cueAt(i - 2)).add(cueAt(i - 1)).value());
        f.push_back(Hash("g").add(gazAt(i)).value());
        f.push_back(Hash("g-1").add(gazAt(i - 1)).value());
        f.push_back(Hash("g+1").add(gazAt(i + 1)).value());
        f.push_back(Hash("gs").add(gazAt(i)).add(shapes[u]).value());
        f.push_back(Hash("n").add(givenAt(i)).value());
        f.push_back(Hash("n-1").add(givenAt(i - 1)).value());
        f.push_back(Hash("n+1").add(givenAt(i + 1)).value());
        f.push_back(Hash("ns").add(givenAt(i)).add(shapes[u]).value());
        std::sort(f.begin(), f.end());
        f.erase(std::unique(f.begin(), f.end()), f.end());
    }
    return out;
}

namespace {

constexpr char kMagic[8] = {'S', 'K', 'N', 'E', 'R', '0', '0', '1'};

template <typename T>
void put(std::string& out, const T& value) {
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

template <typename T>
T take(std::string_view bytes, std::size_t& at) {
    if (at + sizeof(T) > bytes.size()) throw std::runtime_error("NER model file is truncated");
    T value;
    std::memcpy(&value, bytes.data() + at, sizeof value);
    at += sizeof value;
    return value;
}

// The first slot to look at for a key (a hash already; mixed once more).
std::size_t slotOf(uint64_t key, std::size_t size) {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 20) & (size - 1);
}

}  // namespace

std::string Model::toBytes(const std::vector<uint64_t>& keys, const std::vector<float>& weights,
                           const std::array<float, (kTags + 1) * kTags>& transitions) {
    std::string out(kMagic, sizeof kMagic);
    put(out, static_cast<uint32_t>(kTags));
    put(out, static_cast<uint32_t>(keys.size()));
    for (float t : transitions) put(out, t);
    for (uint64_t k : keys) put(out, k);
    for (float w : weights) put(out, w);
    return out;
}

Model Model::fromBytes(std::string_view bytes) {
    if (bytes.size() < sizeof kMagic ||
        bytes.substr(0, sizeof kMagic) != std::string_view(kMagic, sizeof kMagic))
        throw std::runtime_error("not a Saksi NER model file (bad magic)");
    std::size_t at = sizeof kMagic;
    if (take<uint32_t>(bytes, at) != kTags)
        throw std::runtime_error("NER model file has another tag set");
    const auto count = take<uint32_t>(bytes, at);
    if (bytes.size() - at !=
        sizeof(float) * (kTags + 1) * kTags + count * (sizeof(uint64_t) + sizeof(float) * kTags))
        throw std::runtime_error("NER model file has the wrong size");
    Model m;
    for (auto& t : m.transitions_) t = take<float>(bytes, at);
    std::size_t size = 16;
    while (size < 2 * static_cast<std::size_t>(count)) size *= 2;
    m.slots_.resize(size);
    m.count_ = count;
    const std::size_t weightsAt = at + count * sizeof(uint64_t);
    uint64_t previous = 0;
    for (std::size_t k = 0; k < count; ++k) {
        uint64_t key;
        std::memcpy(&key, bytes.data() + at + k * sizeof key, sizeof key);
        if (k > 0 && key <= previous)
            throw std::runtime_error("NER model file's features are not sorted");
        previous = key;
        std::size_t s = slotOf(key, size);
        while (m.slots_[s].used) s = (s + 1) & (size - 1);
        m.slots_[s].key = key;
        m.slots_[s].used = true;
        std::memcpy(m.slots_[s].weights.data(),
                    bytes.data() + weightsAt + k * kTags * sizeof(float), kTags * sizeof(float));
    }
    return m;
}

const Model::Slot* Model::find(uint64_t key) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t s = slotOf(key, slots_.size());; s = (s + 1) & mask) {
        const Slot& slot = slots_[s];
        if (!slot.used) return nullptr;
        if (slot.key == key) return &slot;
    }
}

std::vector<int> Model::tag(const std::vector<std::vector<uint64_t>>& features,
                            std::vector<double>* probability) const {
    const std::size_t n = features.size();
    std::vector<std::array<double, kTags>> emission(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::array<double, kTags> score{};
        for (uint64_t key : features[i]) {
            const Slot* slot = find(key);
            if (!slot) continue;
            for (std::size_t k = 0; k < kTags; ++k) score[k] += slot->weights[k];
        }
        // One-vs-rest logistic outputs, normalised, as log-probabilities.
        double total = 0;
        for (auto& s : score) {
            s = 1.0 / (1.0 + std::exp(-s));
            total += s;
        }
        for (auto& s : score) s = std::log(s / total);
        emission[i] = score;
    }
    // Viterbi; the transition scores forbid I-X after anything but B-X/I-X.
    std::vector<std::array<double, kTags>> best(n);
    std::vector<std::array<int, kTags>> from(n);
    for (std::size_t i = 0; i < n; ++i) {
        for (int k = 0; k < kTags; ++k) {
            double top = -1e300;
            int arg = 0;
            if (i == 0) {
                top = transitions_[static_cast<std::size_t>(k)];
            } else {
                for (int p = 0; p < kTags; ++p) {
                    const double s = best[i - 1][static_cast<std::size_t>(p)] +
                                     transitions_[static_cast<std::size_t>((p + 1) * kTags + k)];
                    if (s > top) {
                        top = s;
                        arg = p;
                    }
                }
            }
            best[i][static_cast<std::size_t>(k)] = top + emission[i][static_cast<std::size_t>(k)];
            from[i][static_cast<std::size_t>(k)] = arg;
        }
    }
    std::vector<int> tags(n, O);
    if (n == 0) return tags;
    tags[n - 1] = static_cast<int>(std::max_element(best[n - 1].begin(), best[n - 1].end()) -
                                   best[n - 1].begin());
    for (std::size_t i = n - 1; i > 0; --i)
        tags[i - 1] = from[i][static_cast<std::size_t>(tags[i])];
    if (probability) {
        probability->resize(n);
        for (std::size_t i = 0; i < n; ++i)
            (*probability)[i] = std::exp(emission[i][static_cast<std::size_t>(tags[i])]);
    }
    return tags;
}

std::vector<Span> spans(const std::vector<int>& tags, const std::vector<double>& probability) {
    std::vector<Span> out;
    for (std::size_t i = 0; i < tags.size();) {
        if (tags[i] == O) {
            ++i;
            continue;
        }
        const int type = (tags[i] - 1) / 2;
        std::size_t j = i + 1;
        while (j < tags.size() && tags[j] == 2 + 2 * type) ++j;
        double sum = 0;
        for (std::size_t k = i; k < j; ++k) sum += k < probability.size() ? probability[k] : 1.0;
        out.push_back({type, i, j, sum / static_cast<double>(j - i)});
        i = j;
    }
    return out;
}

}  // namespace saksi::names::ner
