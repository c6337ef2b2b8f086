/* wrong_major.c -- a plugin built against a future ABI: abi_major 99.
 * Otherwise complete, so the only reason to refuse it is the version.
 * Expected: `saksi plugins` lists it under "refused:" with "ABI major 99". */
#include <saksi/plugin_abi.h>

static int32_t create(const saksi_host_api* host, saksi_str config, saksi_stage_instance** out,
                      char* err, size_t err_size) {
    (void)host, (void)config, (void)err, (void)err_size;
    *out = NULL;
    return SAKSI_OK;
}

static int32_t process(saksi_stage_instance* self, saksi_doc* doc, uint32_t page, char* err,
                       size_t err_size) {
    (void)self, (void)doc, (void)page, (void)err, (void)err_size;
    return SAKSI_OK;
}

static void destroy(saksi_stage_instance* self) { (void)self; }

static const saksi_stage_descriptor stage = {
    .struct_size = sizeof(saksi_stage_descriptor),
    .kind = SAKSI_STAGE_EXTRACT,
    .scope = SAKSI_SCOPE_DOCUMENT,
    .id = "extract.wrong_major",
    .description = "never loaded: built for ABI major 99",
    .create = create,
    .process = process,
    .destroy = destroy,
};

static const saksi_stage_descriptor* const stages[] = {&stage};

static const saksi_plugin_descriptor plugin = {
    .struct_size = sizeof(saksi_plugin_descriptor),
    .abi_major = 99, /* deliberately wrong */
    .abi_minor = 0,
    .name = "wrong_major",
    .version = "0.0.1",
    .description = "ABI test: declares ABI major 99",
    .license = "Apache-2.0",
    .stage_count = 1,
    .stages = stages,
};

/* Returns the descriptor whatever the host asks for, as a careless plugin
 * would: the host must check abi_major itself. */
SAKSI_PLUGIN_EXPORT const saksi_plugin_descriptor* saksi_plugin_entry(uint16_t host_abi_major,
                                                                      uint16_t host_abi_minor) {
    (void)host_abi_major, (void)host_abi_minor;
    return &plugin;
}
