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
  auto early = CheckResend(c, kT0 + seconds(59), policy, false);
  EXPECT_EQ(early.decision, ResendDecision::kCoolingDown);
  EXPECT_EQ(early.retry_after, seconds(1));
  EXPECT_EQ(CheckResend(c, kT0 + seconds(60), policy, false).decision, ResendDecision::kAllowed);
  // The first switch to email is allowed at once.
  EXPECT_EQ(CheckResend(c, kT0 + seconds(1), policy, true).decision, ResendDecision::kAllowed);
  c.sends = policy.max_sends;
  EXPECT_EQ(CheckResend(c, kT0 + minutes(5), policy, false).decision,
            ResendDecision::kTooManySends);
}

TEST(ChallengeTest, NamesRoundTrip) {
  for (auto s : {ChallengeState::kPending, ChallengeState::kVerified, ChallengeState::kDenied,
                 ChallengeState::kExpired, ChallengeState::kExhausted})
    EXPECT_EQ(ParseState(StateName(s)), s);
  EXPECT_FALSE(ParseState("bogus"));
}

}  // namespace
}  // namespace twostep::domain
