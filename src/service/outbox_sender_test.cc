#include "service/outbox_sender.h"

#include <atomic>
#include <chrono>
#include <future>

#include "domain/mail_templates.h"
#include "testing/faulty_store.h"
#include "testing/service_fixture.h"
#include "testing/store_samples.h"

namespace twostep::service {
namespace {

class OutboxSenderTest : public testing::ServiceFixture {
 protected:
  void Queue(const std::string& to) {
    auto tx = store_.Begin();
    tx->EnqueueMail(domain::AlreadyRegisteredMail({}, to), clock_.Now());
    tx->Commit();
  }
};

TEST_F(OutboxSenderTest, DeliversAndForgetsTheMessage) {
  Queue("a@example.com");
  EXPECT_EQ(outbox_.RunOnce(), 1);
  ASSERT_EQ(transport_.sent.size(), 1u);
  EXPECT_EQ(transport_.sent[0].message.to, "a@example.com");
  EXPECT_NE(transport_.sent[0].message_id.find("@test>"), std::string::npos);
  EXPECT_EQ(outbox_.RunOnce(), 0);
  EXPECT_FALSE(store_.NextMailDue());
}

TEST_F(OutboxSenderTest, RetriesWithBackoffUntilDelivered) {
  Queue("a@example.com");
  transport_.fail_next = 2;
  EXPECT_EQ(outbox_.RunOnce(), 0);
  EXPECT_EQ(store_.NextMailDue(), clock_.Now() + seconds(5));
  clock_.Advance(seconds(4));
  EXPECT_EQ(outbox_.RunOnce(), 0);  // not due yet
  clock_.Advance(seconds(1));
  EXPECT_EQ(outbox_.RunOnce(), 0);  // second failure
  EXPECT_EQ(store_.NextMailDue(), clock_.Now() + seconds(10));
  // The backlog gauges say what waits, and for how long.
  EXPECT_EQ(counters_.Gauge("mail_outbox_pending"), 1.0);
  EXPECT_EQ(counters_.Gauge("mail_outbox_oldest_age_seconds"), 5.0);
  clock_.Advance(seconds(10));
  EXPECT_EQ(outbox_.RunOnce(), 1);
  EXPECT_EQ(transport_.sent.size(), 1u);
  EXPECT_EQ(counters_.Get("mail/failed"), 2);
  EXPECT_EQ(counters_.Gauge("mail_outbox_pending"), 0.0);
  EXPECT_EQ(counters_.Gauge("mail_outbox_oldest_age_seconds"), 0.0);
}

TEST_F(OutboxSenderTest, APermanentRefusalIsNotRetriedAndMarksTheAccount) {
  {
    auto tx = store_.Begin();
    ASSERT_TRUE(tx->InsertAccount(testing::SampleAccount("acc_1", "a@example.com")));
    tx->Commit();
  }
  Queue("a@example.com");
  transport_.reject_next = 1;
  EXPECT_EQ(outbox_.RunOnce(), 0);
  EXPECT_EQ(counters_.Get("mail/rejected"), 1);
  EXPECT_EQ(counters_.Get("mail/failed"), 0);
  EXPECT_FALSE(store_.NextMailDue());  // gone: nothing to retry
  clock_.Advance(hours(2));
  EXPECT_EQ(outbox_.RunOnce(), 0);
  EXPECT_TRUE(transport_.sent.empty());
  auto undeliverable = [&] {
    auto tx = store_.Begin();
    return tx->FindAccountById("acc_1")->email_undeliverable_since;
  };
  EXPECT_EQ(undeliverable(), clock_.Now() - hours(2));
  // The next accepted delivery proves the address again.
  Queue("a@example.com");
  EXPECT_EQ(outbox_.RunOnce(), 1);
  EXPECT_EQ(transport_.sent[0].app, "kasa");  // sent under the account's app
  EXPECT_FALSE(undeliverable());
}

// Forwards to a real store; NextMailDue first stops until the test lets it
// go, standing for a store that waits while another thread holds it.
class PausingStore : public testing::StoreWrapper {
 public:
  explicit PausingStore(Store& inner)
      : StoreWrapper(inner), go_(release_.get_future().share()) {}
  std::optional<Timestamp> NextMailDue() override {
    if (!entered_flag_.exchange(true)) entered_.set_value();
    go_.wait();
    return StoreWrapper::NextMailDue();
  }
  std::future<void> Entered() { return entered_.get_future(); }
  void Release() { release_.set_value(); }

 private:
  std::promise<void> entered_, release_;
  std::atomic<bool> entered_flag_{false};
  std::shared_future<void> go_;
};

// A use case queues mail and calls Notify() inside its transaction (the
// wrong-code alert); the sender must not wait for the store while holding
// the lock Notify() takes, or the two wait for each other for ever (found
// by CI: the ASan run of test_abuse hung there).
TEST_F(OutboxSenderTest, NotifyNeverWaitsForTheSendersStoreCall) {
  PausingStore store(store_);
  OutboxSender sender(store, transport_, clock_, counters_, "test");
  auto entered = store.Entered();
  sender.Start();
  entered.wait();  // the sender is inside NextMailDue now
  auto notified = std::async(std::launch::async, [&] { sender.Notify(); });
  // Only a failure waits out this bound: then Notify is stuck on the lock.
  const auto status = notified.wait_for(std::chrono::seconds(10));
  store.Release();
  EXPECT_EQ(status, std::future_status::ready);
  notified.wait();
  sender.Stop();
}

TEST_F(OutboxSenderTest, BackoffIsCappedAtAnHour) {
  EXPECT_EQ(OutboxSender::Backoff(1), seconds(5));
  EXPECT_EQ(OutboxSender::Backoff(2), seconds(10));
  EXPECT_EQ(OutboxSender::Backoff(30), seconds(3600));
}

}  // namespace
}  // namespace twostep::service
