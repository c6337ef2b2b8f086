#include "name_finder.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

namespace saksi::names {

// A word of the text: letters, digits, inner hyphens and apostrophes (bytes
// of multi-byte UTF-8 characters count as letters).
struct NameFinder::Token {
    std::size_t begin = 0, end = 0;
    std::string_view text;
    std::string_view gapBefore;  // the text since the previous word
};

namespace {

using Token = NameFinder::Token;
using Tokens = std::vector<NameFinder::Token>;

bool isWordByte(unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '\'' || c >= 0x80;
}

// U+2000..U+207F (general punctuation: curly quotes, dashes, bullets),
// which OCR puts next to words: three bytes, E2 80..81 xx.
bool isPunctuationAt(std::string_view text, std::size_t i) {
    return i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xE2 &&
           (static_cast<unsigned char>(text[i + 1]) & 0xFE) == 0x80;
}

Tokens tokenize(std::string_view text) {
    Tokens out;
    std::size_t i = 0, previousEnd = 0;
    while (i < text.size()) {
        if (isPunctuationAt(text, i)) {
            i += 3;
            continue;
        }
        if (!isWordByte(static_cast<unsigned char>(text[i]))) {
            ++i;
            continue;
        }
        std::size_t begin = i;
        while (i < text.size() && isWordByte(static_cast<unsigned char>(text[i])) &&
               !isPunctuationAt(text, i))
            ++i;
        std::size_t end = i;
        while (begin < end && (text[begin] == '-' || text[begin] == '\'')) ++begin;
        while (end > begin && (text[end - 1] == '-' || text[end - 1] == '\'')) --end;
        if (begin == end) continue;
        out.push_back({begin, end, text.substr(begin, end - begin),
                       text.substr(previousEnd, begin - previousEnd)});
        previousEnd = end;
    }
    return out;
}

bool isUpper(char c) {
    return c >= 'A' && c <= 'Z';
}
bool isLower(char c) {
    return c >= 'a' && c <= 'z';
}
bool hasDigit(std::string_view t) {
    return std::any_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "Sukabumi", "Soekarno-Hatta": an upper-case letter then some lower-case.
bool isTitle(std::string_view t) {
    return t.size() >= 2 && isUpper(t[0]) && std::any_of(t.begin() + 1, t.end(), isLower);
}
// "BRI", "WIRADINATA": two or more letters, none lower-case.
bool isAllCaps(std::string_view t) {
    return t.size() >= 2 && std::none_of(t.begin(), t.end(), isLower) &&
           std::count_if(t.begin(), t.end(), isUpper) >= 2;
}
bool isCapitalised(std::string_view t) {
    return !hasDigit(t) && (isTitle(t) || isAllCaps(t));
}

std::string lower(std::string_view t) {
    std::string out(t);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// "CAHAYA" -> "Cahaya".
std::string titleCase(std::string_view t) {
    std::string out = lower(t);
    if (!out.empty() && isLower(out[0])) out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
}

// Spaces and tabs only: the next word continues the same name.
bool plainGap(std::string_view gap) {
    return !gap.empty() &&
           std::all_of(gap.begin(), gap.end(), [](char c) { return c == ' ' || c == '\t'; });
}
// After an abbreviation: "PT. Sinar", "Sdri. Dewi", "Kab. Sukabumi".
bool dotGap(std::string_view gap) {
    return plainGap(gap) || (gap.size() >= 2 && gap[0] == '.' && plainGap(gap.substr(1)));
}
// The word starts a line or a sentence.
bool sentenceStart(const Tokens& tokens, std::size_t i) {
    if (i == 0) return true;
    const auto gap = tokens[i].gapBefore;
    return gap.find_first_of("\n.!?:") != std::string_view::npos;
}

// Lower-cases, collapses white space and drops a final dot: the key under
// which a name and a text are compared with the gazetteer.
std::string key(std::string_view text) {
    std::string out;
    bool space = false;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    while (!out.empty() && out.back() == '.') out.pop_back();
    return out;
}

// The text of [begin, end) with runs of white space as one space.
std::string collapsed(std::string_view text, std::size_t begin, std::size_t end) {
    std::string out;
    bool space = false;
    for (char c : text.substr(begin, end - begin)) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

// The first word of a field's value that starts at `at`: on the same line,
// or, when the label ends its line, on the next line that has text.
std::size_t valueStart(std::string_view text, const Tokens& tokens, std::size_t at) {
    const auto k = static_cast<std::size_t>(
        std::partition_point(tokens.begin(), tokens.end(),
                             [&](const Token& t) { return t.begin < at; }) -
        tokens.begin());
    if (k >= tokens.size()) return tokens.size();
    const auto gap = text.substr(at, tokens[k].begin - at);
    if (gap.empty()) return k;
    const bool blank = std::all_of(gap.begin(), gap.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' ||
               static_cast<unsigned char>(c) >= 0x80;
    });
    const auto lines = std::count(gap.begin(), gap.end(), '\n');
    return blank && lines >= 1 && lines <= 3 ? k : tokens.size();
}

bool in(const std::set<std::string, std::less<>>& set, std::string_view word) {
    return set.count(lower(word)) > 0;
}

// Capitalised words that are never part of a person's name, and end one.
const std::set<std::string, std::less<>> kStopWords = {
    "pihak",        "pertama",   "kedua",
    "agen",         "pasal",     "perusahaan",
    "alamat",       "nama",      "nomor",
    "no",           "nik",       "telepon",
    "telp",         "email",     "jl",
    "jalan",        "kota",      "kabupaten",
    "kab",          "kec",       "kecamatan",
    "desa",         "kelurahan", "kp",
    "rt",           "rw",        "provinsi",
    "loker",        "halo",      "hai",
    "terima",       "kasih",     "selamat",
    "pagi",         "siang",     "sore",
    "malam",        "bank",      "direktur",
    "jabatan",      "tempat",    "tanggal",
    "tgl",          "lahir",     "anda",
    "saya",         "kami",      "kita",
    "yang",         "dengan",    "untuk",
    "dan",          "di",        "ke",
    "dari",         "online",    "customer",
    "service",      "admin",     "saksi",
    "penerima",     "penyetor",  "hormat",
    "demikian",     "catatan",   "tiket",
    "jenis",        "kelamin",   "kewarganegaraan",
    "paspor",       "passport",  "surname",
    "given",        "names",     "date",
    "sex",          "authority", "kantor",
    "ketik",        "pesan",     "wa",
    "whatsapp",     "yth",       "kepada",
    "jenderal",     "utama",     "kerja",
    "gaji",         "senin",     "selasa",
    "rabu",         "kamis",     "jumat",
    "sabtu",        "minggu",    "januari",
    "februari",     "maret",     "april",
    "mei",          "juni",      "juli",
    "agustus",      "september", "oktober",
    "november",     "desember",  "january",
    "february",     "march",     "may",
    "june",         "july",      "august",
    "october",      "december",  "pt",
    "cv",           "ud",        "yayasan",
    "koperasi",     "ltd",       "co",
    "inc",          "llc",       "perjanjian",
    "surat",        "kuitansi",  "ktp",
    "kk",           "visa",      "uang",
    "biaya",        "total",     "jumlah",
    "perihal",      "lampiran",  "ttd",
    "materai",      "meterai",   "rp",
    "usd",          "idr",       "the",
    "and",          "of",        "sdn",
    "bhd",          "tbk",       "bapak",
    "ibu",          "pak",       "bu",
    "bpk",          "sdr",       "sdri",
    "saudara",      "saudari",   "mr",
    "mrs",          "ms",        "online",
    "oke",          "ok",        "siap",
    "baik",         "cuma",      "ada",
    "kalau",        "jangan",    "berangkat",
    "berangkatnya", "harus",     "cukup",
    "tolong",       "mohon",     "status",
    "lulus",        "hrd",       "cs",
    "marketing",    "bos",       "boss",
    "official",     "recruiter", "rekrutmen",
    "nationality",  "code",      "kode",
    "type",         "tipe",      "issuing"};

// Words before a name and not part of it; the set is matched as written.
const std::set<std::string, std::less<>> kHonorifics = {
    "Bapak",   "Ibu",     "Bpk",     "Pak",  "Bu",     "Sdr",  "Sdri",   "Saudara",
    "Saudari", "Bang",    "Kak",     "Mas",  "Mbak",   "Tuan", "Nyonya", "Mr",
    "Mrs",     "Ms",      "Miss",    "Hj",   "BAPAK",  "IBU",  "BPK",    "SDR",
    "SDRI",    "SAUDARA", "SAUDARI", "TUAN", "NYONYA", "MR",   "MRS",    "MS"};

// A run of capitalised words starting with one of these is a street, a
// building or an institution named after a person, not the person.
const std::set<std::string, std::less<>> kNamedAfter = {
    "jl",      "jalan",    "gg",      "gang",    "masjid",  "universitas",
    "sekolah", "rs",       "rsud",    "stasiun", "bandara", "pelabuhan",
    "museum",  "lapangan", "stadion", "taman",   "komplek", "perumahan"};

// Legal forms written before a company's name, matched as written.
const std::set<std::string, std::less<>> kLegalPrefixes = {
    "PT", "CV", "UD", "PD", "Yayasan", "YAYASAN", "Koperasi", "KOPERASI", "Firma", "FIRMA"};

// State bodies: the words that start one; those in kStandaloneBodies need
// nothing after them, the others at least one capitalised word.
const std::array<std::array<std::string_view, 2>, 28> kBodyHeads = {{
    {"kedutaan", "besar"},
    {"konsulat", "jenderal"},
    {"direktorat", "jenderal"},
    {"pengadilan", "negeri"},
    {"pengadilan", "tinggi"},
    {"pengadilan", "agama"},
    {"mahkamah", "agung"},
    {"kejaksaan", "negeri"},
    {"kejaksaan", "tinggi"},
    {"kejaksaan", "agung"},
    {"kantor", "imigrasi"},
    {"pemerintah", "kabupaten"},
    {"pemerintah", "kota"},
    {"pemerintah", "provinsi"},
    {"ministry", "of"},
    {"embassy", "of"},
    {"department", "of"},
    {"kementerian", ""},
    {"dinas", ""},
    {"badan", ""},
    {"direktorat", ""},
    {"kepolisian", ""},
    {"polda", ""},
    {"polres", ""},
    {"polresta", ""},
    {"polsek", ""},
    {"imigrasi", ""},
    {"immigration", ""},
}};
const std::set<std::string, std::less<>> kStandaloneBodies = {
    "bp2mi",   "bnp2tki",   "polri",    "kbri",     "kjri",     "kemnaker",    "kemlu",
    "kemenlu", "bareskrim", "disnaker", "interpol", "iom",      "unodc",       "imigrasi",
    "lpsk",    "polda",     "polres",   "polsek",   "polresta", "immigration", "kepolisian"};
// Regional parliaments, governments, police, prosecutors and election
// bodies, named by their region.
const std::set<std::string, std::less<>> kRegionalBodies = {
    "dprd", "dpd",     "pemprov", "pemkab",  "pemkot", "kejati", "kejari",   "kpud",
    "kpu",  "bawaslu", "bpbd",    "bappeda", "polda",  "polres", "polresta", "disnaker"};
// Banks written without "Bank", matched as written.
const std::set<std::string, std::less<>> kBanks = {"BCA",  "BRI",  "BNI",     "BTN",     "BSI",
                                                   "CIMB", "OCBC", "Maybank", "Danamon", "Permata"};

// Locations whose names are also everyday words: only after a place word.
const std::set<std::string, std::less<>> kAmbiguousPlaces = {
    "batang",  "metro",   "pati",   "lawang",   "weru",     "curug",   "parung", "paseh",
    "kresek",  "plumbon", "grogol", "sawangan", "banjaran", "bangil",  "jordan", "adiwerna",
    "sunggal", "percut",  "tegal",  "binjai",   "depok",    "soreang", "cikupa", "teluknaga"};
const std::set<std::string, std::less<>> kPlaceContext = {
    "di", "ke", "dari", "menuju", "asal", "kota",   "kab",     "kabupaten", "provinsi",
    "in", "to", "from", "at",     "near", "daerah", "wilayah", "negara",    "sampai"};
// A currency's name, not a place: "dolar Amerika Serikat", "Dolar Singapura".
const std::set<std::string, std::less<>> kCurrencyWords = {
    "dolar", "dollar", "ringgit", "riyal", "dirham", "baht", "peso", "yuan", "won"};
const std::set<std::string, std::less<>> kAccountWords = {"rekening", "rek"};
const std::set<std::string, std::less<>> kAdminPrefixes = {"kab", "kabupaten", "kota", "provinsi",
                                                           "prov"};
const std::set<std::string, std::less<>> kFacilityHeads = {"bandara", "pelabuhan", "terminal"};

}  // namespace

bool isStopWord(std::string_view word) {
    return in(kStopWords, word);
}

namespace {

bool previousIs(const Tokens& tokens, std::size_t i,
                const std::set<std::string, std::less<>>& words) {
    return i > 0 && (plainGap(tokens[i].gapBefore) || dotGap(tokens[i].gapBefore)) &&
           in(words, tokens[i - 1].text);
}

bool overlaps(const NameMatch& a, const NameMatch& b) {
    return a.begin < b.end && b.begin < a.end;
}

// Keeps the surest of overlapping matches (then the longest), or the
// longest (then the surest); `flags` follow the matches they belong to.
std::vector<NameMatch> withoutOverlaps(std::vector<NameMatch> matches, bool longestFirst,
                                       std::vector<bool>* flags = nullptr) {
    std::vector<std::size_t> order(matches.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const auto la = matches[a].end - matches[a].begin, lb = matches[b].end - matches[b].begin;
        const double ca = matches[a].confidence, cb = matches[b].confidence;
        if (longestFirst && la != lb) return la > lb;
        if (ca != cb) return ca > cb;
        return la > lb;
    });
    std::vector<NameMatch> kept;
    std::vector<bool> keptFlags;
    for (std::size_t i : order) {
        if (std::any_of(kept.begin(), kept.end(),
                        [&](const NameMatch& k) { return overlaps(k, matches[i]); }))
            continue;
        kept.push_back(matches[i]);
        if (flags) keptFlags.push_back((*flags)[i]);
    }
    if (flags) *flags = std::move(keptFlags);
    return kept;
}

}  // namespace

NameFinder::NameFinder(const NameData& data)
    : data_(data),
      personLabel_(
          R"(\b(given names?/nama depan|given names?|surname/nama|surname|nama lengkap|full name|nama|name|a\.n\.|atas nama|diwakili oleh|terima dari|pemilik rekening|direktur utama|direktur|pihak pertama|pihak kedua)[ \t]{0,4}:?[ \t]{0,4})",
          std::regex::icase | std::regex::optimize),
      placeLabel_(
          R"(\b(place of birth|tempat lahir|tempat/tgl\.? lahir|tempat/tanggal lahir|tempat, tanggal lahir|tempat tinggal|domisili)[ \t]{0,4}:?[ \t]{0,4})",
          std::regex::icase | std::regex::optimize),
      companySuffix_(
          R"(\b(Co\.,?[ \n]?Ltd\.?|CO\.,?[ \n]?LTD\.?|Company[ \n]Limited|Ltd\.|LTD\.|Limited|Sdn\.?[ \n]Bhd\.?|SDN\.?[ \n]BHD\.?|Inc\.|INC\.|LLC|L\.L\.C\.|Corp\.|Corporation|Pte\.?[ \n]Ltd\.?|PLC))",
          std::regex::optimize) {
    for (const auto& [name, canonical] : data.locations) {
        const std::string k = key(name);
        locations_.emplace(k, canonical);
        const auto words = static_cast<std::size_t>(std::count(k.begin(), k.end(), ' ') + 1);
        maxLocationWords_ = std::max(maxLocationWords_, words);
    }
}

const std::string* NameFinder::location(std::string_view text, const Tokens& tokens,
                                        std::size_t first, std::size_t count) const {
    if (first + count > tokens.size()) return nullptr;
    for (std::size_t i = first + 1; i < first + count; ++i)
        if (tokens[i].gapBefore.find('\n') != std::string_view::npos ||
            tokens[i].gapBefore.find(',') != std::string_view::npos)
            return nullptr;
    const auto it = locations_.find(
        key(text.substr(tokens[first].begin, tokens[first + count - 1].end - tokens[first].begin)));
    return it == locations_.end() ? nullptr : &it->second;
}

// How many words from `first` on name a location (longest first); 0: none.
std::size_t NameFinder::locationAt(std::string_view text, const Tokens& tokens, std::size_t first,
                                   const std::string** canonical) const {
    if (!isCapitalised(tokens[first].text)) return 0;
    for (std::size_t count = std::min(maxLocationWords_, tokens.size() - first); count > 0;
         --count) {
        if (!isCapitalised(tokens[first + count - 1].text)) continue;
        if (const auto* name = location(text, tokens, first, count)) {
            // Short names ("UAE", "KSA") only in capitals.
            if (count == 1 && tokens[first].text.size() <= 3 && !isAllCaps(tokens[first].text))
                continue;
            *canonical = name;
            return count;
        }
    }
    return 0;
}

void NameFinder::findOrganizations(std::string_view text, const Tokens& tokens,
                                   std::vector<NameMatch>& out, std::vector<bool>& company) const {
    const auto add = [&](std::size_t begin, std::size_t end, std::string normalized,
                         double confidence, bool isCompany, bool anchored = true) {
        out.push_back(
            {"organization", begin, end, std::move(normalized), confidence, false, anchored});
        company.push_back(isCompany);
    };
    // Capitalised words from `from` on (plain gaps; "dan", "of", "&" inside),
    // at most `max`; returns the index past the last one.
    const auto runFrom = [&](std::size_t from, std::size_t max, bool firstAfterDot,
                             bool connectors = true) {
        std::size_t j = from;
        while (j < tokens.size() && j - from < max) {
            const auto& t = tokens[j];
            const bool gapOk = (j == from && firstAfterDot)
                                   ? dotGap(t.gapBefore) ||
                                         (t.gapBefore == "\n" && !sentenceStart(tokens, from - 1))
                                   : plainGap(t.gapBefore) || t.gapBefore == " & ";
            if (!gapOk) break;
            if (kLegalPrefixes.count(std::string(t.text)) > 0) break;
            const std::string l = lower(t.text);
            const bool connector = connectors && (l == "dan" || l == "of" || l == "and") &&
                                   j > from && j + 1 < tokens.size() &&
                                   plainGap(tokens[j + 1].gapBefore) &&
                                   isCapitalised(tokens[j + 1].text);
            if (!connector && !isCapitalised(t.text)) break;
            if (l == "pihak" || l == "agen" || l == "alamat" || l == "selaku" || l == "nomor")
                break;
            ++j;
        }
        return j;
    };

    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const auto& t = tokens[i];
        // PT / CV / UD / Yayasan / Koperasi + name (+ Tbk, (Persero)).
        if (kLegalPrefixes.count(std::string(t.text)) > 0) {
            std::size_t j = runFrom(i + 1, 8, true);
            if (j == i + 1) continue;
            // A name the OCR or the layout wrapped once ("Yayasan Cahaya
            // Insan\nMandiri"): only for a name that starts mid-line, and not
            // into a line that starts with a person's given name.
            if (j < tokens.size() && tokens[j].gapBefore == "\n" && !sentenceStart(tokens, i) &&
                isCapitalised(tokens[j].text) && !in(kStopWords, tokens[j].text) &&
                data_.givenNames.count(std::string(tokens[j].text)) == 0 && j - i <= 6) {
                const std::size_t k = runFrom(j + 1, 8 - (j - i - 1), false);
                j = std::max(k, j + 1);
            }
            std::size_t end = tokens[j - 1].end;
            if (j < tokens.size() && (tokens[j].text == "Tbk" || tokens[j].text == "TBK") &&
                (plainGap(tokens[j].gapBefore) || tokens[j].gapBefore == ", "))
                end = tokens[j].end;
            bool caps = true;
            for (std::size_t k = i + 1; k < j; ++k) caps = caps && isAllCaps(tokens[k].text);
            std::string normalized(caps && t.text.size() > 3 ? titleCase(t.text)
                                                             : std::string(t.text));
            for (std::size_t k = i + 1; k < j; ++k) {
                const auto w = tokens[k].text;
                normalized += ' ';
                normalized += caps && w.size() > 3 ? titleCase(w) : std::string(w);
            }
            if (end != tokens[j - 1].end) normalized += " Tbk";
            add(t.begin, end, std::move(normalized), 0.9, true);
            continue;
        }
        // Bank + name; bank abbreviations alone.
        if (lower(t.text) == "bank" && (isTitle(t.text) || isAllCaps(t.text))) {
            const std::size_t j = runFrom(i + 1, 4, false, false);
            if (j > i + 1) {
                add(t.begin, tokens[j - 1].end, collapsed(text, t.begin, tokens[j - 1].end), 0.85,
                    true);
                continue;
            }
        }
        // "rekening Mandiri": a bank whose name is also a word.
        const bool bankAfterAccount =
            (t.text == "Mandiri" || t.text == "Muamalat") && previousIs(tokens, i, kAccountWords);
        if (kBanks.count(std::string(t.text)) > 0 || bankAfterAccount) {
            add(t.begin, t.end, std::string(t.text), 0.8, true);
            continue;
        }
        // Regional bodies + the region the gazetteer knows: "DPRD Jawa
        // Tengah", "Pemprov Kalimantan Barat", "Kejati Kota Medan".
        const std::string first = lower(t.text);
        if (kRegionalBodies.count(first) > 0 && i + 1 < tokens.size() &&
            plainGap(tokens[i + 1].gapBefore)) {
            std::size_t at = i + 1;
            if (in(kAdminPrefixes, tokens[at].text) && at + 1 < tokens.size() &&
                dotGap(tokens[at + 1].gapBefore))
                ++at;
            const std::string* canonical = nullptr;
            if (const std::size_t count = locationAt(text, tokens, at, &canonical); count > 0) {
                const std::size_t end = tokens[at + count - 1].end;
                add(t.begin, end, collapsed(text, t.begin, end), 0.85, false);
                i = at + count - 1;
                continue;
            }
        }
        // State bodies.
        if (!isCapitalised(t.text) && !(isAllCaps(t.text) && kStandaloneBodies.count(first) > 0))
            continue;
        for (const auto& head : kBodyHeads) {
            if (head[0] != first) continue;
            std::size_t next = i + 1;
            if (!head[1].empty()) {
                if (next >= tokens.size() || !plainGap(tokens[next].gapBefore) ||
                    lower(tokens[next].text) != head[1])
                    continue;
                // One style for the head: "Kantor IMIGRASI" is a field label
                // and a body, not one name.
                if (head[1] != "of" && isAllCaps(t.text) != isAllCaps(tokens[next].text)) continue;
                ++next;
            }
            const std::size_t j = runFrom(next, 6, false);
            if (j == next && kStandaloneBodies.count(first) == 0) break;
            const std::size_t end = tokens[j - 1].end;
            add(t.begin, end, collapsed(text, t.begin, end), 0.85, false);
            break;
        }
        if (kStandaloneBodies.count(first) > 0 && (out.empty() || out.back().begin != t.begin)) {
            const std::size_t j = runFrom(i + 1, 4, false);
            const std::size_t end = tokens[j - 1].end;
            add(t.begin, end, collapsed(text, t.begin, end), 0.85, false, false);
        }
    }

