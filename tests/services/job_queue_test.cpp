// The Redis job queue against a real Redis 7: a job goes to one worker, is
// pending until acknowledged, is taken over from a dead worker with its
// delivery counted, and becomes worker.poison after too many deliveries.
#include "job_queue.hpp"
#include "services_env.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <thread>

namespace saksi {
namespace {

class JobQueueTest : public ::testing::Test {
protected:
    void SetUp() override {
        url_ = testing::serviceUrl("SAKSI_TEST_REDIS");
        stream_ = std::string("test:") +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name() + ":" +
                  std::to_string(::getpid());
        RedisConnection(url_).command({"DEL", stream_, stream_ + ":dead"});
    }
    static InputItem item(const std::string& name) { return InputItem::file("/in/" + name); }
    std::string url_, stream_;
};

TEST_F(JobQueueTest, EachJobGoesToOneConsumerAndStaysPendingUntilAcked) {
    JobQueue q(url_, stream_);
    q.ensureGroup();
    q.ensureGroup();  // a second worker joining: no error
    q.add("id-a", item("a.png"));
    q.add("id-b", item("b.png"));
    EXPECT_EQ(q.counts().undelivered, 2u);

    const auto a = q.read("w1", 100);
    const auto b = q.read("w2", 100);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->documentId, "id-a");
    EXPECT_EQ(a->item.sourcePath, "/in/a.png");
    EXPECT_EQ(a->item.name, "a.png");
    EXPECT_EQ(b->documentId, "id-b");
    EXPECT_FALSE(q.read("w1", 100)) << "every job was delivered once";

    std::size_t mine = 0;
    EXPECT_EQ(q.pending("w1", &mine), 2u);
    EXPECT_EQ(mine, 1u);
    const QueueCounts c = q.counts();
    EXPECT_EQ(c.length, 2u);
    EXPECT_EQ(c.undelivered, 0u);
    EXPECT_EQ(c.pending, 2u);
    q.ack(a->entryId);
    q.ack(b->entryId);
    EXPECT_EQ(q.counts().pending, 0u);
}

TEST_F(JobQueueTest, ADeadConsumersJobIsTakenOverWithItsDeliveryCounted) {
    JobQueue q(url_, stream_);
    q.ensureGroup();
    q.add("id-a", item("a.png"));
    ASSERT_TRUE(q.read("dead", 100));
    EXPECT_FALSE(q.reclaim("alive", 60'000)) << "not idle long enough yet";
    ::usleep(50'000);
    const auto taken = q.reclaim("alive", 20);
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->documentId, "id-a");
    EXPECT_EQ(taken->deliveries, 2u);
    std::size_t mine = 0;
    q.pending("alive", &mine);
    EXPECT_EQ(mine, 1u);

    // A worker's heartbeat keeps its job from being taken over.
    ::usleep(50'000);
    q.touch("alive", {taken->entryId});
    EXPECT_FALSE(q.reclaim("other", 40));
}

TEST_F(JobQueueTest, QueueSourcePoisonsAJobDeliveredTooOftenAndAcksOnDone) {
    {
        JobQueue q(url_, stream_);
        q.ensureGroup();
        q.add("id-p", item("poison.pdf"));
        ASSERT_TRUE(q.read("killed-1", 100));  // delivery 1: its worker died
    }
    ::usleep(50'000);
    QueueSourceOptions o;
    o.url = url_;
    o.stream = stream_;
    o.consumer = "survivor";
    o.claimIdleSeconds = 0.02;
    o.maxDeliveries = 1;
    o.drain = true;
    QueueSource source(o);
    const auto poisoned = source.next();  // delivery 2 > 1
    ASSERT_TRUE(poisoned);
    ASSERT_TRUE(poisoned->error);
    EXPECT_EQ(poisoned->error->code, "worker.poison");
    EXPECT_EQ(poisoned->sourcePath, "/in/poison.pdf");
    EXPECT_EQ(source.poisoned(), 1u);

    RedisConnection redis(url_);
    const RedisValue dead = redis.command({"XRANGE", stream_ + ":dead", "-", "+"});
    ASSERT_EQ(dead.elements.size(), 1u);
    const RedisValue& fields = dead.elements[0].elements[1];
    bool hasId = false;
    for (std::size_t i = 0; i + 1 < fields.elements.size(); i += 2)
        hasId |= fields.elements[i].text == "id" && fields.elements[i + 1].text == "id-p";
    EXPECT_TRUE(hasId);

    JobQueue q(url_, stream_);
    EXPECT_EQ(q.counts().pending, 1u) << "not acknowledged before its outcome is durable";
    source.done(*poisoned);
    EXPECT_EQ(q.counts().pending, 0u);
    EXPECT_FALSE(source.next()) << "drain: nothing left";
}

TEST_F(JobQueueTest, QueueSourceHoldsNoMoreJobsThanItCanStart) {
    JobQueue q(url_, stream_);
    q.ensureGroup();
    q.add("id-1", item("1.png"));
    q.add("id-2", item("2.png"));
    QueueSourceOptions o;
    o.url = url_;
    o.stream = stream_;
    o.consumer = "w";
    o.maxHeld = 1;
    QueueSource source(o);
    const auto first = source.next();
    ASSERT_TRUE(first);
    std::atomic<bool> returned{false};
    std::optional<InputItem> second;
    std::thread t([&] {
        second = source.next();
        returned = true;
    });
    ::usleep(300'000);
    EXPECT_FALSE(returned) << "took a second job while the first was held";
    EXPECT_EQ(q.counts().undelivered, 1u) << "the second job must stay for other workers";
    source.done(*first);
    t.join();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->name, "2.png");
    source.done(*second);
    EXPECT_EQ(q.counts().pending, 0u);
}

TEST_F(JobQueueTest, StopFlagEndsNext) {
    QueueSourceOptions o;
    o.url = url_;
    o.stream = stream_;
    o.consumer = "w";
    volatile std::sig_atomic_t stop = 1;
    o.stop = &stop;
    QueueSource source(o);
    EXPECT_FALSE(source.next());
}

TEST(RedisConnectionTest, RejectsBadUrls) {
    EXPECT_THROW(RedisConnection("http://127.0.0.1:6379"), RedisError);
    EXPECT_THROW(RedisConnection("redis://127.0.0.1:port"), RedisError);
    EXPECT_THROW(RedisConnection("redis://127.0.0.1:1"), RedisError);  // nothing listens
}

}  // namespace
}  // namespace saksi
