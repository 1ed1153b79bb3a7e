#include "service/two_step.h"

#include "service/challenge_actions.h"
#include "service/registration.h"
#include "service/sessions.h"
#include "service/sign_in.h"
#include "service/sign_in_challenge.h"
#include "testing/service_fixture.h"

namespace twostep::service {
namespace {

constexpr const char* kStrong = "correct horse battery staple 42";

class TwoStepTest : public testing::ServiceFixture {
 protected:
  void SetUp() override {
    auto cid = registration_.Register({"ann@example.com", kStrong, "kasa", std::nullopt, ""});
    ASSERT_TRUE(cid.ok());
    ASSERT_TRUE(registration_.VerifyEmail(*cid, Secret(LastCodeTo("ann@example.com"))).ok());
    auto s = SignInAs(phone_);
    ASSERT_TRUE(std::holds_alternative<IssuedSession>(s));
    const Secret access = std::get<IssuedSession>(s).access_token;
    phone_access_ = access;
    phone_caller_ = sessions_.Authenticate(access).value();
    auto enable = two_step_.Enable(phone_caller_, std::nullopt, "");
    ASSERT_TRUE(enable.ok());
    ASSERT_TRUE(enable->challenge);  // first time: an email code
    auto secret = two_step_.VerifyEnable(phone_caller_, enable->challenge->challenge_id,
                                         Secret(LastCodeTo("ann@example.com")), "");
    ASSERT_TRUE(secret.ok());
    // The session now holds the phone's secret: it acts as the trusted phone.
    phone_caller_ = sessions_.Authenticate(access).value();
    EXPECT_FALSE(phone_caller_.device_secret_hash.empty());
  }

  SignInResult SignInAs(const domain::DeviceDescription& d) {
    auto r = sign_in_.Run({"ann@example.com", kStrong, d, std::nullopt, "203.0.113.7"});
    EXPECT_TRUE(r.ok());
    return std::move(r).value();
  }

  // Starts a challenge from a new device; returns its id and the code the
  // trusted phone received.
  std::pair<std::string, std::string> Challenge() {
    domain::DeviceDescription laptop{"laptop-" + std::to_string(++devices_), "Laptop", "X1", "Linux", "kasa", "1"};
    auto r = sign_in_.Run({"ann@example.com", kStrong, laptop, std::nullopt, "203.0.113.7"});
    if (!r.ok()) return {"", ""};
    auto view = std::get<ChallengeView>(std::move(r).value());
    EXPECT_EQ(view.method, "app");
    EXPECT_FALSE(notifier_.sent.empty());
    auto code =
        std::string(std::get<CodeRequested>(notifier_.sent.back().notification).code.Reveal());
    return {view.challenge_id, code};
  }