    // Name + Co., Ltd. / Sdn Bhd / Inc. / LLC ...
    for (auto it = std::cregex_iterator(text.data(), text.data() + text.size(), companySuffix_);
         it != std::cregex_iterator(); ++it) {
        const auto at = static_cast<std::size_t>(it->position(0));
        const std::size_t end = at + static_cast<std::size_t>(it->length(0));
        // The last word before the suffix, right before it.
        auto k = std::partition_point(tokens.begin(), tokens.end(),
                                      [&](const Token& t) { return t.end <= at; }) -
                 tokens.begin();
        if (k == 0) continue;
        std::size_t last = static_cast<std::size_t>(k) - 1;
        const auto before = text.substr(tokens[last].end, at - tokens[last].end);
        if (!plainGap(before) && before != "\n") continue;
        std::size_t firstWord = last + 1;
        int wrapped = before == "\n" ? 1 : 0;
        while (firstWord > 0 && last + 1 - (firstWord - 1) <= 6) {
            const auto& t = tokens[firstWord - 1];
            if (!isCapitalised(t.text) || in(kStopWords, t.text)) break;
            --firstWord;
            // A name the OCR wrapped once: "Golden Lotus\nTrading Co., Ltd."
            if (!plainGap(t.gapBefore) && !(t.gapBefore == "\n" && wrapped++ == 0)) break;
        }
        if (firstWord > last) continue;
        add(tokens[firstWord].begin, end, collapsed(text, tokens[firstWord].begin, end), 0.85,
            true);
    }
}

void NameFinder::findLocations(std::string_view text, const Tokens& tokens,
                               std::vector<NameMatch>& out) const {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const auto& t = tokens[i];
        if (previousIs(tokens, i, kCurrencyWords)) continue;
        const bool context = previousIs(tokens, i, kPlaceContext);
        const std::string* canonical = nullptr;
        if (const std::size_t count = locationAt(text, tokens, i, &canonical); count > 0) {
            if (count == 1 && !context && in(kAmbiguousPlaces, t.text)) continue;
            const std::size_t end = tokens[i + count - 1].end;
            out.push_back({"location", t.begin, end, *canonical, context ? 0.9 : 0.75, false});
            i += count - 1;
            continue;
        }
        if (!isCapitalised(t.text)) continue;
        // Kab. / Kota / Provinsi + name: the name is the location.
        // Bandara / Pelabuhan + name: the whole is.
        const bool admin = in(kAdminPrefixes, t.text);
        const bool facility = in(kFacilityHeads, t.text);
        if (!admin && !facility) continue;
        std::size_t j = i + 1;
        while (j < tokens.size() && j - i <= 3 &&
               (j == i + 1 ? dotGap(tokens[j].gapBefore) : plainGap(tokens[j].gapBefore)) &&
               isCapitalised(tokens[j].text) && !in(kStopWords, tokens[j].text))
            ++j;
        if (j == i + 1) continue;
        const std::size_t begin = admin ? tokens[i + 1].begin : t.begin;
        const std::size_t end = tokens[j - 1].end;
        const std::string* known = admin ? location(text, tokens, i + 1, j - i - 1) : nullptr;
        out.push_back(
            {"location", begin, end, known ? *known : collapsed(text, begin, end), 0.85, false});
        i = j - 1;
    }
    // Place of birth / Tempat lahir: the value, up to a comma or the line's end.
    for (auto it = std::cregex_iterator(text.data(), text.data() + text.size(), placeLabel_);
         it != std::cregex_iterator(); ++it) {
        const auto at = static_cast<std::size_t>(it->position(0) + it->length(0));
        const std::size_t k = valueStart(text, tokens, at);
        if (k >= tokens.size()) continue;
        std::size_t j = k;
        while (j < tokens.size() && j - k < 4 && (j == k || plainGap(tokens[j].gapBefore)) &&
               isCapitalised(tokens[j].text))
            ++j;
        if (j == k) continue;
        const std::size_t end = tokens[j - 1].end;
        const std::string* known = location(text, tokens, k, j - k);
        out.push_back({"location", tokens[k].begin, end,
                       known ? *known : collapsed(text, tokens[k].begin, end), 0.8, false, true});
    }
}

