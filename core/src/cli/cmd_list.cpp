// saksi plugins, saksi pipelines: what is loaded and what can run.
#include "cli.hpp"
#include "paths.hpp"
#include "pipeline.hpp"
#include "settings.hpp"

#include <cstdio>

namespace saksi::cli {

int cmdPlugins(int argc, char** argv) {
    Context ctx;
    const char* usage =
        "Usage: saksi plugins [--plugin-path DIR]...\n\n"
        "Lists the loaded plugins with their versions and stages, and each refused\n"
        "library with the reason. Plugins load from ";
    const std::string fullUsage = std::string(usage) + builtinPluginDir().string() +
                                  ", then the folders in " + settingsFile().string() +
                                  " (plugin_paths), then each --plugin-path.";
    if (int rc = parse(argc, argv, "plugins", po::options_description("Options for plugins"), {},
                       fullUsage.c_str(), ctx);
        rc >= 0)
        return rc;
    std::printf("loaded:\n");
    for (const auto& plugin : ctx.host.plugins()) {
        std::printf("  %s %s  %s\n", plugin->name.c_str(), plugin->version.c_str(),
                    plugin->path.c_str());
        for (const auto& stage : plugin->stages) {
            std::string media;
            for (const auto& m : stage.mediaTypes) media += (media.empty() ? "" : ",") + m;
            std::printf(
                "    %-24s %s/%s%s%s\n", stage.id.c_str(), std::string(stage.kindName()).c_str(),
                std::string(stage.scopeName()).c_str(), media.empty() ? "" : ("  " + media).c_str(),
                stage.description.empty() ? "" : ("  - " + stage.description).c_str());
        }
    }
    if (ctx.host.refused().empty()) {
        std::printf("refused: none\n");
    } else {
        std::printf("refused:\n");
        for (const auto& r : ctx.host.refused())
            std::printf("  %s: %s\n", r.path.c_str(), r.reason.c_str());
    }
    return kExitOk;
}

int cmdPipelines(int argc, char** argv) {
    Context ctx;
    const std::string usage =
        "Usage: saksi pipelines [--plugin-path DIR]...\n\n"
        "Lists the pipelines in " +
        pipelineDir().string() + " and their stages.";
    if (int rc = parse(argc, argv, "pipelines", po::options_description("Options for pipelines"),
                       {}, usage.c_str(), ctx);
        rc >= 0)
        return rc;
    int status = kExitOk;
    for (const auto& file : listPipelineFiles(pipelineDir())) {
        try {
            const Pipeline p = loadPipeline(file, ctx.host);
            std::printf("%s  %s\n", p.name.c_str(), file.c_str());
            if (!p.description.empty()) std::printf("  %s\n", p.description.c_str());
            std::string stages;
            for (const auto& s : p.stages) stages += (stages.empty() ? "" : ", ") + s.def->id;
            std::printf("  stages: %s\n", stages.c_str());
        } catch (const ConfigError& e) {
            std::printf("%s  invalid: %s\n", file.stem().c_str(), e.what());
            status = kExitUsage;
        }
    }
    return status;
}

}  // namespace saksi::cli
