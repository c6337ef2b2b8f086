#include "job_queue.hpp"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace saksi {
namespace {

RedisValue copyReply(const redisReply* r) {
    RedisValue v;
    switch (r->type) {
        case REDIS_REPLY_INTEGER:
            v.type = RedisValue::Type::Integer;
            v.integer = r->integer;
            break;
        case REDIS_REPLY_STRING:
        case REDIS_REPLY_STATUS:
            v.type =
                r->type == REDIS_REPLY_STRING ? RedisValue::Type::String : RedisValue::Type::Status;
            v.text.assign(r->str, r->len);
            break;
        case REDIS_REPLY_ARRAY:
            v.type = RedisValue::Type::Array;
            for (std::size_t i = 0; i < r->elements; ++i)
                v.elements.push_back(copyReply(r->element[i]));
            break;
        default:
            break;
    }
    return v;
}

struct timeval toTimeval(double seconds) {
    struct timeval tv {};
    tv.tv_sec = static_cast<time_t>(seconds);
    tv.tv_usec = static_cast<suseconds_t>((seconds - std::floor(seconds)) * 1e6);
    return tv;
}

// A flat [field, value, ...] array as text pairs.
std::string field(const RedisValue& fields, const std::string& name) {
    for (std::size_t i = 0; i + 1 < fields.elements.size(); i += 2)
        if (fields.elements[i].text == name) return fields.elements[i + 1].text;
    return "";
}

}  // namespace

RedisConnection::RedisConnection(const std::string& url) {
    constexpr std::string_view scheme = "redis://";
    if (!url.starts_with(scheme))
        throw RedisError("queue URL must start with redis://, got '" + url + "'");
    std::string rest = url.substr(scheme.size());
    if (const auto slash = rest.find('/'); slash != std::string::npos) {
        const std::string db = rest.substr(slash + 1);
        rest.resize(slash);
        if (!db.empty()) {
            try {
                db_ = std::stoi(db);
            } catch (const std::exception&) {
                throw RedisError("queue URL '" + url + "': database must be a number");
            }
        }
    }
    if (const auto at = rest.rfind('@'); at != std::string::npos) {
        const std::string auth = rest.substr(0, at);
        password_ = auth.starts_with(":") ? auth.substr(1) : auth;
        rest = rest.substr(at + 1);
    }
    host_ = rest;
    if (const auto colon = rest.rfind(':'); colon != std::string::npos) {
        host_ = rest.substr(0, colon);
        try {
            port_ = std::stoi(rest.substr(colon + 1));
        } catch (const std::exception&) {
            throw RedisError("queue URL '" + url + "': port must be a number");
        }
    }
    if (host_.empty()) throw RedisError("queue URL '" + url + "' has no host");
    connect();
}

RedisConnection::~RedisConnection() {
    if (ctx_) redisFree(ctx_);
}

void RedisConnection::connect() {
    if (ctx_) redisFree(ctx_);
    ctx_ = redisConnectWithTimeout(host_.c_str(), port_, toTimeval(5));
    const std::string where = host_ + ":" + std::to_string(port_);
    if (!ctx_) throw RedisError("cannot connect to Redis at " + where + ": out of memory");
    if (ctx_->err) {
        const std::string message = ctx_->errstr;
        redisFree(ctx_);
        ctx_ = nullptr;
        throw RedisError("cannot connect to Redis at " + where + ": " + message);
    }
    redisSetTimeout(ctx_, toTimeval(timeout_));
    if (!password_.empty()) command({"AUTH", password_});
    if (db_ != 0) command({"SELECT", std::to_string(db_)});
}

void RedisConnection::setTimeout(double seconds) {
    timeout_ = seconds;
    if (ctx_) redisSetTimeout(ctx_, toTimeval(seconds));
}

RedisValue RedisConnection::command(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& a : args) {
        argv.push_back(a.data());
        lengths.push_back(a.size());
    }
    for (int attempt = 0;; ++attempt) {
        if (!ctx_) connect();
        auto* reply = static_cast<redisReply*>(
            redisCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(), lengths.data()));
        if (!reply) {
            const std::string message = ctx_->errstr;
            redisFree(ctx_);
            ctx_ = nullptr;
            if (attempt > 0)
                throw RedisError("Redis at " + host_ + ":" + std::to_string(port_) + ": " +
                                 message);
            continue;
        }
        std::unique_ptr<redisReply, void (*)(void*)> owned(reply, freeReplyObject);
        if (reply->type == REDIS_REPLY_ERROR)
            throw RedisError(args[0] + ": " + std::string(reply->str, reply->len));
        return copyReply(reply);
    }
}

