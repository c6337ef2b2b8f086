// saksi/sdk/plugin.hpp -- define stages and the plugin entry in C++20.
//
// A stage is a class with:
//   static constexpr saksi::sdk::StageInfo info{...};
//   explicit Stage(const nlohmann::json& config);     // parse config once; throw on bad values
//   void process(saksi::sdk::Document& doc);                   // scope DOCUMENT, or
//   void process(saksi::sdk::Document& doc, uint32_t page);    // scope PAGE (0-based page)
// and, for a decoder that adds pages with Document::addPageOnDemand(), also
//   void decodePage(saksi::sdk::Document& doc, uint32_t page);  // makes that page's image
// and a plugin is one line:
//   SAKSI_PLUGIN("my_plugin", "1.0.0", "What it does", "Apache-2.0", MyStage, MyOtherStage)
// The SDK turns every exception into a status plus message at the boundary.
#pragma once

#include <saksi/plugin_abi.h>
#include <saksi/sdk/document.hpp>

#include <cstdio>
#include <cstring>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>

namespace saksi::sdk {

// What a stage declares about itself; see saksi_stage_descriptor.
struct StageInfo {
    uint32_t kind = 0;                      // SAKSI_STAGE_*
    uint32_t scope = SAKSI_SCOPE_DOCUMENT;  // SAKSI_SCOPE_*
    const char* id = nullptr;               // "extract.telegram"
    const char* description = nullptr;
    const char* const* mediaTypes = nullptr;  // NULL-terminated, or nullptr for all
    const char* configSchema = nullptr;       // JSON, or nullptr for no keys
};

namespace detail {

inline void writeReason(char* err, std::size_t size, const char* text) {
    if (err && size > 0) std::snprintf(err, size, "%s", text);
}

template <class Stage>
struct StageAdapter {
    struct Instance {
        const saksi_host_api* host;
        Stage stage;
    };

    static int32_t create(const saksi_host_api* host, saksi_str config, saksi_stage_instance** out,
                          char* err, std::size_t errSize) noexcept {
        try {
            const auto json = nlohmann::json::parse(config.data, config.data + config.size);
            *out = reinterpret_cast<saksi_stage_instance*>(new Instance{host, Stage(json)});
            return SAKSI_OK;
        } catch (const std::exception& e) {
            writeReason(err, errSize, e.what());
        } catch (...) {
            writeReason(err, errSize, "unknown exception in create()");
        }
        return SAKSI_ERROR;
    }

    static int32_t process(saksi_stage_instance* self, saksi_doc* doc, uint32_t page, char* err,
                           std::size_t errSize) noexcept {
        auto* instance = reinterpret_cast<Instance*>(self);
        Document document(instance->host, doc);
        try {
            if constexpr (requires(Stage & s, Document & d, uint32_t p) { s.process(d, p); })
                instance->stage.process(document, page);
            else
                instance->stage.process(document);
            return SAKSI_OK;
        } catch (const Error& e) {
            document.addError(e.code(), e.what());
        } catch (const std::exception& e) {
            document.addError("stage.exception", std::string(Stage::info.id) + ": " + e.what());
        } catch (...) {
            writeReason(err, errSize, "unknown exception in process()");
        }
        return SAKSI_ERROR;
    }

    static int32_t decodePage(saksi_stage_instance* self, saksi_doc* doc, uint32_t page, char* err,
                              std::size_t errSize) noexcept {
        auto* instance = reinterpret_cast<Instance*>(self);
        Document document(instance->host, doc);
        try {
            if constexpr (requires(Stage & s, Document & d, uint32_t p) { s.decodePage(d, p); })
                instance->stage.decodePage(document, page);
            return SAKSI_OK;
        } catch (const Error& e) {
            document.addError(e.code(), e.what());
        } catch (const std::exception& e) {
            document.addError("stage.exception", std::string(Stage::info.id) + ": " + e.what());
        } catch (...) {
            writeReason(err, errSize, "unknown exception in decode_page()");
        }
        return SAKSI_ERROR;
    }
    static constexpr bool kDecodesPages = requires(Stage & s, Document& d, uint32_t p) {
        s.decodePage(d, p);
    };

    static void destroy(saksi_stage_instance* self) noexcept {
        delete reinterpret_cast<Instance*>(self);
    }

    static inline const saksi_stage_descriptor descriptor = {sizeof(saksi_stage_descriptor),
                                                             Stage::info.kind,
                                                             Stage::info.scope,
                                                             Stage::info.id,
                                                             Stage::info.description,
                                                             Stage::info.mediaTypes,
                                                             Stage::info.configSchema,
                                                             &create,
                                                             &process,
                                                             &destroy,
                                                             kDecodesPages ? &decodePage : nullptr};
};

template <class... Stages>
const saksi_plugin_descriptor* pluginDescriptor(const char* name, const char* version,
                                                const char* description, const char* license,
                                                uint16_t hostMajor) noexcept {
    static const saksi_stage_descriptor* const stages[] = {&StageAdapter<Stages>::descriptor...};
    static const saksi_plugin_descriptor plugin = {sizeof(saksi_plugin_descriptor),
                                                   SAKSI_ABI_MAJOR,
                                                   SAKSI_ABI_MINOR,
                                                   name,
                                                   version,
                                                   description,
                                                   license,
                                                   sizeof...(Stages),
                                                   stages};
    return hostMajor == SAKSI_ABI_MAJOR ? &plugin : nullptr;
}

}  // namespace detail
}  // namespace saksi::sdk

// Emits the plugin's one exported symbol. Use once per plugin library.
#define SAKSI_PLUGIN(NAME, VERSION, DESCRIPTION, LICENSE, ...)                                 \
    extern "C" SAKSI_PLUGIN_EXPORT const saksi_plugin_descriptor* saksi_plugin_entry(          \
        uint16_t host_abi_major, uint16_t /*host_abi_minor*/) {                                \
        return ::saksi::sdk::detail::pluginDescriptor<__VA_ARGS__>(NAME, VERSION, DESCRIPTION, \
                                                                   LICENSE, host_abi_major);   \
    }
