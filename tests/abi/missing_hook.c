/* missing_hook.c -- a valid descriptor (ABI 1.0) whose only stage lacks its
 * required process() hook.
 * Expected: the host checks required hooks at load and lists the plugin under
 * "refused:" with a reason naming "process"; it never calls the NULL hook. */
#include <saksi/plugin_abi.h>

static int32_t create(const saksi_host_api* host, saksi_str config, saksi_stage_instance** out,
                      char* err, size_t err_size) {
    (void)host, (void)config, (void)err, (void)err_size;
    *out = NULL;
    return SAKSI_OK;
}

static void destroy(saksi_stage_instance* self) { (void)self; }

static const saksi_stage_descriptor stage = {
    .struct_size = sizeof(saksi_stage_descriptor),
    .kind = SAKSI_STAGE_EXTRACT,
    .scope = SAKSI_SCOPE_DOCUMENT,
    .id = "extract.missing_hook",
    .description = "never loaded: process() is NULL",
    .create = create,
    .process = NULL, /* deliberately missing */
    .destroy = destroy,
};

static const saksi_stage_descriptor* const stages[] = {&stage};

static const saksi_plugin_descriptor plugin = {
    .struct_size = sizeof(saksi_plugin_descriptor),
    .abi_major = SAKSI_ABI_MAJOR,
    .abi_minor = SAKSI_ABI_MINOR,
    .name = "missing_hook",
    .version = "0.0.1",
    .description = "ABI test: a stage without process()",
    .license = "Apache-2.0",
    .stage_count = 1,
    .stages = stages,
};

SAKSI_PLUGIN_EXPORT const saksi_plugin_descriptor* saksi_plugin_entry(uint16_t host_abi_major,
                                                                      uint16_t host_abi_minor) {
    (void)host_abi_minor;
    return host_abi_major == SAKSI_ABI_MAJOR ? &plugin : NULL;
}
