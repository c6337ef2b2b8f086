#include "logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace saksi {
namespace {

// %* in a pattern: the message as a JSON string, escaped.
class JsonMessageFlag : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        const std::string text =
            nlohmann::json(std::string(msg.payload.data(), msg.payload.size()))
                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        dest.append(text.data(), text.data() + text.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<JsonMessageFlag>();
    }
};

LoggingSettings current;

}  // namespace

const LoggingSettings& loggingSettings() {
    return current;
}

void setupLogging(const std::string& level, bool json) {
    const auto lvl = spdlog::level::from_str(level);
    if (lvl == spdlog::level::off && level != "off")
        throw std::invalid_argument("unknown log level '" + level +
                                    "' (trace, debug, info, warn, error, off)");
    auto logger = std::make_shared<spdlog::logger>(
        "saksi", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    if (json) {
        formatter->add_flag<JsonMessageFlag>('*').set_pattern(
            R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","message":%*})");
    } else {
        formatter->set_pattern("%H:%M:%S %^%l%$ %v");
    }
    logger->set_formatter(std::move(formatter));
    logger->set_level(lvl);
    spdlog::set_default_logger(logger);
    current = {level, json};
}

}  // namespace saksi