JobQueue::JobQueue(const std::string& url, std::string stream)
    : redis_(url), stream_(std::move(stream)) {
}

std::string JobQueue::add(const std::string& documentId, const InputItem& item) {
    return redis_.command({"XADD", stream_, "*", "id", documentId, "item", item.toJson().dump()})
        .text;
}

void JobQueue::ensureGroup() {
    try {
        redis_.command({"XGROUP", "CREATE", stream_, kGroup, "0", "MKSTREAM"});
    } catch (const RedisError& e) {
        if (std::string(e.what()).find("BUSYGROUP") == std::string::npos) throw;
    }
}

std::optional<QueueJob> JobQueue::parseEntry(const RedisValue& entry) const {
    // [id, [field, value, ...]]; a deleted entry's fields are nil.
    if (entry.elements.size() < 2 || entry.elements[1].nil()) return std::nullopt;
    QueueJob job;
    job.entryId = entry.elements[0].text;
    job.documentId = field(entry.elements[1], "id");
    job.item = InputItem::fromJson(nlohmann::json::parse(field(entry.elements[1], "item")));
    return job;
}

std::optional<QueueJob> JobQueue::read(const std::string& consumer, int blockMs) {
    redis_.setTimeout(blockMs / 1000.0 + 10);
    const RedisValue r =
        redis_.command({"XREADGROUP", "GROUP", kGroup, consumer, "COUNT", "1", "BLOCK",
                        std::to_string(blockMs), "STREAMS", stream_, ">"});
    // [[stream, [[id, fields], ...]]] or nil when nothing came.
    if (r.nil() || r.elements.empty() || r.elements[0].elements.size() < 2) return std::nullopt;
    const RedisValue& entries = r.elements[0].elements[1];
    if (entries.elements.empty()) return std::nullopt;
    return parseEntry(entries.elements[0]);
}

std::optional<QueueJob> JobQueue::reclaim(const std::string& consumer, long long minIdleMs) {
    for (;;) {
        // [next cursor, [[id, fields], ...], [deleted ids]]
        const RedisValue r =
            redis_.command({"XAUTOCLAIM", stream_, kGroup, consumer, std::to_string(minIdleMs),
                            claimCursor_, "COUNT", "1"});
        claimCursor_ = r.elements.at(0).text;
        const RedisValue& entries = r.elements.at(1);
        for (const RedisValue& entry : entries.elements) {
            auto job = parseEntry(entry);
            if (!job) continue;
            const RedisValue p = redis_.command(
                {"XPENDING", stream_, kGroup, job->entryId, job->entryId, "1", consumer});
            if (!p.elements.empty() && p.elements[0].elements.size() >= 4)
                job->deliveries = static_cast<std::size_t>(p.elements[0].elements[3].integer);
            return job;
        }
        if (claimCursor_ == "0-0") return std::nullopt;  // scanned the whole pending list
    }
}

void JobQueue::touch(const std::string& consumer, const std::vector<std::string>& entryIds) {
    if (entryIds.empty()) return;
    std::vector<std::string> args = {"XCLAIM", stream_, kGroup, consumer, "0"};
    args.insert(args.end(), entryIds.begin(), entryIds.end());
    args.emplace_back("JUSTID");
    redis_.command(args);
}

void JobQueue::ack(const std::string& entryId) {
    redis_.command({"XACK", stream_, kGroup, entryId});
}

void JobQueue::deadLetter(const QueueJob& job, const std::string& reason) {
    redis_.command({"XADD", deadLetterStream(), "*", "id", job.documentId, "item",
                    job.item.toJson().dump(), "entry", job.entryId, "deliveries",
                    std::to_string(job.deliveries), "reason", reason});
}

std::size_t JobQueue::pending(const std::string& consumer, std::size_t* mine) {
    // [count, min id, max id, [[consumer, count], ...]]
    const RedisValue r = redis_.command({"XPENDING", stream_, kGroup});
    if (mine) {
        *mine = 0;
        if (r.elements.size() >= 4)
            for (const RedisValue& c : r.elements[3].elements)
                if (c.elements.size() >= 2 && c.elements[0].text == consumer)
                    *mine = std::stoul(c.elements[1].text);
    }
    return r.elements.empty() ? 0 : static_cast<std::size_t>(r.elements[0].integer);
}

