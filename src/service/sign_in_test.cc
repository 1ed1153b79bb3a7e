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

  Registration registration_{env_};
  SignIn sign_in_{env_};
  Sessions sessions_{env_};
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

}  // namespace
}  // namespace twostep::service
