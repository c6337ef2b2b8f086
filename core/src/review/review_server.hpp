// `saksi review DIR`: a local web app over an output folder, where a clerk
// sees each document with what was found and corrects it under custody
// (docs/review.md). The server (cpp-httplib) answers only requests that
// carry its token; every correction goes through one write path.
#pragma once

#include "plugin_host.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace saksi::review {

struct ReviewOptions {
    std::filesystem::path outDir;
    std::string bind = "127.0.0.1";
    int port = 0;          // 0: any free port
    std::string reviewer;  // who the revisions name
    std::string pipeline;  // overrides the pipeline the records name; empty: theirs
    std::string token;     // empty: a random one
};

class ReviewServer {
public:
    ReviewServer(const PluginHost& host, ReviewOptions options);
    ~ReviewServer();
    ReviewServer(const ReviewServer&) = delete;
    ReviewServer& operator=(const ReviewServer&) = delete;

    // Binds the address; returns the port. Throws std::runtime_error.
    int bind();
    // "http://HOST:PORT/?token=TOKEN".
    std::string url() const;
    // Serves until stop() (from another thread).
    void run();
    void stop();

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace saksi::review
