#include "ftm_export.hpp"

#include "hashing.hpp"
#include "mapped_file.hpp"
#include "paths.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>
#include <vector>

namespace saksi {
namespace {

using nlohmann::json;

// An id from its parts: unsigned (Aleph signs ids per collection on load),
// [a-z0-9-] only, the same for the same parts on every run.
std::string makeId(std::initializer_list<std::string> parts) {
    std::string joined;
    for (const auto& p : parts) joined += p + '\x1f';
    return "saksi-" + sha256Hex(joined).substr(0, 40);
}

std::string stringOr(const json& object, const char* key) {
    return object.is_object() && object.contains(key) && object[key].is_string()
               ? object[key].get<std::string>()
               : "";
}

class Entity {
public:
    Entity(std::string id, std::string schema) : id_(std::move(id)), schema_(std::move(schema)) {}
    const std::string& id() const { return id_; }
    const std::string& schema() const { return schema_; }
    // Adds a value (once); empty values are not FtM values.
    Entity& add(const std::string& property, const std::string& value) {
        if (value.empty()) return *this;
        auto& values = properties_[property];
        if (std::find(values.begin(), values.end(), value) == values.end()) values.push_back(value);
        return *this;
    }
    json toJson() const { return {{"id", id_}, {"schema", schema_}, {"properties", properties_}}; }

private:
    std::string id_, schema_;
    std::map<std::string, std::vector<std::string>> properties_;
};

// ISO 3166 alpha-3 to FtM's alpha-2, and the languages FtM knows.
struct Codes {
    std::map<std::string, std::string> countries;
    std::set<std::string> languages;

    static Codes load() {
        const auto file = configDir() / "ftm" / "codes.json";
        std::ifstream in(file);
        if (!in) throw std::runtime_error("cannot read " + file.string());
        const json j = json::parse(in);
        Codes c;
        c.countries = j.at("countries").get<std::map<std::string, std::string>>();
        for (const auto& l : j.at("languages")) c.languages.insert(l.get<std::string>());
        return c;
    }
    std::string country(const std::string& alpha3) const {
        const auto it = countries.find(alpha3);
        return it == countries.end() ? "" : it->second;
    }
};

bool hasLegalForm(const std::string& name) {
    static const std::regex form(
        R"((^|[^A-Za-z])(PT|CV|UD|Tbk|Ltd|Co|Inc|LLC|Corp|Sdn|Bhd|Pte|PLC|GmbH)\.?($|[^A-Za-z]))",
        std::regex::icase);
    return std::regex_search(name, form);
}

bool looksLikeIban(const std::string& s) {
    static const std::regex iban("^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$");
    return std::regex_match(s, iban);
}

bool isIsoDate(const std::string& s) {
    static const std::regex date("^[0-9]{4}-[0-9]{2}-[0-9]{2}");
    return std::regex_search(s, date);
}

// The entities of one record, in a fixed order.
class RecordEntities {
public:
    RecordEntities(const json& record, const Codes& codes) : r_(record), codes_(codes) {
        id_ = stringOr(r_, "id");
        docId_ = makeId({"document", id_});
    }

    std::vector<Entity> build() {
        folders();
        document();
        pages();
        things();
        passport();
        contract();
        chat();
        std::vector<Entity> out;
        for (auto& e : folders_) out.push_back(std::move(e));
        out.push_back(std::move(*doc_));
        for (auto& e : rest_) out.push_back(std::move(e));
        for (auto& [i, e] : thingEntities_) out.push_back(std::move(e));
        for (auto& e : links_) out.push_back(std::move(e));
        return out;
    }

private:
    const json& pagesJson() const {
        static const json none = json::array();
        return r_.contains("pages") && r_["pages"].is_array() ? r_["pages"] : none;
    }
    const json& thingsJson() const {
        static const json none = json::array();
        return r_.contains("things") && r_["things"].is_array() ? r_["things"] : none;
    }
    std::string thingId(std::size_t i) const { return makeId({"thing", id_, std::to_string(i)}); }
    bool multiPage() const {
        return stringOr(r_["source"], "media_type") == "application/pdf" || pagesJson().size() > 1;
    }

