#include "service/sign_in.h"

#include "service/registration.h"
#include "service/sessions.h"
#include "testing/service_fixture.h"

namespace twostep::service {
namespace {

constexpr const char* kStrong = "correct horse battery staple 42";

class SignInTest : public testing::ServiceFixture {
 protected:
  void SetUp() override {
    auto cid = registration_.Register({"ann@example.com", kStrong, "kasa", std::nullopt, ""});
    ASSERT_TRUE(cid.ok());
    ASSERT_TRUE(registration_.VerifyEmail(*cid, Secret(LastCodeTo("ann@example.com"))).ok());
  }
  Result<SignInResult> Run(const std::string& email, const std::string& password,
                           const std::string& ip = "198.51.100.1") {
    return sign_in_.Run({email, password, device_, std::nullopt, ip});
  }
  IssuedSession SignedIn() {
    auto r = Run("ann@example.com", kStrong);
    EXPECT_TRUE(r.ok());
    return std::get<IssuedSession>(std::move(r).value());
  }

  Registration& registration_ = uses_.registration;
  SignIn& sign_in_ = uses_.sign_in;
  Sessions& sessions_ = uses_.sessions;
  domain::DeviceDescription device_{"device-0001", "Pixel 8", "GKWS6", "Android 15", "kasa", "1"};
};

TEST_F(SignInTest, RightPasswordGivesAWorkingSession) {
  auto s = SignedIn();
  EXPECT_EQ(s.expires_in, minutes(15));
  auto caller = sessions_.Authenticate(s.access_token);
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ(caller->device_id, "device-0001");
  EXPECT_EQ(counters_.Get("logins/success"), 1);
}

TEST_F(SignInTest, UnknownAccountCostsTheSameHashWork) {
  int before = hasher_.verifies;
  auto r = Run("nobody@example.com", kStrong);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidCredentials);
  EXPECT_EQ(hasher_.verifies, before + 1);
  auto wrong = Run("ann@example.com", "not it at all 123");
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidCredentials);
  EXPECT_EQ(wrong.error().detail, r.error().detail);
}

TEST_F(SignInTest, TenFailuresPerAccountThrottleForFifteenMinutes) {
  for (int i = 0; i < 10; ++i) ASSERT_FALSE(Run("ann@example.com", "wrong password 1").ok());
  auto r = Run("ann@example.com", kStrong);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(r.error().retry_after, minutes(15));
  clock_.Advance(minutes(15));
  EXPECT_TRUE(Run("ann@example.com", kStrong).ok());
}

TEST_F(SignInTest, HundredFailuresPerIpThrottleEveryAccountFromIt) {
  for (int i = 0; i < 100; ++i)
    ASSERT_FALSE(Run("user" + std::to_string(i) + "@example.com", "wrong password 1", "203.0.113.9").ok());
  auto r = Run("ann@example.com", kStrong, "203.0.113.9");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRateLimited);
  EXPECT_TRUE(Run("ann@example.com", kStrong, "203.0.113.10").ok());
}

TEST_F(SignInTest, RehashesWhenParametersChange) {
  hasher_.version = 2;
  int before = hasher_.hashes;
  SignedIn();
  EXPECT_EQ(hasher_.hashes, before + 1);
  SignedIn();
  EXPECT_EQ(hasher_.hashes, before + 1);  // already current
}

TEST_F(SignInTest, AccessTokenExpiresAfterFifteenMinutes) {
  auto s = SignedIn();
  clock_.Advance(minutes(15));
  EXPECT_EQ(sessions_.Authenticate(s.access_token).error().code, ErrorCode::kUnauthorized);
}

TEST_F(SignInTest, RefreshRotatesAndReuseRevokesTheFamily) {
  auto s = SignedIn();
  auto rotated = sessions_.Refresh(s.refresh_token);
  ASSERT_TRUE(rotated.ok());
  EXPECT_TRUE(sessions_.Authenticate(rotated->access_token).ok());
  EXPECT_FALSE(sessions_.Refresh(s.refresh_token).ok());  // reuse
  EXPECT_FALSE(sessions_.Authenticate(rotated->access_token).ok());
  EXPECT_FALSE(sessions_.Refresh(rotated->refresh_token).ok());
}

