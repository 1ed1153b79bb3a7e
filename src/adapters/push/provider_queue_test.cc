// The provider queue with a scripted provider: what is retried, what is
// given up, what is forgotten, and that a full queue refuses at once.
#include "adapters/push/provider_queue.h"

#include <deque>

#include <gtest/gtest.h>

#include "testing/fakes.h"

namespace twostep::push {
namespace {

using K = SendOutcome::Kind;

// Answers with the scripted outcomes in order (then "delivered"); Send can
// be held until Release() to fill the queue behind it.
class ScriptedSender : public PushSender {
 public:
  explicit ScriptedSender(std::deque<SendOutcome> script) : script_(std::move(script)) {}
  std::string_view provider() const override { return "fcm"; }
  bool Serves(const std::string&) const override { return true; }
  void SetCredentials(std::shared_ptr<const PushCredentials>) override {}
  SendOutcome Send(const PushJob& job) override {
    std::unique_lock lock(mutex_);
    sent_.push_back(job.token);
    cv_.notify_all();
    cv_.wait(lock, [&] { return !held_; });
    if (script_.empty()) return {K::kDelivered, "sent", {}};
    auto out = script_.front();
    script_.pop_front();
    return out;
  }
  void Hold() { std::lock_guard lock(mutex_); held_ = true; }
  void Release() {
    std::lock_guard lock(mutex_);
    held_ = false;
    cv_.notify_all();
  }
  bool WaitSent(size_t n) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return sent_.size() >= n; });
  }
  std::vector<std::string> sent() {
    std::lock_guard lock(mutex_);
    return sent_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<SendOutcome> script_;
  std::vector<std::string> sent_;
  bool held_ = false;
};

struct Fixture {
  explicit Fixture(std::deque<SendOutcome> script, size_t limit = 100)
      : sender(std::move(script)),
        queue(sender, clock, counters, [this](const std::string& t) { forgotten.push_back(t); }, limit) {}
  PushJob Job(std::string token, seconds lives = seconds(600)) {
    PushMessage m;
    m.challenge_id = "chl_1";
    m.expires_at = clock.Now() + lives;
    return {"kasa", std::move(token), m};
  }
  testing::ManualClock clock;
  testing::RecordingCounters counters;
  std::vector<std::string> forgotten;  // written by the queue thread, read after WaitIdle
  ScriptedSender sender;
  ProviderQueue queue;
};

constexpr auto kWait = std::chrono::seconds(10);

TEST(ProviderQueueTest, DeliveredIsCountedWithItsLatency) {
  Fixture f({});
  f.queue.Enqueue(f.Job("t1"));
  ASSERT_TRUE(f.sender.WaitSent(1));
  ASSERT_TRUE(f.queue.WaitIdle(kWait));
  EXPECT_EQ(f.counters.Get("push_sent/fcm"), 1);
}

TEST(ProviderQueueTest, ARetryAfterIsHonouredThenTheSameTokenIsTriedAgain) {
  Fixture f({{K::kRetry, "rate_limited", seconds(0)}, {K::kRetry, "server_error", seconds(0)}});
  f.queue.Enqueue(f.Job("t1"));
  ASSERT_TRUE(f.sender.WaitSent(3));
  ASSERT_TRUE(f.queue.WaitIdle(kWait));
  EXPECT_EQ(f.sender.sent(), (std::vector<std::string>{"t1", "t1", "t1"}));
  EXPECT_EQ(f.counters.Get("push_fcm_failed/rate_limited"), 1);
  EXPECT_EQ(f.counters.Get("push_fcm_failed/server_error"), 1);
  EXPECT_EQ(f.counters.Get("push_sent/fcm"), 1);
}

TEST(ProviderQueueTest, NoRetryPastTheChallengesExpiry) {
  Fixture f({{K::kRetry, "rate_limited", seconds(120)}});
  f.queue.Enqueue(f.Job("t1", seconds(60)));  // the retry would come after the end
  ASSERT_TRUE(f.sender.WaitSent(1));
  ASSERT_TRUE(f.queue.WaitIdle(kWait));
  EXPECT_EQ(f.sender.sent().size(), 1u);
  EXPECT_EQ(f.counters.Get("push_fcm_failed/expired"), 1);
  f.queue.Enqueue(f.Job("t2", seconds(0)));  // already over: not even tried
  ASSERT_TRUE(f.queue.WaitIdle(kWait));
  EXPECT_EQ(f.sender.sent().size(), 1u);
  EXPECT_EQ(f.counters.Get("push_fcm_failed/expired"), 2);
}

TEST(ProviderQueueTest, AGoneTokenIsForgottenAndARefusalIsNotRetried) {
  Fixture f({{K::kTokenGone, "token_gone", {}}, {K::kFailed, "rejected", {}}});
  f.queue.Enqueue(f.Job("gone"));
  f.queue.Enqueue(f.Job("bad"));
  ASSERT_TRUE(f.sender.WaitSent(2));
  ASSERT_TRUE(f.queue.WaitIdle(kWait));
  EXPECT_EQ(f.forgotten, std::vector<std::string>{"gone"});
  EXPECT_EQ(f.sender.sent().size(), 2u);
  EXPECT_EQ(f.counters.Get("push_fcm_failed/rejected"), 1);
}

TEST(ProviderQueueTest, AFullQueueRefusesAtOnceWhileTheProviderHangs) {
  Fixture f({}, /*limit=*/2);
  f.sender.Hold();  // the provider hangs on the first push
  ASSERT_TRUE(f.queue.Enqueue(f.Job("t0")));
  ASSERT_TRUE(f.sender.WaitSent(1));
  EXPECT_TRUE(f.queue.Enqueue(f.Job("t1")));
  EXPECT_TRUE(f.queue.Enqueue(f.Job("t2")));
  EXPECT_FALSE(f.queue.Enqueue(f.Job("t3")));  // never blocks the caller
  EXPECT_EQ(f.counters.Get("push_fcm_failed/queue_full"), 1);
  f.sender.Release();
  ASSERT_TRUE(f.queue.WaitIdle(kWait));
  EXPECT_EQ(f.sender.sent(), (std::vector<std::string>{"t0", "t1", "t2"}));
}

}  // namespace
}  // namespace twostep::push