    // Archive members: one Folder per archive of the chain, outermost first.
    void folders() {
        const json& chain = r_["source"].value("container", json::array());
        std::string parent;
        std::vector<std::string> ancestors;
        for (const json& link : chain) {
            const std::string sha = stringOr(link, "sha256");
            const std::string archive = stringOr(link, "archive");
            Entity f(sha.empty() ? makeId({"folder", parent, archive}) : makeId({"folder", sha}),
                     "Folder");
            f.add("fileName", std::filesystem::path(archive).filename().string());
            f.add("name", std::filesystem::path(archive).filename().string());
            f.add("parent", parent);
            for (const auto& a : ancestors) f.add("ancestors", a);
            parent = f.id();
            ancestors.push_back(f.id());
            folders_.push_back(std::move(f));
        }
        parent_ = parent;
        ancestors_ = ancestors;
    }

    void document() {
        const json& src = r_["source"];
        const std::string media = stringOr(src, "media_type");
        const std::string schema =
            multiPage() ? "Pages" : (media.starts_with("image/") ? "Image" : "Document");
        doc_.emplace(docId_, schema);
        Entity& d = *doc_;
        d.add("fileName", stringOr(src, "name")).add("name", stringOr(src, "name"));
        d.add("mimeType", media);
        if (src.contains("size") && src["size"].is_number())
            d.add("fileSize", std::to_string(src["size"].get<std::uint64_t>()));
        d.add("contentHash", stringOr(src, "sha1"));
        d.add("parent", parent_);
        for (const auto& a : ancestors_) d.add("ancestors", a);
        const std::string status = stringOr(r_, "status");
        d.add("processingStatus", status == "failed" ? "failure" : "success");
        for (const auto& e : r_.value("errors", json::array()))
            d.add("processingError", stringOr(e, "code"));
        d.add("processingAgent", "saksi " + stringOr(r_["provenance"], "saksi_version"));
        if (const std::string at = stringOr(r_["provenance"], "processed_at"); isIsoDate(at))
            d.add("processedAt", at.substr(0, 19));
        for (const auto& l : r_["document"].value("languages", json::array()))
            if (l.is_string() && codes_.languages.count(l.get<std::string>()))
                d.add("detectedLanguage", l.get<std::string>());
        if (!multiPage()) {
            std::string body;
            for (const auto& p : pagesJson()) {
                if (!body.empty()) body += "\n\n";
                body += stringOr(p, "text");
            }
            d.add("bodyText", body);
        }
        for (const auto& t : thingsJson()) {
            const std::string type = stringOr(t, "type"), name = stringOr(t, "name"),
                              key = stringOr(t, "key");
            if (type == "person") d.add("peopleMentioned", name).add("namesMentioned", name);
            if (type == "organization")
                d.add("companiesMentioned", name).add("namesMentioned", name);
            if (type == "location") d.add("locationMentioned", name);
            if (type == "phone") d.add("phoneMentioned", key);
            if (type == "email") d.add("emailMentioned", key);
            if (type == "bank_account" && looksLikeIban(key)) d.add("ibanMentioned", key);
        }
    }

    // A Pages document's pages.
    void pages() {
        if (!multiPage()) return;
        for (const auto& p : pagesJson()) {
            const std::string n = std::to_string(p.value("number", 0u));
            Entity page(makeId({"page", id_, n}), "Page");
            page.add("document", docId_).add("index", n).add("bodyText", stringOr(p, "text"));
            rest_.push_back(std::move(page));
        }
    }

    // The thing at index `i` as its FtM entity, created on first use.
    Entity* thingEntity(std::size_t i) {
        if (auto it = thingEntities_.find(i); it != thingEntities_.end()) return &it->second;
        const json& things = thingsJson();
        if (i >= things.size()) return nullptr;
        const json& t = things[i];
        const std::string type = stringOr(t, "type"), name = stringOr(t, "name");
        std::string schema;
        if (type == "person")
            schema = "Person";
        else if (type == "organization")
            schema = hasLegalForm(name) ? "Company" : "Organization";
        else if (type == "location")
            schema = "Address";
        else if (type == "bank_account")
            schema = "BankAccount";
        else
            return nullptr;
        Entity e(thingId(i), schema);
        if (schema == "Address")
            e.add("full", name);
        else if (schema == "BankAccount")
            e.add("accountNumber", stringOr(t, "key"));
        e.add("name", name.empty() ? stringOr(t, "key") : name);
        e.add("proof", docId_);
        return &thingEntities_.emplace(i, std::move(e)).first->second;
    }

    std::optional<std::size_t> holderOf(const json& thing) const {
        const json h = thing.value("holder", json());
        if (!h.is_number_integer() || h.get<std::int64_t>() < 0) return std::nullopt;
        return h.get<std::size_t>();
    }

