// poppler_log.hpp -- Poppler's diagnostics into the host's log, not stderr.
#pragma once

#include <saksi/plugin_abi.h>

namespace saksi::decode_pdf {

// While alive, Poppler messages raised on this thread go to `host`'s log at
// debug level. Poppler's hook is process-global; it is installed once, on
// first use, and finds the host through a thread-local pointer, so that
// instances on several threads never share state. Messages from a thread
// without a scope are dropped (they would only reach stderr).
class PopplerLogScope {
public:
    explicit PopplerLogScope(const saksi_host_api* host);
    ~PopplerLogScope();
    PopplerLogScope(const PopplerLogScope&) = delete;
    PopplerLogScope& operator=(const PopplerLogScope&) = delete;

    // Installs the process-wide hook (idempotent, thread-safe).
    static void install();

private:
    const saksi_host_api* previous_;
};

}  // namespace saksi::decode_pdf
