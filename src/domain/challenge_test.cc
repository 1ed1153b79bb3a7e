#include "domain/challenge.h"

#include <gtest/gtest.h>

namespace twostep::domain {
namespace {

const Timestamp kT0 = FromMillis(1'800'000'000'000);

Challenge Pending() {
  Challenge c;
  c.id = "chl_1";
  c.state = ChallengeState::kPending;
  c.attempts_left = 5;
  c.sends = 1;
  c.created_at = kT0;
  c.last_sent_at = kT0;
  c.expires_at = kT0 + minutes(10);
  c.sealed_code = "sealed";
  return c;
}

TEST(ChallengeTest, RightCodeVerifiesAndWipesTheSealedCode) {
  auto r = ApplyCodeAttempt(Pending(), true, kT0 + seconds(5));
  EXPECT_EQ(r.outcome, AttemptOutcome::kVerified);
  EXPECT_EQ(r.updated.state, ChallengeState::kVerified);
  EXPECT_TRUE(r.updated.sealed_code.empty());
}

TEST(ChallengeTest, DiesAfterFifthWrongCode) {
  Challenge c = Pending();
  for (int left = 4; left >= 1; --left) {
    auto r = ApplyCodeAttempt(c, false, kT0);
    EXPECT_EQ(r.outcome, AttemptOutcome::kWrongCode);
    EXPECT_EQ(r.updated.attempts_left, left);
    c = r.updated;
  }
  auto last = ApplyCodeAttempt(c, false, kT0);
  EXPECT_EQ(last.outcome, AttemptOutcome::kExhausted);
  EXPECT_EQ(last.updated.attempts_left, 0);
  EXPECT_EQ(last.updated.state, ChallengeState::kExhausted);
  // Even the right code is useless now.
  EXPECT_EQ(ApplyCodeAttempt(last.updated, true, kT0).outcome, AttemptOutcome::kExpired);
}

TEST(ChallengeTest, UsedCodeNeverWorksAgain) {
  auto r = ApplyCodeAttempt(Pending(), true, kT0);
  EXPECT_EQ(ApplyCodeAttempt(r.updated, true, kT0).outcome, AttemptOutcome::kExpired);
}

TEST(ChallengeTest, ExpiresAtTheDeadline) {
  EXPECT_EQ(ApplyCodeAttempt(Pending(), true, kT0 + minutes(10) - milliseconds(1)).outcome,
            AttemptOutcome::kVerified);
  auto r = ApplyCodeAttempt(Pending(), true, kT0 + minutes(10));
  EXPECT_EQ(r.outcome, AttemptOutcome::kExpired);
  EXPECT_EQ(r.updated.state, ChallengeState::kExpired);
}

TEST(ChallengeTest, DeniedStaysDenied) {
  Challenge c = Pending();
  c.state = ChallengeState::kDenied;
  EXPECT_EQ(ApplyCodeAttempt(c, true, kT0).outcome, AttemptOutcome::kDenied);
}

TEST(ChallengeTest, ResendWaitsForCooldownAndCapsSends) {
  ChallengePolicy policy;
  Challenge c = Pending();
  c.method = ChallengeMethod::kApp;
  auto early = CheckResend(c, ChallengeMethod::kApp, kT0 + seconds(59), policy);
  EXPECT_EQ(early.decision, ResendDecision::kCoolingDown);
  EXPECT_EQ(early.retry_after, seconds(1));
  EXPECT_EQ(CheckResend(c, ChallengeMethod::kApp, kT0 + seconds(60), policy).decision,
            ResendDecision::kAllowed);
  c.sends = policy.max_sends;
  EXPECT_EQ(CheckResend(c, ChallengeMethod::kApp, kT0 + minutes(5), policy).decision,
            ResendDecision::kTooManySends);
}

TEST(ChallengeTest, OnlyTheFirstSwitchToEmailIsFree) {
  ChallengePolicy policy;
  Challenge c = Pending();
  c.method = ChallengeMethod::kApp;
  EXPECT_TRUE(IsFreeSwitchToEmail(c, ChallengeMethod::kEmail));
  EXPECT_FALSE(IsFreeSwitchToEmail(c, ChallengeMethod::kApp));
  EXPECT_EQ(CheckResend(c, ChallengeMethod::kEmail, kT0 + seconds(1), policy).decision,
            ResendDecision::kAllowed);
  MarkSent(c, ChallengeMethod::kEmail, kT0 + seconds(1));
  EXPECT_TRUE(c.switched_to_email);
  EXPECT_EQ(c.sends, 2);
  EXPECT_EQ(c.method, ChallengeMethod::kEmail);
  // Back to the app and to email again: no longer free, the cool-down holds.
  MarkSent(c, ChallengeMethod::kApp, kT0 + seconds(61));
  EXPECT_FALSE(IsFreeSwitchToEmail(c, ChallengeMethod::kEmail));
  EXPECT_EQ(CheckResend(c, ChallengeMethod::kEmail, kT0 + seconds(62), policy).decision,
            ResendDecision::kCoolingDown);
}

TEST(ChallengeTest, NewChallengeIsPendingWithThePolicysNumbers) {
  ChallengePolicy policy{minutes(10), 5, seconds(60), 5};
  auto c = NewChallenge("chl_9", "acc_1", ChallengePurpose::kSignIn, ChallengeMethod::kApp, kT0,
                        policy, {"dev-00000001"}, "203.0.113.7");
  EXPECT_EQ(c.state, ChallengeState::kPending);
  EXPECT_EQ(c.attempts_left, 5);
  EXPECT_EQ(c.sends, 1);
  EXPECT_EQ(c.expires_at, kT0 + minutes(10));
  EXPECT_EQ(c.last_sent_at, kT0);
  EXPECT_EQ(c.requester.id, "dev-00000001");
  EXPECT_TRUE(IsOpen(c, kT0));
}

TEST(ChallengeTest, DenyEndsAnOpenChallengeAndWipesItsCode) {
  auto d = Deny(Pending(), kT0 + seconds(5));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->state, ChallengeState::kDenied);
  EXPECT_TRUE(d->sealed_code.empty());
  EXPECT_FALSE(Deny(*d, kT0 + seconds(6)));                 // already ended
  EXPECT_FALSE(Deny(Pending(), kT0 + minutes(10)));         // expired
  EXPECT_EQ(ApplyCodeAttempt(*d, true, kT0).outcome, AttemptOutcome::kDenied);
}

TEST(ChallengeTest, NamesRoundTrip) {
  for (auto s : {ChallengeState::kPending, ChallengeState::kVerified, ChallengeState::kDenied,
                 ChallengeState::kExpired, ChallengeState::kExhausted})
    EXPECT_EQ(ParseState(StateName(s)), s);
  EXPECT_FALSE(ParseState("bogus"));
}

}  // namespace
}  // namespace twostep::domain