    bool isLegalEntity(std::size_t i) {
        const Entity* e = thingEntity(i);
        return e && (e->schema() == "Person" || e->schema() == "Organization" ||
                     e->schema() == "Company");
    }

    void things() {
        const json& things = thingsJson();
        const std::string mrzNumber = stringOr(
            r_.value("passport", json::object()).value("mrz", json::object()), "document_number");
        for (std::size_t i = 0; i < things.size(); ++i) {
            const json& t = things[i];
            const std::string type = stringOr(t, "type"), key = stringOr(t, "key");
            thingEntity(i);
            const auto h = holderOf(t);
            const bool held = h && isLegalEntity(*h);
            Entity* holder = held ? thingEntity(*h) : nullptr;
            if (type == "phone" && holder) holder->add("phone", key);
            if (type == "email" && holder) holder->add("email", key);
            if (type == "passport_number" && holder) {
                if (holder->schema() == "Person") holder->add("passportNumber", key);
                // The MRZ's passport is written from the MRZ (passport()).
                if (key != mrzNumber) {
                    Entity p(makeId({"passport", id_, key}), "Passport");
                    p.add("holder", holder->id()).add("number", key).add("passportNumber", key);
                    p.add("type", "passport");
                    rest_.push_back(std::move(p));
                }
            }
            if (type == "national_id" && holder) {
                holder->add("idNumber", key);
                static const std::regex nik("^[0-9]{16}$");
                if (std::regex_match(key, nik)) {
                    Entity id(makeId({"identification", id_, key}), "Identification");
                    id.add("holder", holder->id()).add("number", key);
                    id.add("type", "NIK").add("country", "id");
                    rest_.push_back(std::move(id));
                }
            }
            if (type == "person" || type == "organization") {
                Entity m(makeId({"mention", id_, std::to_string(i)}), "Mention");
                m.add("document", docId_).add("name", stringOr(t, "name"));
                m.add("detectedSchema", thingEntity(i)->schema()).add("resolved", thingId(i));
                mentions_.push_back(std::move(m));
            }
        }
        // Mentions last, with the contact details of the thing they resolve to.
        for (std::size_t i = 0, k = 0; i < things.size(); ++i) {
            const std::string type = stringOr(things[i], "type");
            if (type != "person" && type != "organization") continue;
            Entity& m = mentions_[k++];
            for (const json& other : things)
                if (holderOf(other) == i) {
                    if (stringOr(other, "type") == "phone")
                        m.add("contextPhone", stringOr(other, "key"));
                    if (stringOr(other, "type") == "email")
                        m.add("contextEmail", stringOr(other, "key"));
                }
        }
        for (auto& m : mentions_) links_.push_back(std::move(m));
    }

    // The holder thing of the MRZ, or none.
    std::optional<std::size_t> withRole(const std::string& role, const std::string& type) const {
        const json& things = thingsJson();
        for (std::size_t i = 0; i < things.size(); ++i)
            if (stringOr(things[i], "role") == role && stringOr(things[i], "type") == type)
                return i;
        return std::nullopt;
    }

    void passport() {
        if (!r_.contains("passport") || !r_["passport"].is_object()) return;
        const json& mrz = r_["passport"].value("mrz", json());
        const std::string number = stringOr(mrz, "document_number");
        const auto holder = withRole("holder", "person");
        if (number.empty() || !holder) return;
        Entity* person = thingEntity(*holder);
        if (!person) return;
        Entity p(makeId({"passport", id_, number}), "Passport");
        p.add("holder", person->id()).add("number", number).add("passportNumber", number);
        p.add("type", "passport");
        p.add("country", codes_.country(stringOr(mrz, "issuing_country")));
        p.add("surname", stringOr(mrz, "surname")).add("givenName", stringOr(mrz, "given_names"));
        p.add("personalNumber", stringOr(mrz, "personal_number"));
        const std::string birth = stringOr(mrz, "birth_date");
        if (isIsoDate(birth)) p.add("birthDate", birth);
        const std::string expiry = stringOr(mrz, "expiry_date");
        if (isIsoDate(expiry)) p.add("endDate", expiry);
        const std::string sex = stringOr(mrz, "sex");
        const std::string gender = sex == "F"   ? "female"
                                   : sex == "M" ? "male"
                                   : sex == "X" ? "other"
                                                : "";
        p.add("gender", gender);
        person->add("passportNumber", number);
        if (isIsoDate(birth)) person->add("birthDate", birth);
        person->add("gender", gender);
        person->add("nationality", codes_.country(stringOr(mrz, "nationality")));
        person->add("firstName", stringOr(mrz, "given_names"));
        person->add("lastName", stringOr(mrz, "surname"));
        rest_.push_back(std::move(p));
    }

