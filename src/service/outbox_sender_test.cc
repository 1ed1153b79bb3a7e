#include "service/outbox_sender.h"

#include "domain/mail_templates.h"
#include "testing/service_fixture.h"

namespace twostep::service {
namespace {

class OutboxSenderTest : public testing::ServiceFixture {
 protected:
  void Queue(const std::string& to) {
    auto tx = store_.Begin();
    tx->EnqueueMail(domain::AlreadyRegisteredMail(to), clock_.Now());
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
  clock_.Advance(seconds(10));
  EXPECT_EQ(outbox_.RunOnce(), 1);
  EXPECT_EQ(transport_.sent.size(), 1u);
  EXPECT_EQ(counters_.Get("mail/failed"), 2);
}

TEST_F(OutboxSenderTest, BackoffIsCappedAtAnHour) {
  EXPECT_EQ(OutboxSender::Backoff(1), seconds(5));
  EXPECT_EQ(OutboxSender::Backoff(2), seconds(10));
  EXPECT_EQ(OutboxSender::Backoff(30), seconds(3600));
}

}  // namespace
}  // namespace twostep::service
