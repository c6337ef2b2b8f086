#include "poppler_log.hpp"

#include <poppler-global.h>
#include <mutex>
#include <string>

namespace saksi::decode_pdf {
namespace {

thread_local const saksi_host_api* currentHost = nullptr;

void forwardToHost(const std::string& message, void* /*closure*/) {
    const saksi_host_api* host = currentHost;
    if (!host || !host->log) return;
    const std::string line = "poppler: " + message;
    host->log(0, line.c_str());
}

}  // namespace

void PopplerLogScope::install() {
    static std::once_flag once;
    std::call_once(once, [] { poppler::set_debug_error_function(&forwardToHost, nullptr); });
}

PopplerLogScope::PopplerLogScope(const saksi_host_api* host) : previous_(currentHost) {
    install();
    currentHost = host;
}

PopplerLogScope::~PopplerLogScope() {
    currentHost = previous_;
}

}  // namespace saksi::decode_pdf
