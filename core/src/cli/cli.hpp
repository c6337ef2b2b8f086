// What every saksi command shares: exit codes, common options (plugins,
// logging) and option parsing. Each command lives in its own cmd_*.cpp.
#pragma once

#include "plugin_host.hpp"
#include "settings.hpp"

#include <boost/program_options.hpp>

namespace saksi::cli {

namespace po = boost::program_options;

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitDocumentsFailed = 3;

struct Context {
    po::variables_map vm;
    PluginHost host;
    Settings settings;  // saksi.toml (settingsFile())
};

// Parses a command's options (plus the common ones) and loads the plugins;
// returns an exit code when the command is done (help printed or usage
// error), or -1 to go on.
int parse(int argc, char** argv, const std::string& command, po::options_description visible,
          const po::positional_options_description& positional, const char* usage, Context& ctx);

// Prints "saksi COMMAND: MESSAGE" and the pointer to --help on stderr;
// returns kExitUsage.
int usageError(const std::string& command, const std::string& message);

// The commands; argv[0] is the command word.
int cmdProcess(int argc, char** argv);
int cmdWatch(int argc, char** argv);
int cmdVerify(int argc, char** argv);
int cmdPlugins(int argc, char** argv);
int cmdPipelines(int argc, char** argv);
int cmdEnqueue(int argc, char** argv);
int cmdWorker(int argc, char** argv);
int cmdStatus(int argc, char** argv);
int cmdExport(int argc, char** argv);
int cmdCase(int argc, char** argv);

}  // namespace saksi::cli
