#include "domain/login_event.h"

#include <gtest/gtest.h>

namespace twostep::domain {
namespace {

TEST(LoginEventTest, EveryNameParsesBack) {
  for (auto k : {LoginEventKind::kSignIn, LoginEventKind::kChallengeSent,
                 LoginEventKind::kCodeFailed, LoginEventKind::kChallengeDenied,
                 LoginEventKind::kDeviceRemoved, LoginEventKind::kTwoStepChange,
                 LoginEventKind::kPasswordChange, LoginEventKind::kPasswordReset})
    EXPECT_EQ(ParseLoginEventKind(NameOf(k)), k);
  for (auto o : {LoginOutcome::kSuccess, LoginOutcome::kFailed, LoginOutcome::kChallenged,
                 LoginOutcome::kSent, LoginOutcome::kResent, LoginOutcome::kInvalidCode,
                 LoginOutcome::kDenied, LoginOutcome::kRemoved, LoginOutcome::kEnabled,
                 LoginOutcome::kDisabled})
    EXPECT_EQ(ParseLoginOutcome(NameOf(o)), o);
  for (auto m : {LoginMethod::kNone, LoginMethod::kPassword, LoginMethod::kApp, LoginMethod::kEmail})
    EXPECT_EQ(ParseLoginMethod(NameOf(m)), m);
  EXPECT_FALSE(ParseLoginOutcome("approved"));
}

TEST(LoginEventTest, AChallengeEventNamesItsRequesterAndChannel) {
  Challenge c;
  c.account_id = "acc_1";
  c.method = ChallengeMethod::kEmail;
  c.requester = {"laptop-0001", "Laptop"};
  c.requester_ip = "203.0.113.7";
  auto e = LoginEvent::OfChallenge(c, FromMillis(1), LoginEventKind::kCodeFailed,
                                   LoginOutcome::kInvalidCode);
  EXPECT_EQ(e.account_id, "acc_1");
  EXPECT_EQ(e.device.id, "laptop-0001");
  EXPECT_EQ(e.ip, "203.0.113.7");
  EXPECT_EQ(e.method, LoginMethod::kEmail);
  EXPECT_EQ(NameOf(e.kind), "code_failed");
  EXPECT_EQ(NameOf(e.outcome), "invalid_code");
}

}  // namespace
}  // namespace twostep::domain
