// Distributed runs: one job per document in a Redis 7 stream, taken by
// workers through a consumer group (XREADGROUP), acknowledged (XACK) once
// its outcome is durable, reclaimed from dead workers (XAUTOCLAIM), and
// moved to a dead-letter stream when it keeps killing workers.
#pragma once

#include "intake.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

struct redisContext;

namespace saksi {

// A Redis error reply or a lost connection.
class RedisError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A reply, copied out of hiredis.
struct RedisValue {
    enum class Type { Nil, Integer, String, Array, Status };
    Type type = Type::Nil;
    long long integer = 0;
    std::string text;  // String and Status
    std::vector<RedisValue> elements;

    bool nil() const { return type == Type::Nil; }
};

// One synchronous connection (not thread-safe: one per thread, or a lock).
class RedisConnection {
public:
    // redis://[:PASSWORD@]HOST[:PORT][/DB]; PORT defaults to 6379.
    explicit RedisConnection(const std::string& url);
    RedisConnection(const RedisConnection&) = delete;
    RedisConnection& operator=(const RedisConnection&) = delete;
    ~RedisConnection();

    // Runs one command; throws RedisError for an error reply (its text) or a
    // broken connection (after reconnecting once and retrying).
    RedisValue command(const std::vector<std::string>& args);
    // Seconds a command may take (a blocking read's BLOCK plus a margin).
    void setTimeout(double seconds);

private:
    void connect();
    std::string host_, password_;
    int port_ = 6379, db_ = 0;
    double timeout_ = 10;
    redisContext* ctx_ = nullptr;
};

// A job: the stream entry, the document's id (content hash) and its item.
struct QueueJob {
    std::string entryId;  // stream entry id, e.g. "1700000000000-0"
    std::string documentId;
    InputItem item;
    std::size_t deliveries = 1;  // times the group has delivered it
};

// What `saksi status` shows from the stream.
struct QueueCounts {
    std::size_t length = 0;       // entries in the stream
    std::size_t undelivered = 0;  // not yet delivered to the group
    std::size_t pending = 0;      // delivered, not acknowledged
};

class JobQueue {
public:
    static constexpr const char* kDefaultStream = "saksi:jobs";
    static constexpr const char* kGroup = "saksi-workers";

    JobQueue(const std::string& url, std::string stream);

    const std::string& stream() const { return stream_; }
    std::string deadLetterStream() const { return stream_ + ":dead"; }

    // XADD: one job; returns its entry id.
    std::string add(const std::string& documentId, const InputItem& item);
    // Creates the consumer group (reading from the stream's start) when missing.
    void ensureGroup();
    // XREADGROUP: the next job never delivered, waiting up to blockMs.
    std::optional<QueueJob> read(const std::string& consumer, int blockMs);
    // XAUTOCLAIM: one job pending longer than minIdleMs (its worker died),
    // now this consumer's, with its delivery count.
    std::optional<QueueJob> reclaim(const std::string& consumer, long long minIdleMs);
    // XCLAIM ... JUSTID: resets the idle time of jobs this worker is still
    // working on, so others do not reclaim them (no delivery counted).
    void touch(const std::string& consumer, const std::vector<std::string>& entryIds);
    // XACK.
    void ack(const std::string& entryId);
    // XADD to the dead-letter stream (the job's fields plus the reason).
    void deadLetter(const QueueJob& job, const std::string& reason);
    // Pending entries of the group (all, and this consumer's).
    std::size_t pending(const std::string& consumer, std::size_t* mine = nullptr);
    QueueCounts counts();
    // XGROUP DELCONSUMER when the consumer has nothing pending.
    void leave(const std::string& consumer);

private:
    std::optional<QueueJob> parseEntry(const RedisValue& entry) const;
    RedisConnection redis_;
    std::string stream_;
    std::string claimCursor_ = "0-0";
};

struct QueueSourceOptions {
    std::string url;
    std::string stream = JobQueue::kDefaultStream;
    std::string consumer;           // this worker's name in the group
    double claimIdleSeconds = 60;   // reclaim jobs idle this long (their worker died)
    std::size_t maxDeliveries = 3;  // a job delivered more often is poison
    bool drain = false;             // stop once nothing is left to deliver or reclaim
    // Jobs held at once (taken, not yet done()); 0: no limit. A worker takes
    // a job only when a thread can start it, so no job waits in one worker
    // while another is idle.
    std::size_t maxHeld = 0;
    const volatile std::sig_atomic_t* stop = nullptr;  // set (by SIGTERM): stop reading
};

// A worker's input: jobs from the consumer group, first any a dead worker
// left (reclaimed after claimIdleSeconds), then new ones. A job delivered
// more than maxDeliveries times goes to the dead-letter stream and comes out
// as an item with IntakeError "worker.poison", so it gets a failure record
// instead of another worker killed. While a job is in flight its idle time
// is reset (a heartbeat), so only dead workers' jobs are reclaimed.
class QueueSource : public InputSource {
public:
    explicit QueueSource(QueueSourceOptions options);
    QueueSource(const QueueSource&) = delete;
    QueueSource& operator=(const QueueSource&) = delete;
    ~QueueSource() override;

    std::optional<InputItem> next() override;
    void cancel() override { cancelled_ = true; }

    // Acknowledges the job of an item next() returned, once its outcome is
    // durable. Thread-safe.
    void done(const InputItem& item);
    // Leaves the group when nothing of this worker is pending.
    void leave();

    std::size_t reclaimed() const { return reclaimed_; }
    std::size_t poisoned() const { return poisoned_; }

private:
    bool stopping() const { return cancelled_ || (options_.stop && *options_.stop); }
    void heartbeat();

    QueueSourceOptions options_;
    JobQueue reader_;  // next() only (blocking reads)
    std::mutex writerMu_;
    JobQueue writer_;                                   // acks, heartbeat, dead letters
    std::multimap<std::string, std::string> inFlight_;  // item JSON -> entry id; writerMu_
    std::atomic<bool> cancelled_{false}, stopHeartbeat_{false};
    std::atomic<std::size_t> reclaimed_{0}, poisoned_{0};
    std::chrono::steady_clock::time_point nextClaim_{};
    std::condition_variable heartbeatCv_;
    std::condition_variable doneCv_;  // a job done(): room to hold another
    std::thread heartbeat_;
};

}  // namespace saksi
