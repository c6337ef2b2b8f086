#include "progress.hpp"

#include <spdlog/sinks/sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace saksi::cli {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kLineInterval{500};
constexpr std::chrono::milliseconds kLogInterval{10000};

// A hidden knob so tests need not wait 10 s for a log line.
std::chrono::milliseconds logInterval() {
    if (const char* env = std::getenv("SAKSI_PROGRESS_INTERVAL_MS")) {
        char* end = nullptr;
        const unsigned long ms = std::strtoul(env, &end, 10);
        if (end != env && *end == '\0' && ms > 0) return std::chrono::milliseconds(ms);
    }
    return kLogInterval;
}

std::string duration(double seconds) {
    const long s = std::lround(seconds);
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, s % 3600 / 60);
    else if (s >= 60)
        std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lds", s);
    return buf;
}

}  // namespace

// Wraps a log sink so a log line first erases the progress line and then
// draws it again below itself.
class LineClearingSink : public spdlog::sinks::sink {
public:
    LineClearingSink(spdlog::sink_ptr inner, Progress& progress)
        : inner_(std::move(inner)), progress_(progress) {}
    void log(const spdlog::details::log_msg& msg) override {
        std::lock_guard lock(progress_.outMu_);
        const bool shown = progress_.lineShown_;
        if (shown) progress_.clearLine();
        inner_->log(msg);
        inner_->flush();
        if (shown) progress_.drawLine();
    }
    void flush() override { inner_->flush(); }
    void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
    void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
        inner_->set_formatter(std::move(formatter));
    }

private:
    spdlog::sink_ptr inner_;
    Progress& progress_;
};

Progress::Style Progress::styleFor(bool logJson) {
    return !logJson && ::isatty(STDERR_FILENO) ? Style::Line : Style::Log;
}

Progress::Progress(Style style, std::size_t total) : style_(style), total_(total) {
    if (style_ == Style::Line) {
        auto& sinks = spdlog::default_logger()->sinks();
        originalSinks_ = sinks;
        for (auto& sink : sinks) {
            auto wrapped = std::make_shared<LineClearingSink>(sink, *this);
            wrapped->set_level(sink->level());
            sink = std::move(wrapped);
        }
        std::lock_guard lock(outMu_);
        drawLine();
    }
    ticker_ = std::thread([this] {
        const auto interval = style_ == Style::Line ? kLineInterval : logInterval();
        std::unique_lock lock(tickMu_);
        while (!tickCv_.wait_for(lock, interval, [this] { return stop_; })) {
            lock.unlock();
            tick();
            lock.lock();
        }
    });
}

Progress::~Progress() {
    {
        std::lock_guard lock(tickMu_);
        stop_ = true;
    }
    tickCv_.notify_all();
    ticker_.join();
    if (style_ == Style::Line) {
        std::lock_guard lock(outMu_);
        if (lineShown_) clearLine();
        spdlog::default_logger()->sinks() = originalSinks_;
    }
}

void Progress::add(const Outcome& outcome) {
    std::lock_guard lock(mu_);
    ++done_;
    if (outcome.skipped || outcome.duplicate) ++skipped_;
    if (outcome.skipped || outcome.duplicate) return;
    if (outcome.status == "failed") ++failed_;
    if (outcome.status == "partial") ++partial_;
    pages_ += outcome.pages;
}

std::string Progress::text() {
    std::lock_guard lock(mu_);
    const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    std::string t;
    if (total_)
        t = std::to_string(done_) + "/" + std::to_string(total_) + " files";
    else
        t = std::to_string(done_) + " done";
    if (skipped_) t += " (" + std::to_string(skipped_) + " skipped)";
    t += ", " + std::to_string(pages_) + " pages";
    // A watched folder idles between files: no rate, no end.
    if (total_) {
        char rate[32];
        std::snprintf(rate, sizeof rate, ", %.2f pages/s",
                      seconds > 0 ? double(pages_) / seconds : 0.0);
        t += rate;
        const std::size_t left = total_ > done_ ? total_ - done_ : 0;
        t += ", ETA " +
             (done_ == 0 ? std::string("--") : duration(seconds / double(done_) * double(left)));
    }
    t += ", " + std::to_string(failed_) + " failed";
    if (partial_) t += ", " + std::to_string(partial_) + " partial";
    return t;
}

void Progress::tick() {
    if (style_ == Style::Line) {
        std::lock_guard lock(outMu_);
        drawLine();
        return;
    }
    {
        // A watched folder logs only when something happened.
        std::lock_guard lock(mu_);
        if (total_ == 0 && done_ == lastLogged_) return;
        lastLogged_ = done_;
    }
    spdlog::info("progress: {}", text());
}

void Progress::drawLine() {
    const std::string line = "\r\033[K" + text();
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
    lineShown_ = true;
}

void Progress::clearLine() {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    lineShown_ = false;
}

void printSummary(const RunSummary& s, const std::filesystem::path& out) {
    std::printf("%zu documents in %.1f s: %zu ok, %zu partial, %zu failed", s.documents(),
                s.seconds, s.ok, s.partial, s.failed);
    if (s.skipped) std::printf(", %zu skipped (already done)", s.skipped);
    if (s.duplicates) std::printf(", %zu duplicates skipped", s.duplicates);
    std::printf("; %zu pages, %.2f pages/s\n", s.pages,
                s.seconds > 0 ? double(s.pages) / s.seconds : 0.0);
    if (!s.errorCodes.empty()) {
        std::vector<std::pair<std::size_t, std::string>> top;
        for (const auto& [code, n] : s.errorCodes) top.emplace_back(n, code);
        std::sort(top.rbegin(), top.rend());
        std::printf("errors:");
        for (std::size_t i = 0; i < top.size() && i < 5; ++i)
            std::printf(" %s x%zu", top[i].second.c_str(), top[i].first);
        std::printf("\n");
    }
    std::printf("records in %s\n", std::filesystem::absolute(out).lexically_normal().c_str());
}

}  // namespace saksi::cli
