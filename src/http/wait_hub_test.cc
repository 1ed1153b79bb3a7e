#include "http/wait_hub.h"

#include <gtest/gtest.h>

#include "testing/fakes.h"

namespace twostep::http {
namespace {

struct CountingWaiter : WaitHub::Waiter {
  int woken = 0;
  void Wake() override { ++woken; }
};

Notification Resolved(const std::string& challenge_id) {
  return ChallengeResolved{challenge_id, ResolvedOutcome::kDenied};
}

TEST(WaitHubTest, SignalWakesOnlyTheTopicsWaiters) {
  WaitHub hub;
  auto a = std::make_shared<CountingWaiter>();
  auto b = std::make_shared<CountingWaiter>();
  auto ha = hub.Subscribe("challenge/1", a);
  auto hb = hub.Subscribe("challenge/2", b);
  hub.Signal("challenge/1");
  EXPECT_EQ(a->woken, 1);
  EXPECT_EQ(b->woken, 0);
  hub.SignalAll();
  EXPECT_EQ(a->woken, 2);
  EXPECT_EQ(b->woken, 1);
}

TEST(WaitHubTest, ReleasingTheHandleUnsubscribes) {
  WaitHub hub;
  auto a = std::make_shared<CountingWaiter>();
  auto handle = hub.Subscribe("challenge/1", a);
  EXPECT_EQ(hub.Waiting(), 1u);
  handle.reset();
  EXPECT_EQ(hub.Waiting(), 0u);
  hub.Signal("challenge/1");
  EXPECT_EQ(a->woken, 0);
}

TEST(WaitHubTest, ADeadWaiterIsSkipped) {
  WaitHub hub;
  auto a = std::make_shared<CountingWaiter>();
  auto handle = hub.Subscribe("challenge/1", a);
  a.reset();
  hub.Signal("challenge/1");  // no crash, nothing to wake
  EXPECT_EQ(hub.Waiting(), 1u);
}

TEST(WaitHubTest, ChallengeNotificationsSignalTheirChallenge) {
  WaitHub hub;
  auto a = std::make_shared<CountingWaiter>();
  auto handle = hub.Subscribe(WaitHub::ChallengeTopic("chl_1"), a);
  hub.Notify("acc_1", "dev_1", Resolved("chl_2"));
  EXPECT_EQ(a->woken, 0);
  hub.Notify("acc_1", "dev_1", Resolved("chl_1"));
  EXPECT_EQ(a->woken, 1);
  hub.Notify("acc_1", "dev_1", SignedOut{SignOutReason::kSignedOut, ""});
  EXPECT_EQ(a->woken, 1);
}

TEST(WaitHubTest, ReportsTheWaitingGauge) {
  testing::RecordingCounters counters;
  WaitHub hub(&counters);
  auto a = std::make_shared<CountingWaiter>();
  auto handle = hub.Subscribe("t", a);
  EXPECT_EQ(counters.Gauge("long_polls_waiting"), std::optional<double>(1.0));
  handle.reset();
  EXPECT_EQ(counters.Gauge("long_polls_waiting"), std::optional<double>(0.0));
}

}  // namespace
}  // namespace twostep::http