  Registration& registration_ = uses_.registration;
  SignIn& sign_in_ = uses_.sign_in;
  Sessions& sessions_ = uses_.sessions;
  TwoStep& two_step_ = uses_.two_step;
  VerifySignIn& verify_ = uses_.verify_sign_in;
  ChallengeActions& actions_ = uses_.challenges;
  domain::DeviceDescription phone_{"phone-0001", "Pixel 8", "GKWS6", "Android 15", "kasa", "1"};
  Caller phone_caller_;
  Secret phone_access_;
  int devices_ = 0;
};

TEST_F(TwoStepTest, NewDeviceIsChallengedAndTheTrustedPhoneGetsTheCode) {
  auto [id, code] = Challenge();
  const auto& n = notifier_.sent.back();
  EXPECT_EQ(n.device_id, "phone-0001");
  const auto& request = std::get<CodeRequested>(n.notification);
  EXPECT_EQ(request.requester.name, "Laptop");
  EXPECT_EQ(request.requester_ip, "203.0.113.7");
  auto session = verify_.Run(id, Secret(code), true);
  ASSERT_TRUE(session.ok());
  EXPECT_TRUE(session->device_secret);
  const auto* resolved = std::get_if<ChallengeResolved>(&notifier_.sent.back().notification);
  ASSERT_TRUE(resolved);
  EXPECT_EQ(resolved->outcome, ResolvedOutcome::kVerified);
}

TEST_F(TwoStepTest, SecurityReportsTheState) {
  auto v = two_step_.Security(phone_access_);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->available);
  EXPECT_TRUE(v->enabled);
  EXPECT_EQ(v->default_method, "app");
  EXPECT_EQ(v->trusted_devices, 1);
}

TEST_F(TwoStepTest, TrustedDevicesIdleFor180DaysStopCounting) {
  clock_.Advance(hours(24 * 180));
  auto r = sign_in_.Run({"ann@example.com", kStrong, phone_, std::nullopt, ""});
  ASSERT_TRUE(r.ok());
  auto view = std::get<ChallengeView>(std::move(r).value());
  EXPECT_EQ(view.method, "email");  // no live trusted device left
}

TEST_F(TwoStepTest, TwentyWrongCodesInARowAlertTheOwner) {
  for (int c = 0; c < 4; ++c) {
    auto [id, code] = Challenge();
    std::string wrong = code == "000000" ? "000001" : "000000";
    for (int i = 0; i < 5; ++i) ASSERT_FALSE(verify_.Run(id, Secret(wrong), false).ok());
  }
  outbox_.RunOnce();
  ASSERT_FALSE(transport_.sent.empty());
  EXPECT_EQ(transport_.sent.back().message.subject, "Many wrong verification codes were entered");
}

TEST_F(TwoStepTest, FiftyWrongCodesBlockNewChallengesForAnHour) {
  for (int c = 0; c < 10; ++c) {
    if (c == 5) clock_.Advance(minutes(61));  // stay under 10 challenges per hour
    auto [id, code] = Challenge();
    ASSERT_FALSE(id.empty());
    std::string wrong = code == "000000" ? "000001" : "000000";
    for (int i = 0; i < 5; ++i) ASSERT_FALSE(verify_.Run(id, Secret(wrong), false).ok());
  }
  domain::DeviceDescription laptop{"laptop-blocked", "Laptop", "X1", "Linux", "kasa", "1"};
  auto r = sign_in_.Run({"ann@example.com", kStrong, laptop, std::nullopt, ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(r.error().retry_after, hours(1));
  clock_.Advance(hours(1));
  EXPECT_TRUE(sign_in_.Run({"ann@example.com", kStrong, laptop, std::nullopt, ""}).ok());
}

TEST_F(TwoStepTest, SuccessResetsTheWrongCodeStreak) {
  auto [id, code] = Challenge();
  std::string wrong = code == "000000" ? "000001" : "000000";
  ASSERT_FALSE(verify_.Run(id, Secret(wrong), false).ok());
  ASSERT_TRUE(verify_.Run(id, Secret(code), false).ok());
  auto tx = store_.Begin();
  EXPECT_EQ(tx->FindAccountByEmail("ann@example.com")->wrong_code_streak, 0);
}

TEST_F(TwoStepTest, TenChallengesPerHour) {
  for (int i = 0; i < 10; ++i) ASSERT_FALSE(Challenge().first.empty());
  domain::DeviceDescription laptop{"laptop-x1", "Laptop", "X1", "Linux", "kasa", "1"};
  auto r = sign_in_.Run({"ann@example.com", kStrong, laptop, std::nullopt, ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRateLimited);
}

TEST_F(TwoStepTest, ResendNeverResetsTheWrongCodeCount) {
  auto [id, code] = Challenge();
  std::string wrong = code == "000000" ? "000001" : "000000";
  ASSERT_FALSE(verify_.Run(id, Secret(wrong), false).ok());
  auto resent = actions_.Resend(id, "email");
  ASSERT_TRUE(resent.ok());
  auto fresh = LastCodeTo("ann@example.com");
  std::string wrong2 = fresh == "000000" ? "000001" : "000000";
  auto r = verify_.Run(id, Secret(wrong2), false);
  EXPECT_EQ(r.error().attempts_left, 3);
  EXPECT_TRUE(verify_.Run(id, Secret(fresh), false).ok());
}

TEST_F(TwoStepTest, FiveSendsPerChallenge) {
  auto [id, code] = Challenge();
  ASSERT_TRUE(actions_.Resend(id, "email").ok());  // send 2 (switch, at once)
  for (int send = 3; send <= 5; ++send) {
    clock_.Advance(seconds(60));
    ASSERT_TRUE(actions_.Resend(id, "email").ok()) << send;
  }
  clock_.Advance(seconds(60));
  auto r = actions_.Resend(id, "email");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRateLimited);
}

TEST_F(TwoStepTest, DisableNeedsThePassword) {
  EXPECT_EQ(two_step_.Disable(phone_caller_, "wrong password 9", "").error().code,
            ErrorCode::kWrongPassword);
  ASSERT_TRUE(two_step_.Disable(phone_caller_, kStrong, "").ok());
  domain::DeviceDescription laptop{"laptop-free", "Laptop", "X1", "Linux", "kasa", "1"};
  auto r = sign_in_.Run({"ann@example.com", kStrong, laptop, std::nullopt, ""});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::holds_alternative<IssuedSession>(*r));
}

// Issue 23: wrong passwords on the switch take their slot before the hash,
// so 30 at once get at most 10 verifies; then even the right one waits.
TEST_F(TwoStepTest, ParallelWrongPasswordsOnTheSwitchTakeAtMostTenSlots) {
  int verifies = testing::VerifiesOfParallelCalls(hasher_, 30, [&](int) {
    (void)two_step_.Disable(phone_caller_, "wrong password 9", "");
  });
  EXPECT_LE(verifies, 10);
  EXPECT_EQ(two_step_.Disable(phone_caller_, kStrong, "").error().code, ErrorCode::kRateLimited);
}

// A right password gives its slot back: ten switches in a row stay allowed.
TEST_F(TwoStepTest, RightPasswordsOnTheSwitchKeepNoSlot) {
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(two_step_.Disable(phone_caller_, kStrong, "").ok()) << i;
    ASSERT_TRUE(two_step_.Enable(phone_caller_, kStrong, "").ok()) << i;
  }
}

}  // namespace
}  // namespace twostep::service
