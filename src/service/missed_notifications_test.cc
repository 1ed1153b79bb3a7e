#include "service/missed_notifications.h"

#include <map>

#include <gtest/gtest.h>

#include "domain/code_seal.h"
#include "testing/service_fixture.h"
#include "testing/store_samples.h"

namespace twostep::service {
namespace {

using domain::ChallengeMethod;
using domain::ChallengePurpose;
using domain::ChallengeState;

class MissedNotificationsTest : public testing::ServiceFixture {
 protected:
  MissedNotificationsTest() {
    auto tx = store_.Begin();
    tx->InsertAccount(testing::SampleAccount("acc_1", "a@example.com"));
    tx->Commit();
  }

  // A sign-in challenge of acc_1 created (and its code sent) at `sent`.
  domain::Challenge Add(const std::string& id, Timestamp sent, ChallengeState state,
                        ChallengeMethod method = ChallengeMethod::kApp) {
    auto c = domain::NewChallenge(id, "acc_1", ChallengePurpose::kSignIn, method, sent,
                                  policy_.Get()->challenge, {"dev-requester", "Laptop"}, "192.0.2.7");
    c.state = state;
    if (state == ChallengeState::kPending && method == ChallengeMethod::kApp)
      c.sealed_code = domain::SealCode(keys_.Current()->seal_key, id, Secret("123456"), random_);
    auto tx = store_.Begin();
    tx->InsertChallenge(c);
    tx->Commit();
    return c;
  }

  MissedNotifications missed_{store_, clock_, uses_.sign_in_codes};
};

TEST_F(MissedNotificationsTest, CodesSentSinceTheGapAreDeliveredAgainOlderOnesAreNot) {
  const Timestamp since = clock_.Now();
  Add("chl_before", since - minutes(1), ChallengeState::kPending);
  Add("chl_during", since + seconds(5), ChallengeState::kPending);
  Add("chl_email", since + seconds(5), ChallengeState::kPending, ChallengeMethod::kEmail);
  clock_.Advance(seconds(10));
  auto out = missed_.Since({"acc_1"}, since);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].account_id, "acc_1");
  EXPECT_TRUE(out[0].except_device_id.empty());
  const auto* n = std::get_if<CodeRequested>(&out[0].notification);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->challenge_id, "chl_during");
  EXPECT_EQ(n->code.Reveal(), "123456");
  EXPECT_EQ(n->requester.name, "Laptop");
  EXPECT_EQ(n->requester_ip, "192.0.2.7");
}

TEST_F(MissedNotificationsTest, ChallengesThatEndedAreResolvedButNotForTheirRequester) {
  const Timestamp since = clock_.Now();
  Add("chl_verified", since - minutes(1), ChallengeState::kVerified);
  Add("chl_denied", since + seconds(1), ChallengeState::kDenied);
  Add("chl_timed_out", since - minutes(9), ChallengeState::kPending);
  Add("chl_long_gone", since - minutes(11), ChallengeState::kVerified);  // expired before
  clock_.Advance(minutes(2));  // chl_timed_out is past its 10 minutes now
  auto out = missed_.Since({"acc_1"}, since);
  std::map<std::string, std::string> outcomes;
  for (const auto& m : out) {
    const auto* r = std::get_if<ChallengeResolved>(&m.notification);
    ASSERT_TRUE(r);
    EXPECT_EQ(m.except_device_id, "dev-requester");
    outcomes[r->challenge_id] = std::string(NameOf(r->outcome));
  }
  EXPECT_EQ(outcomes, (std::map<std::string, std::string>{{"chl_verified", "verified"},
                                                          {"chl_denied", "denied"},
                                                          {"chl_timed_out", "expired"}}));
}

TEST_F(MissedNotificationsTest, OnlyTheNamedAccountsAreRead) {
  const Timestamp since = clock_.Now();
  Add("chl_during", since + seconds(5), ChallengeState::kPending);
  EXPECT_TRUE(missed_.Since({"acc_other"}, since).empty());
  EXPECT_TRUE(missed_.Since({}, since).empty());
}

}  // namespace
}  // namespace twostep::service