TEST_F(SignInTest, RefreshTokenExpiresAfterThirtyDays) {
  auto s = SignedIn();
  clock_.Advance(hours(24 * 30));
  EXPECT_FALSE(sessions_.Refresh(s.refresh_token).ok());
}

TEST_F(SignInTest, SignOutRevokesOnlyThisSession) {
  auto a = SignedIn();
  auto b = SignedIn();
  auto caller = sessions_.Authenticate(a.access_token);
  ASSERT_TRUE(caller.ok());
  sessions_.SignOut(*caller);
  EXPECT_FALSE(sessions_.Authenticate(a.access_token).ok());
  EXPECT_TRUE(sessions_.Authenticate(b.access_token).ok());
}

// U9 / issue 23: a stranger's ten wrong passwords must not lock the owner's
// trusted device out: a sign-in with the valid secret of its install id
// skips the account throttle; a new device is still held.
TEST_F(SignInTest, TrustedDeviceWithItsSecretSkipsTheAccountThrottle) {
  auto phone = device_;
  phone.id = "device-trusted";
  phone.app = "aginet";
  auto cid = registration_.Register({"bo@example.com", kStrong, "aginet", phone, ""});
  ASSERT_TRUE(cid.ok());
  auto verified = registration_.VerifyEmail(*cid, Secret(LastCodeTo("bo@example.com")));
  ASSERT_TRUE(verified.ok() && verified->device_secret);
  const std::string secret(verified->device_secret->Reveal());
  for (int i = 0; i < 10; ++i) ASSERT_FALSE(Run("bo@example.com", "wrong password 1", "203.0.113.7").ok());
  auto stranger = Run("bo@example.com", kStrong, "203.0.113.8");
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().code, ErrorCode::kRateLimited);
  // A wrong secret, or a secret under another install id, is no pass.
  auto wrong_secret = sign_in_.Run({"bo@example.com", kStrong, phone, std::string(43, 'A'), ""});
  EXPECT_EQ(wrong_secret.error().code, ErrorCode::kRateLimited);
  auto other_id = sign_in_.Run({"bo@example.com", kStrong, device_, secret, ""});
  EXPECT_EQ(other_id.error().code, ErrorCode::kRateLimited);
  auto owner = sign_in_.Run({"bo@example.com", kStrong, phone, secret, "198.51.100.77"});
  ASSERT_TRUE(owner.ok()) << owner.error().detail;
  EXPECT_TRUE(std::holds_alternative<IssuedSession>(*owner));
  // The per-IP throttle still applies to the trusted device.
  for (int i = 0; i < 100; ++i)
    (void)Run("u" + std::to_string(i) + "@example.com", "wrong password 1", "203.0.113.99");
  auto from_bad_ip = sign_in_.Run({"bo@example.com", kStrong, phone, secret, "203.0.113.99"});
  EXPECT_EQ(from_bad_ip.error().code, ErrorCode::kRateLimited);
}

// Issue 23: 30 parallel wrong passwords get at most 10 hashes (each attempt
// takes its slot in the transaction that checks the limit).
TEST_F(SignInTest, ParallelWrongPasswordsTakeAtMostTenSlots) {
  int verifies = testing::VerifiesOfParallelCalls(hasher_, 30, [&](int i) {
    (void)Run("ann@example.com", "wrong password 1", "203.0.113." + std::to_string(i));
  });
  EXPECT_LE(verifies, 10);
  EXPECT_EQ(Run("ann@example.com", kStrong).error().code, ErrorCode::kRateLimited);
}

// A right password gives its per-IP slot back: successes behind one NAT
// never add up to a throttle.
TEST_F(SignInTest, SuccessGivesThePerIpSlotBack) {
  for (int i = 0; i < 99; ++i)
    ASSERT_FALSE(Run("u" + std::to_string(i) + "@example.com", "wrong password 1", "203.0.113.50").ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Run("ann@example.com", kStrong, "203.0.113.50").ok());
  EXPECT_EQ(Run("x@example.com", "wrong password 1", "203.0.113.50").error().code,
            ErrorCode::kInvalidCredentials);
  EXPECT_EQ(Run("x@example.com", "wrong password 1", "203.0.113.50").error().code,
            ErrorCode::kRateLimited);
}

}  // namespace
}  // namespace twostep::service
