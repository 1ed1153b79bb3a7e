#include "service/registration.h"

#include "service/sign_in.h"
#include "testing/service_fixture.h"

namespace twostep::service {
namespace {

constexpr const char* kStrong = "correct horse battery staple 42";

class RegistrationTest : public testing::ServiceFixture {
 protected:
  Registration registration_{env_};
  domain::DeviceDescription device_{"device-0001", "Pixel 8", "GKWS6", "Android 15", "kasa", "1"};
};

TEST_F(RegistrationTest, CodeVerifiesTheEmailOnce) {
  auto cid = registration_.Register({"Ann@Example.com", kStrong, "kasa", std::nullopt, "1.2.3.4"});
  ASSERT_TRUE(cid.ok());
  auto code = LastCodeTo("ann@example.com");
  ASSERT_EQ(code.size(), 6u);
  auto r = registration_.VerifyEmail(*cid, Secret(code));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->device_secret);  // kasa: two-step off by default
  auto again = registration_.VerifyEmail(*cid, Secret(code));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kChallengeExpired);
}

TEST_F(RegistrationTest, CodeExpiresAfterTenMinutes) {
  auto cid = registration_.Register({"ann@example.com", kStrong, "kasa", std::nullopt, ""});
  ASSERT_TRUE(cid.ok());
  auto code = LastCodeTo("ann@example.com");
  clock_.Advance(minutes(10));
  auto r = registration_.VerifyEmail(*cid, Secret(code));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kChallengeExpired);
}

TEST_F(RegistrationTest, WrongCodesCountDownThenTheChallengeIsDead) {
  auto cid = registration_.Register({"ann@example.com", kStrong, "kasa", std::nullopt, ""});
  ASSERT_TRUE(cid.ok());
  auto code = LastCodeTo("ann@example.com");
  std::string wrong = code == "000000" ? "000001" : "000000";
  for (int left = 4; left >= 0; --left) {
    auto r = registration_.VerifyEmail(*cid, Secret(wrong));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidCode);
    EXPECT_EQ(r.error().attempts_left, left);
  }
  auto r = registration_.VerifyEmail(*cid, Secret(code));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kChallengeExpired);
}

TEST_F(RegistrationTest, TakenEmailGetsDecoyAndNotice) {
  auto first = registration_.Register({"ann@example.com", kStrong, "kasa", std::nullopt, ""});
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(registration_.VerifyEmail(*first, Secret(LastCodeTo("ann@example.com"))).ok());
  transport_.sent.clear();
  int hashes_before = hasher_.hashes;
  auto second = registration_.Register({"ann@example.com", "another fine passphrase 7", "kasa",
                                        std::nullopt, ""});
  ASSERT_TRUE(second.ok());  // same answer as a new registration
  EXPECT_EQ(hasher_.hashes, hashes_before + 1);  // same work
  outbox_.RunOnce();
  ASSERT_EQ(transport_.sent.size(), 1u);
  EXPECT_EQ(LastCodeTo("ann@example.com"), "");  // a notice, no code
  auto r = registration_.VerifyEmail(*second, Secret("123456"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidCode);
}

TEST_F(RegistrationTest, AppWithTwoStepOnTrustsTheRegisteringDevice) {
  device_.app = "aginet";
  auto cid = registration_.Register({"bo@example.com", kStrong, "aginet", device_, ""});
  ASSERT_TRUE(cid.ok());
  auto r = registration_.VerifyEmail(*cid, Secret(LastCodeTo("bo@example.com")));
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->device_secret);
  // That device signs in without a code; another is challenged.
  SignIn sign_in(env_);
  auto trusted = sign_in.Run({"bo@example.com", kStrong, device_,
                              std::string(r->device_secret->Reveal()), ""});
  ASSERT_TRUE(trusted.ok());
  EXPECT_TRUE(std::holds_alternative<IssuedSession>(*trusted));
  auto other = device_;
  other.id = "device-0002";
  auto challenged = sign_in.Run({"bo@example.com", kStrong, other, std::nullopt, ""});
  ASSERT_TRUE(challenged.ok());
  EXPECT_TRUE(std::holds_alternative<ChallengeView>(*challenged));
}

TEST_F(RegistrationTest, RejectsBadInputBeforeHashing) {
  EXPECT_EQ(registration_.Register({"not-an-email", kStrong, "kasa", std::nullopt, ""}).error().code,
            ErrorCode::kInvalidEmail);
  EXPECT_EQ(registration_.Register({"a@example.com", "short", "kasa", std::nullopt, ""}).error().code,
            ErrorCode::kWeakPassword);
  EXPECT_EQ(registration_.Register({"a@example.com", kStrong, "nope", std::nullopt, ""}).error().code,
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(hasher_.hashes, 0);
}

TEST_F(RegistrationTest, FiveCodesPerHourPerEmail) {
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(registration_.Register({"ann@example.com", kStrong, "kasa", std::nullopt, ""}).ok());
  auto r = registration_.Register({"ann@example.com", kStrong, "kasa", std::nullopt, ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(r.error().retry_after, hours(1));
  clock_.Advance(hours(1));
  EXPECT_TRUE(registration_.Register({"ann@example.com", kStrong, "kasa", std::nullopt, ""}).ok());
}

}  // namespace
}  // namespace twostep::service