void NameFinder::findPersons(std::string_view text, const Tokens& tokens,
                             std::vector<NameMatch>& out) const {
    const auto given = [&](std::string_view w) {
        return data_.givenNames.count(isAllCaps(w) ? titleCase(w) : std::string(w)) > 0;
    };
    const auto isLocationWord = [&](std::size_t i) {
        const std::string* canonical = nullptr;
        return locationAt(text, tokens, i, &canonical) > 0;
    };
    // A name from `from` on: up to four capitalised words, ending before a
    // stop word, a place, or a second given name once it has two words.
    // `afterWord`: the first word must follow the one before it as a name
    // follows an honorific ("Pak Sokha", "Sdri. Dewi").
    const auto nameFrom = [&](std::size_t from, bool afterWord) {
        std::size_t j = from;
        while (j < tokens.size() && j - from < 4) {
            const auto& t = tokens[j];
            const bool gapOk =
                j == from ? (!afterWord || dotGap(t.gapBefore)) : plainGap(t.gapBefore);
            if (!gapOk || !isCapitalised(t.text) || in(kStopWords, t.text) ||
                kHonorifics.count(std::string(t.text)) > 0)
                break;
            if (j > from && (isLocationWord(j) || (j - from >= 2 && given(t.text)))) break;
            ++j;
        }
        return j;
    };
    const auto add = [&](std::size_t first, std::size_t past, double confidence,
                         bool anchored = false) {
        const std::size_t begin = tokens[first].begin, end = tokens[past - 1].end;
        out.push_back(
            {"person", begin, end, collapsed(text, begin, end), confidence, true, anchored});
    };

    // Honorifics: Ibu Sukarni, Pak Sokha, Sdri. Dewi Anggraini Lestari.
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
        if (kHonorifics.count(std::string(tokens[i].text)) == 0) continue;
        const std::size_t j = nameFrom(i + 1, true);
        if (j > i + 1) {
            add(i + 1, j, 0.85);
            out.back().afterHonorific = true;
        }
    }

    // Field labels and roles: Nama: Dewi, a.n. Andi Saputra, Surname/Nama X.
    std::size_t surname = SIZE_MAX, givenField = SIZE_MAX;
    for (auto it = std::cregex_iterator(text.data(), text.data() + text.size(), personLabel_);
         it != std::cregex_iterator(); ++it) {
        const auto at = static_cast<std::size_t>(it->position(0) + it->length(0));
        const std::size_t k = valueStart(text, tokens, at);
        if (k >= tokens.size()) continue;
        const std::size_t j = nameFrom(k, false);
        if (j == k) continue;
        const std::string label = lower(it->str(1));
        add(k, j, 0.9, true);
        if (label.rfind("surname", 0) == 0) surname = out.size() - 1;
        if (label.rfind("given", 0) == 0) givenField = out.size() - 1;
    }
    // A passport's two name fields make one name: "RATNA SARI WIRADINATA".
    if (surname != SIZE_MAX && givenField != SIZE_MAX) {
        const std::string full = out[givenField].normalized + " " + out[surname].normalized;
        out[givenField].normalized = full;
        out[surname].normalized = full;
    }

    // Runs of capitalised words that start with a given name, as in a
    // signature line "Hendra Wijaya Kusuma Andi Saputra Dewi Anggraini Lestari".
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (!isTitle(tokens[i].text) || !given(tokens[i].text)) continue;
        if (i > 0 && in(kNamedAfter, tokens[i - 1].text) && dotGap(tokens[i].gapBefore)) continue;
        const std::size_t j = std::max(nameFrom(i, false), i + 1);
        if (j == i + 1) {
            // One word: not a capitalised sentence start ("Bagus sekali").
            const bool lowerNext =
                j < tokens.size() && plainGap(tokens[j].gapBefore) && isLower(tokens[j].text[0]);
            if (sentenceStart(tokens, i) && lowerNext) continue;
            if (in(kStopWords, tokens[i].text)) continue;
        }
        add(i, j, j == i + 1 ? 0.7 : 0.8);
        i = j - 1;
    }
}