QueueCounts JobQueue::counts() {
    QueueCounts c;
    c.length = static_cast<std::size_t>(redis_.command({"XLEN", stream_}).integer);
    c.undelivered = c.length;
    if (redis_.command({"EXISTS", stream_}).integer == 0) return c;
    // Flat [name, value, ...] per group; "lag" (Redis 7) is nil when unknown.
    for (const RedisValue& group : redis_.command({"XINFO", "GROUPS", stream_}).elements) {
        if (field(group, "name") != kGroup) continue;
        for (std::size_t i = 0; i + 1 < group.elements.size(); i += 2) {
            const std::string& key = group.elements[i].text;
            const RedisValue& value = group.elements[i + 1];
            if (key == "pending") c.pending = static_cast<std::size_t>(value.integer);
            if (key == "lag")
                c.undelivered = value.nil() ? c.length : static_cast<std::size_t>(value.integer);
        }
    }
    return c;
}

void JobQueue::leave(const std::string& consumer) {
    std::size_t mine = 0;
    pending(consumer, &mine);
    if (mine == 0) redis_.command({"XGROUP", "DELCONSUMER", stream_, kGroup, consumer});
}

}  // namespace saksi

namespace saksi {

QueueSource::QueueSource(QueueSourceOptions options)
    : options_(std::move(options)),
      reader_(options_.url, options_.stream),
      writer_(options_.url, options_.stream) {
    writer_.ensureGroup();
    heartbeat_ = std::thread([this] { heartbeat(); });
}

QueueSource::~QueueSource() {
    {
        std::lock_guard lock(writerMu_);
        stopHeartbeat_ = true;
    }
    heartbeatCv_.notify_all();
    heartbeat_.join();
}

std::optional<InputItem> QueueSource::next() {
    using Clock = std::chrono::steady_clock;
    const auto claimIdle = std::chrono::duration<double>(options_.claimIdleSeconds);
    // How often to look for a dead worker's jobs while none are found.
    const auto claimEvery = std::chrono::duration_cast<Clock::duration>(std::clamp(
        claimIdle / 2, std::chrono::duration<double>(0.1), std::chrono::duration<double>(5.0)));
    while (!stopping()) {
        if (options_.maxHeld) {
            std::unique_lock lock(writerMu_);
            if (inFlight_.size() >= options_.maxHeld) {
                doneCv_.wait_for(lock, std::chrono::milliseconds(200));
                continue;
            }
        }
        std::optional<QueueJob> job;
        if (Clock::now() >= nextClaim_) {
            job = reader_.reclaim(
                options_.consumer,
                std::chrono::duration_cast<std::chrono::milliseconds>(claimIdle).count());
            if (job) {
                ++reclaimed_;
            } else {
                nextClaim_ = Clock::now() + claimEvery;
            }
        }
        if (!job) job = reader_.read(options_.consumer, 500);
        if (!job) {
            if (!options_.drain) continue;
            std::size_t mine = 0;
            const std::size_t all = reader_.pending(options_.consumer, &mine);
            // Nothing undelivered, and nothing another worker could still drop.
            if (all == mine) return std::nullopt;
            continue;
        }
        if (job->deliveries > options_.maxDeliveries) {
            const std::string reason = "delivered " + std::to_string(job->deliveries) +
                                       " times; every worker that took it stopped without an "
                                       "outcome (killed or crashed)";
            {
                std::lock_guard lock(writerMu_);
                writer_.deadLetter(*job, reason);
            }
            ++poisoned_;
            job->item.error = IntakeError{"worker.poison", "Not processed: " + reason +
                                                               ". Moved to Redis stream " +
                                                               writer_.deadLetterStream() + "."};
        }
        std::lock_guard lock(writerMu_);
        inFlight_.emplace(job->item.key(), job->entryId);
        return std::move(job->item);
    }
    return std::nullopt;
}

void QueueSource::done(const InputItem& item) {
    std::lock_guard lock(writerMu_);
    const auto it = inFlight_.find(item.key());
    if (it == inFlight_.end()) return;
    const std::string entryId = it->second;
    inFlight_.erase(it);
    doneCv_.notify_all();
    writer_.ack(entryId);
}

void QueueSource::leave() {
    std::lock_guard lock(writerMu_);
    writer_.leave(options_.consumer);
}

void QueueSource::heartbeat() {
    const auto every = std::chrono::duration<double>(std::max(0.1, options_.claimIdleSeconds / 3));
    std::unique_lock lock(writerMu_);
    while (!stopHeartbeat_) {
        heartbeatCv_.wait_for(lock, every, [&] { return stopHeartbeat_.load(); });
        if (stopHeartbeat_ || inFlight_.empty()) continue;
        std::vector<std::string> ids;
        for (const auto& [key, id] : inFlight_) ids.push_back(id);
        try {
            writer_.touch(options_.consumer, ids);
        } catch (const std::exception&) {
            // Redis unreachable for a moment: the next beat tries again.
        }
    }
}

}  // namespace saksi
