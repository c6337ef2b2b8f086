/* good_minimal.c -- a correct plugin in plain C99, without the C++ SDK,
 * proving the C ABI alone suffices: one EXTRACT stage, "extract.c_minimal",
 * that appends one entity through host->put_json. The entity leaves out
 * "detector" so the host fills in the stage's. */
#include <saksi/plugin_abi.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text the ABI test looks for in the record's entities. */
#define C_MINIMAL_TEXT "saksi://abi-test/c_minimal"

struct saksi_stage_instance {
    const saksi_host_api* host; /* host-owned; valid for the instance's lifetime */
};

static void write_reason(char* err, size_t err_size, const char* text) {
    if (err && err_size > 0) snprintf(err, err_size, "%s", text);
}

/* The host's struct is size-prefixed: use a callback only if the host's
 * struct is large enough to hold it. */
#define HOST_HAS(host, member) \
    ((host)->struct_size >= offsetof(saksi_host_api, member) + sizeof((host)->member) && \
     (host)->member != NULL)

static int32_t create(const saksi_host_api* host, saksi_str config, saksi_stage_instance** out,
                      char* err, size_t err_size) {
    saksi_stage_instance* self;
    (void)config; /* no config_schema: always "{}" */
    if (!host || !HOST_HAS(host, put_json) || !HOST_HAS(host, page_count)) {
        write_reason(err, err_size, "host lacks put_json/page_count");
        return SAKSI_ERROR;
    }
    self = malloc(sizeof *self);
    if (!self) {
        write_reason(err, err_size, "out of memory");
        return SAKSI_ERROR;
    }
    self->host = host;
    *out = self;
    return SAKSI_OK;
}

static int32_t process(saksi_stage_instance* self, saksi_doc* doc, uint32_t page, char* err,
                       size_t err_size) {
    static const char entity[] =
        "{\"type\":\"url\",\"text\":\"" C_MINIMAL_TEXT "\",\"normalized\":null,"
        "\"page\":1,\"bbox\":[0,0,1,1],\"span\":[0,0],\"confidence\":1.0,\"sensitive\":false}";
    saksi_str json;
    int32_t status;
    (void)page; /* scope DOCUMENT: always SAKSI_ALL_PAGES */
    if (self->host->page_count(doc) == 0) {
        write_reason(err, err_size, "extract.c_minimal: the document has no page");
        return SAKSI_ERROR;
    }
    json.data = entity;
    json.size = sizeof entity - 1;
    status = self->host->put_json(doc, "/entities/-", json);
    if (status != SAKSI_OK) {
        char reason[96];
        snprintf(reason, sizeof reason, "extract.c_minimal: put_json /entities/- returned %d",
                 (int)status);
        write_reason(err, err_size, reason);
        return SAKSI_ERROR;
    }
    return SAKSI_OK;
}

static void destroy(saksi_stage_instance* self) { free(self); }

static const saksi_stage_descriptor stage = {
    .struct_size = sizeof(saksi_stage_descriptor),
    .kind = SAKSI_STAGE_EXTRACT,
    .scope = SAKSI_SCOPE_DOCUMENT,
    .id = "extract.c_minimal",
    .description = "ABI test: appends one entity, written in plain C",
    .media_types = NULL,
    .config_schema = NULL,
    .create = create,
    .process = process,
    .destroy = destroy,
};

static const saksi_stage_descriptor* const stages[] = {&stage};

static const saksi_plugin_descriptor plugin = {
    .struct_size = sizeof(saksi_plugin_descriptor),
    .abi_major = SAKSI_ABI_MAJOR,
    .abi_minor = SAKSI_ABI_MINOR,
    .name = "good_minimal",
    .version = "0.0.1",
    .description = "ABI test: a plain C plugin",
    .license = "Apache-2.0",
    .stage_count = 1,
    .stages = stages,
};

SAKSI_PLUGIN_EXPORT const saksi_plugin_descriptor* saksi_plugin_entry(uint16_t host_abi_major,
                                                                      uint16_t host_abi_minor) {
    (void)host_abi_minor;
    return host_abi_major == SAKSI_ABI_MAJOR ? &plugin : NULL;
}