// The white-space delimited run around the span has an '@', a "://" or
// starts with "www.". Such a word names the address, not a person, company
// or place the document mentions.
bool insideAddress(std::string_view text, std::size_t begin, std::size_t end) {
    const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (begin > 0 && !space(text[begin - 1])) --begin;
    while (end < text.size() && !space(text[end])) ++end;
    const std::string_view run = text.substr(begin, end - begin);
    return run.find('@') != std::string_view::npos || run.find("://") != std::string_view::npos ||
           run.starts_with("www.") || run.starts_with("WWW.");
}

namespace {

void dropAddresses(std::string_view text, std::vector<NameMatch>& matches,
                   std::vector<bool>* flags = nullptr) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < matches.size(); ++i) {
        if (insideAddress(text, matches[i].begin, matches[i].end)) continue;
        if (kept != i) {
            if (flags) (*flags)[kept] = (*flags)[i];
            matches[kept] = std::move(matches[i]);
        }
        ++kept;
    }
    matches.resize(kept);
    if (flags) flags->resize(kept);
}

}  // namespace

std::vector<NameMatch> NameFinder::find(std::string_view text) const {
    const Tokens tokens = tokenize(text);
    std::vector<NameMatch> orgs, locations, persons;
    std::vector<bool> company;
    findOrganizations(text, tokens, orgs, company);
    findLocations(text, tokens, locations);
    findPersons(text, tokens, persons);
    dropAddresses(text, orgs, &company);
    dropAddresses(text, locations);
    dropAddresses(text, persons);
    orgs = withoutOverlaps(std::move(orgs), true, &company);
    locations = withoutOverlaps(std::move(locations), true);
    persons = withoutOverlaps(std::move(persons), false);

    std::vector<NameMatch> out;
    for (std::size_t i = 0; i < orgs.size(); ++i) out.push_back(orgs[i]);
    // No location inside a company's name; a person yields to an
    // organisation, and to a location unless the person is the surer.
    std::vector<bool> dropLocation(locations.size(), false);
    for (std::size_t l = 0; l < locations.size(); ++l)
        for (std::size_t o = 0; o < orgs.size(); ++o)
            if (company[o] && overlaps(orgs[o], locations[l])) dropLocation[l] = true;
    for (const auto& p : persons) {
        if (std::any_of(orgs.begin(), orgs.end(),
                        [&](const NameMatch& o) { return overlaps(o, p); }))
            continue;
        bool keep = true;
        for (std::size_t l = 0; l < locations.size(); ++l) {
            if (dropLocation[l] || !overlaps(locations[l], p)) continue;
            if (p.confidence > locations[l].confidence)
                dropLocation[l] = true;
            else
                keep = false;
        }
        if (keep) out.push_back(p);
    }
    for (std::size_t l = 0; l < locations.size(); ++l)
        if (!dropLocation[l]) out.push_back(locations[l]);
    std::stable_sort(out.begin(), out.end(), [](const NameMatch& a, const NameMatch& b) {
        return a.begin < b.begin || (a.begin == b.begin && a.end > b.end);
    });
    return out;
}

}  // namespace saksi::names
