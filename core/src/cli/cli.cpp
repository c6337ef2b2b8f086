#include "cli.hpp"

#include "logging.hpp"
#include "paths.hpp"
#include "pipeline.hpp"
#include "settings.hpp"

#include <iostream>

namespace saksi::cli {

namespace {

po::options_description commonOptions() {
    po::options_description common("Common options");
    common.add_options()("help,h", "show this help")(
        "plugin-path", po::value<std::vector<std::string>>()->composing(),
        "also load plugins from DIR (repeatable)")(
        "log-level", po::value<std::string>()->default_value("info"),
        "trace, debug, info, warn, error or off")("log-json", "log JSON lines to stderr");
    return common;
}

}  // namespace

int usageError(const std::string& command, const std::string& message) {
    std::cerr << "saksi " << command << ": " << message << "\nTry `saksi " << command
              << " --help`.\n";
    return kExitUsage;
}

int parse(int argc, char** argv, const std::string& command, po::options_description visible,
          const po::positional_options_description& positional, const char* usage, Context& ctx) {
    visible.add(commonOptions());
    try {
        po::store(po::command_line_parser(argc, argv).options(visible).positional(positional).run(),
                  ctx.vm);
        if (ctx.vm.count("help")) {
            std::cout << usage << "\n" << visible << "\n";
            return kExitOk;
        }
        po::notify(ctx.vm);
        setupLogging(ctx.vm["log-level"].as<std::string>(), ctx.vm.count("log-json") > 0);
    } catch (const std::exception& e) {
        return usageError(command, e.what());
    }
    // Plugin folders in order: built-in, saksi.toml's plugin_paths, then
    // --plugin-path. A stage id already loaded is refused, so built-ins win.
    ctx.host.loadDirectory(builtinPluginDir());
    try {
        ctx.settings = loadSettings(settingsFile());
        for (const auto& dir : ctx.settings.pluginPaths) ctx.host.loadDirectory(dir);
    } catch (const ConfigError& e) {
        std::cerr << "saksi " << command << ": " << e.what() << "\n";
        return kExitUsage;
    }
    if (ctx.vm.count("plugin-path"))
        for (const auto& dir : ctx.vm["plugin-path"].as<std::vector<std::string>>())
            ctx.host.loadDirectory(dir);
    return -1;
}

}  // namespace saksi::cli
