/* abi_1_0_plugin.c -- a plugin compiled against the frozen ABI 1.0 header
 * (tests/sdk/abi_1_0/saksi/plugin_abi.h) and nothing else: it proves that a
 * host with a newer minor keeps loading and running plugins built for 1.0.
 * One document-scope EXTRACT stage, "extract.abi_1_0", that appends one
 * entity through host->put_json. */
#include <saksi/plugin_abi.h>

#include <stdio.h>
#include <stdlib.h>

#if SAKSI_ABI_MAJOR != 1 || SAKSI_ABI_MINOR != 0
#error "abi_1_0_plugin must be built against the frozen ABI 1.0 header only"
#endif

struct saksi_stage_instance {
    const saksi_host_api* host; /* host-owned; valid for the instance's lifetime */
};

static void write_reason(char* err, size_t err_size, const char* text) {
    if (err && err_size > 0) snprintf(err, err_size, "%s", text);
}

static int32_t create(const saksi_host_api* host, saksi_str config, saksi_stage_instance** out,
                      char* err, size_t err_size) {
    saksi_stage_instance* self;
    (void)config;
    /* Every callback of 1.0 must be there in a host of any 1.x. */
    if (!host || host->abi_major != 1 || host->struct_size < sizeof(saksi_host_api) ||
        !host->put_json) {
        write_reason(err, err_size, "host lacks the ABI 1.0 callbacks");
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
        "{\"type\":\"url\",\"text\":\"saksi://abi-test/1.0\",\"normalized\":null,"
        "\"page\":1,\"bbox\":[0,0,1,1],\"span\":[0,0],\"confidence\":1.0,\"sensitive\":false}";
    saksi_str json;
    (void)page;
    json.data = entity;
    json.size = sizeof entity - 1;
    if (self->host->put_json(doc, "/entities/-", json) != SAKSI_OK) {
        write_reason(err, err_size, "extract.abi_1_0: put_json /entities/- failed");
        return SAKSI_ERROR;
    }
    return SAKSI_OK;
}

static void destroy(saksi_stage_instance* self) {
    free(self);
}

static const saksi_stage_descriptor stage = {sizeof(saksi_stage_descriptor),
                                             SAKSI_STAGE_EXTRACT,
                                             SAKSI_SCOPE_DOCUMENT,
                                             "extract.abi_1_0",
                                             "ABI test: built against the frozen 1.0 header",
                                             NULL,
                                             NULL,
                                             create,
                                             process,
                                             destroy};

static const saksi_stage_descriptor* const stages[] = {&stage};

static const saksi_plugin_descriptor plugin = {sizeof(saksi_plugin_descriptor),
                                               SAKSI_ABI_MAJOR,
                                               SAKSI_ABI_MINOR,
                                               "abi_1_0",
                                               "1.0.0",
                                               "ABI test: a plugin built for ABI 1.0",
                                               "Apache-2.0",
                                               1,
                                               stages};

SAKSI_PLUGIN_EXPORT const saksi_plugin_descriptor* saksi_plugin_entry(uint16_t host_abi_major,
                                                                      uint16_t host_abi_minor) {
    (void)host_abi_minor;
    return host_abi_major == SAKSI_ABI_MAJOR ? &plugin : NULL;
}
