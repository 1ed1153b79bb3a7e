#include "service/unit_of_work.h"

#include "testing/service_fixture.h"

namespace twostep::service {
namespace {

class UnitOfWorkTest : public testing::ServiceFixture {
 protected:
  Announcer Announce() {
    return Announcer{notifier_, counters_, [this] { ++wakes_; }};
  }
  Notification SignedOut() { return twostep::SignedOut{SignOutReason::kSignedOut, {}}; }
  int wakes_ = 0;
};

TEST_F(UnitOfWorkTest, HandsOutItsAnnouncementsOnlyAfterTheCommit) {
  UnitOfWork work(store_, clock_, Announce(), policy_.Get());
  EXPECT_EQ(work.now(), clock_.Now());
  work.Mail({"ann@example.com", "Subject", "text", "<p>html</p>"});
  work.Notify("acc_1", "dev-00000001", SignedOut());
  work.Count("codes_sent", "email");
  EXPECT_EQ(wakes_, 0);
  EXPECT_TRUE(notifier_.sent.empty());
  EXPECT_EQ(counters_.Get("codes_sent/email"), 0);
  work.Commit();
  EXPECT_EQ(wakes_, 1);
  ASSERT_EQ(notifier_.sent.size(), 1u);
  EXPECT_EQ(notifier_.sent[0].device_id, "dev-00000001");
  EXPECT_EQ(counters_.Get("codes_sent/email"), 1);
  EXPECT_TRUE(store_.NextMailDue());  // the mail is in the outbox
}

TEST_F(UnitOfWorkTest, ADroppedUnitOfWorkRollsBackAndAnnouncesNothing) {
  {
    UnitOfWork work(store_, clock_, Announce(), policy_.Get());
    work.Mail({"ann@example.com", "Subject", "text", "<p>html</p>"});
    work.Notify("acc_1", "dev-00000001", SignedOut());
    work.Count("codes_sent", "email");
  }
  EXPECT_EQ(wakes_, 0);
  EXPECT_TRUE(notifier_.sent.empty());
  EXPECT_EQ(counters_.Get("codes_sent/email"), 0);
  EXPECT_FALSE(store_.NextMailDue());  // no mail was written
}

}  // namespace
}  // namespace twostep::service
