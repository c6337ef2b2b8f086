/* no_entry.c -- a shared library that is not a plugin: it exports a
 * plausible-looking function but not saksi_plugin_entry.
 * Expected: `saksi plugins` lists it under "refused:" naming the missing
 * symbol "saksi_plugin_entry". */
#include <saksi/plugin_abi.h>

/* Looks like an entry point to a human, not to the host. */
SAKSI_PLUGIN_EXPORT int32_t saksi_plugin_init(void) { return SAKSI_OK; }