    void contract() {
        if (!r_.contains("contract") || !r_["contract"].is_object()) return;
        const json& c = r_["contract"];
        const auto worker = withRole("worker", "person");
        std::optional<std::size_t> employer = withRole("employer", "organization");
        if (!employer) employer = withRole("employer", "person");
        std::optional<std::size_t> agency = withRole("agency", "organization");
        if (!agency) agency = withRole("agency", "person");
        if (worker && employer && thingEntity(*worker) && thingEntity(*employer)) {
            Entity e(makeId({"employment", id_}), "Employment");
            e.add("employee", thingId(*worker)).add("employer", thingId(*employer));
            e.add("role", stringOr(c, "position"));
            e.add("description", "employment contract " + stringOr(r_["source"], "name"));
            links_.push_back(std::move(e));
        }
        if (agency && employer && thingEntity(*agency) && thingEntity(*employer)) {
            Entity e(makeId({"representation", id_}), "Representation");
            e.add("agent", thingId(*agency)).add("client", thingId(*employer));
            e.add("role", "recruitment agency");
            links_.push_back(std::move(e));
        }
    }

    void chat() {
        if (!r_.contains("chat") || !r_["chat"].is_object()) return;
        const json& chat = r_["chat"];
        const std::string file = stringOr(r_["source"], "name");
        std::map<std::string, std::string> senders;  // side -> entity id
        const auto sender = [&](const json& m) {
            const std::string side = stringOr(m, "side") == "right" ? "right" : "left";
            if (auto it = senders.find(side); it != senders.end()) return it->second;
            Entity e(makeId({"chat-party", id_, side}), "LegalEntity");
            std::string title = stringOr(chat, "title");
            e.add("name", side == "right"
                              ? "chat owner (" + file + ")"
                              : (title.empty() ? "chat contact (" + file + ")" : title));
            e.add("proof", docId_);
            senders[side] = e.id();
            rest_.push_back(std::move(e));
            return senders[side];
        };
        const json& messages = chat.value("messages", json::array());
        for (std::size_t i = 0; i < messages.size(); ++i) {
            const json& m = messages[i];
            const std::string text = stringOr(m, "text");
            if (text.empty()) continue;
            Entity e(makeId({"message", id_, std::to_string(i)}), "Message");
            e.add("bodyText", text).add("sender", sender(m)).add("proof", docId_);
            if (const std::string date = stringOr(m, "date"); isIsoDate(date)) e.add("date", date);
            links_.push_back(std::move(e));
        }
    }

    const json& r_;
    const Codes& codes_;
    std::string id_, docId_, parent_;
    std::vector<std::string> ancestors_;
    std::vector<Entity> folders_, rest_, mentions_, links_;
    std::optional<Entity> doc_;
    std::map<std::size_t, Entity> thingEntities_;
};

std::vector<std::filesystem::path> recordFiles(const std::filesystem::path& folder) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(folder, ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!name.starts_with(".") && name.ends_with(".json") && it->is_regular_file(ec))
            files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

FtmExportStats exportFtm(const std::filesystem::path& dir, bool redacted, std::ostream& out) {
    const Codes codes = Codes::load();
    std::vector<std::filesystem::path> files;
    for (const char* sub : redacted ? std::vector<const char*>{"redacted"}
                                    : std::vector<const char*>{"records", "failed"})
        for (auto& f : recordFiles(dir / sub)) files.push_back(std::move(f));
    FtmExportStats stats;
    std::set<std::string> written;
    for (const auto& file : files) {
        json record;
        try {
            const MappedFile mapped(file);
            const auto bytes = mapped.bytes();
            record = json::parse(bytes.begin(), bytes.end());
        } catch (const std::exception& e) {
            throw std::runtime_error("cannot read record " + file.string() + ": " + e.what());
        }
        if (!record.is_object() || !record.contains("source") || stringOr(record, "id").empty())
            throw std::runtime_error(file.string() + " is not a saksi record");
        ++stats.records;
        for (const Entity& e : RecordEntities(record, codes).build()) {
            if (!written.insert(e.id()).second) continue;
            out << e.toJson().dump() << '\n';
            ++stats.schemata[e.schema()];
        }
    }
    return stats;
}

}  // namespace saksi
