// What a run tells its operator while it goes (a progress line or periodic
// log lines, from each durable outcome) and when it ends (the summary).
#pragma once

#include "engine.hpp"

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/common.h>

namespace saksi::cli {

class Progress {
public:
    enum class Style {
        Line,  // one line on stderr, redrawn in place twice a second (a terminal)
        Log,   // an info log line every interval (10 s; SAKSI_PROGRESS_INTERVAL_MS)
    };
    // Line when stderr is a terminal and logs are for people, else Log.
    static Style styleFor(bool logJson);

    // `total`: the documents expected, 0 when unknown (a watched folder: a
    // log line then only comes when something changed). Starts a ticker
    // thread; Line style also routes log lines around the progress line.
    Progress(Style style, std::size_t total);
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;
    // Stops the ticker; Line style clears its line.
    ~Progress();

    // Counts one outcome. Thread-safe (called from RunOptions::onOutcome).
    void add(const Outcome& outcome);

private:
    friend class LineClearingSink;
    std::string text();
    void tick();
    // Line style, with outMu_ held.
    void drawLine();
    void clearLine();

    const Style style_;
    const std::size_t total_;
    const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();

    std::mutex mu_;  // counts
    std::size_t done_ = 0, skipped_ = 0, failed_ = 0, partial_ = 0, pages_ = 0;
    std::size_t lastLogged_ = 0;

    std::mutex outMu_;  // stderr, for the line and the log lines around it
    bool lineShown_ = false;
    std::vector<spdlog::sink_ptr> originalSinks_;

    std::mutex tickMu_;
    std::condition_variable tickCv_;
    bool stop_ = false;
    std::thread ticker_;
};

// The end-of-run summary on stdout (counts, pages/s, top error codes, where
// the records are).
void printSummary(const RunSummary& summary, const std::filesystem::path& out);

}  // namespace saksi::cli
