#include "service/passwords.h"

#include "service/registration.h"
#include "service/sessions.h"
#include "service/sign_in.h"
#include "testing/service_fixture.h"

namespace twostep::service {
namespace {

constexpr const char* kStrong = "correct horse battery staple 42";
constexpr const char* kNew = "violet submarine orbit lantern 77";

class PasswordsTest : public testing::ServiceFixture {
 protected:
  void SetUp() override { RegisterVerified("ann@example.com", "en"); }
  void RegisterVerified(const std::string& email, const std::string& locale) {
    RegisterRequest request{email, kStrong, "kasa", std::nullopt, ""};
    request.locale = locale;
    auto cid = registration_.Register(request);
    ASSERT_TRUE(cid.ok());
    ASSERT_TRUE(registration_.VerifyEmail(*cid, Secret(LastCodeTo(email))).ok());
  }
  IssuedSession SignedIn(const std::string& password = kStrong) {
    auto r = sign_in_.Run({"ann@example.com", password, device_, std::nullopt, ""});
    EXPECT_TRUE(r.ok());
    return std::get<IssuedSession>(std::move(r).value());
  }
  Caller CallerOf(const IssuedSession& s) { return sessions_.Authenticate(s.access_token).value(); }

  Registration& registration_ = uses_.registration;
  SignIn& sign_in_ = uses_.sign_in;
  Sessions& sessions_ = uses_.sessions;
  Passwords& passwords_ = uses_.passwords;
  domain::DeviceDescription device_{"device-0001", "Pixel 8", "GKWS6", "Android 15", "kasa", "1"};
};

TEST_F(PasswordsTest, ChangeCanSignOutOtherDevices) {
  auto other = SignedIn();
  auto me = SignedIn();
  ASSERT_TRUE(passwords_.Change(CallerOf(me), {kStrong, kNew, true, ""}).ok());
  EXPECT_TRUE(sessions_.Authenticate(me.access_token).ok());
  EXPECT_FALSE(sessions_.Authenticate(other.access_token).ok());
  EXPECT_FALSE(sign_in_.Run({"ann@example.com", kStrong, device_, std::nullopt, ""}).ok());
  SignedIn(kNew);
  outbox_.RunOnce();
  EXPECT_EQ(transport_.sent.back().message.subject, "Your {app} password was changed");
}

TEST_F(PasswordsTest, ChangeKeepsOthersWhenAsked) {
  auto other = SignedIn();
  auto me = SignedIn();
  ASSERT_TRUE(passwords_.Change(CallerOf(me), {kStrong, kNew, false, ""}).ok());
  EXPECT_TRUE(sessions_.Authenticate(other.access_token).ok());
}

TEST_F(PasswordsTest, TheCurrentPasswordIsRefusedAsTheNewOne) {
  auto me = SignedIn();
  auto r = passwords_.Change(CallerOf(me), {kStrong, kStrong, false, ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kWeakPassword);
  EXPECT_EQ(r.error().detail, "Choose a password different from your current one.");
  outbox_.RunOnce();
  for (const auto& m : transport_.sent)  // nothing changed, no notice
    EXPECT_NE(m.message.subject, "Your password was changed");
  EXPECT_FALSE(sign_in_.Run({"ann@example.com", kNew, device_, std::nullopt, ""}).ok());
}

// Issue #24: a signed-in change is refused in the account's language, a
// registration in its own, the strength check in the one asked for.
TEST_F(PasswordsTest, WeakPasswordsAreRefusedInTheRightLanguage) {
  RegisterVerified("bea@example.com", "cs");
  auto bea = sign_in_.Run({"bea@example.com", kStrong, device_, std::nullopt, ""});
  ASSERT_TRUE(bea.ok());
  auto caller = CallerOf(std::get<IssuedSession>(std::move(bea).value()));
  auto weak = passwords_.Change(caller, {kStrong, "password", false, ""});
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().detail, "Toto je často používané heslo.");
  auto same = passwords_.Change(caller, {kStrong, kStrong, false, ""});
  EXPECT_EQ(same.error().detail, "Zvolte heslo, které se liší od současného.");

  RegisterRequest zh{"cho@example.com", "Xk7#pQ2", "kasa", std::nullopt, ""};
  zh.locale = "zh-Hant";
  auto refused = registration_.Register(zh);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kWeakPassword);
  EXPECT_EQ(refused.error().detail, "請使用至少 8 個字元。");

  auto ja = passwords_.Strength("password", "", "ja");
  ASSERT_TRUE(ja.ok());
  EXPECT_EQ(ja->warning, "これはよく使われているパスワードです。");
}

TEST_F(PasswordsTest, WrongCurrentPasswordIsRefusedAndCounted) {
  auto me = SignedIn();
  auto caller = CallerOf(me);
  for (int i = 0; i < 10; ++i) {
    auto r = passwords_.Change(caller, {"not my password 1", kNew, false, ""});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kWrongPassword);
  }
  EXPECT_EQ(passwords_.Change(caller, {kStrong, kNew, false, ""}).error().code,
            ErrorCode::kRateLimited);
}

TEST_F(PasswordsTest, ResetByCodeSignsOutEverywhere) {
  auto session = SignedIn();
  auto cid = passwords_.RequestReset("ANN@example.com", "");
  ASSERT_TRUE(cid.ok());
  auto code = LastCodeTo("ann@example.com");
  // A weak choice is refused without spending the code.
  EXPECT_EQ(passwords_.ConfirmReset(*cid, Secret(code), "password").error().code,
            ErrorCode::kWeakPassword);
  ASSERT_TRUE(passwords_.ConfirmReset(*cid, Secret(code), kNew).ok());
  EXPECT_FALSE(sessions_.Authenticate(session.access_token).ok());
  SignedIn(kNew);
  EXPECT_EQ(passwords_.ConfirmReset(*cid, Secret(code), kNew).error().code,
            ErrorCode::kChallengeExpired);
}

TEST_F(PasswordsTest, ResetForUnknownEmailLooksTheSameButSendsNothing) {
  transport_.sent.clear();
  auto cid = passwords_.RequestReset("nobody@example.com", "");
  ASSERT_TRUE(cid.ok());
  EXPECT_EQ(cid->rfind("chl_", 0), 0u);
  outbox_.RunOnce();
  EXPECT_TRUE(transport_.sent.empty());
  EXPECT_EQ(passwords_.ConfirmReset(*cid, Secret("123456"), kNew).error().code,
            ErrorCode::kInvalidCode);
}

// U13 / issue 23: a new password that contains the address's local part,
// with a wrong code, must answer alike for a real account and an unknown
// address (it used to be weak_password vs invalid_code).
TEST_F(PasswordsTest, ResetConfirmationAnswersAlikeForRealAndUnknownAddresses) {
  auto reg = registration_.Register({"bobby@example.com", kStrong, "kasa", std::nullopt, ""});
  ASSERT_TRUE(registration_.VerifyEmail(*reg, Secret(LastCodeTo("bobby@example.com"))).ok());
  auto real = passwords_.RequestReset("bobby@example.com", "");
  auto decoy = passwords_.RequestReset("robin@example.com", "");
  ASSERT_TRUE(real.ok() && decoy.ok());
  std::string wrong = LastCodeTo("bobby@example.com") == "000000" ? "000001" : "000000";
  for (const char* shape : {"%s horse battery staple 9", "violet submarine orbit lantern 77",
                            "short", "%s"}) {
    auto with = [&](const std::string& local) {
      std::string p = shape;
      if (auto at = p.find("%s"); at != std::string::npos) p.replace(at, 2, local);
      return p;
    };
    auto a = passwords_.ConfirmReset(*real, Secret(wrong), with("bobby"));
    auto b = passwords_.ConfirmReset(*decoy, Secret(wrong), with("robin"));
    ASSERT_FALSE(a.ok());
    ASSERT_FALSE(b.ok());
    EXPECT_EQ(a.error().code, b.error().code) << shape;
    EXPECT_EQ(a.error().detail, b.error().detail) << shape;
    EXPECT_EQ(a.error().attempts_left, b.error().attempts_left) << shape;
  }
}

// SPEC §2 "work before checks": a confirmation of an unknown, ended or
// wrong-code challenge runs no Argon2id; only a right code pays for a hash.
TEST_F(PasswordsTest, BogusResetConfirmationsRunNoArgon2id) {
  auto real = passwords_.RequestReset("ann@example.com", "");
  auto decoy = passwords_.RequestReset("nobody@example.com", "");
  auto code = LastCodeTo("ann@example.com");
  std::string wrong = code == "000000" ? "000001" : "000000";
  const int before = hasher_.hashes;
  EXPECT_EQ(passwords_.ConfirmReset("chl_unknown", Secret(wrong), kNew).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(passwords_.ConfirmReset(*decoy, Secret(wrong), kNew).error().code,
            ErrorCode::kInvalidCode);
  EXPECT_EQ(passwords_.ConfirmReset(*real, Secret(wrong), kNew).error().code,
            ErrorCode::kInvalidCode);
  EXPECT_EQ(hasher_.hashes, before);
  ASSERT_TRUE(passwords_.ConfirmReset(*real, Secret(code), kNew).ok());
  EXPECT_EQ(hasher_.hashes, before + 1);
  EXPECT_EQ(passwords_.ConfirmReset(*real, Secret(code), kNew).error().code,
            ErrorCode::kChallengeExpired);  // ended
  EXPECT_EQ(hasher_.hashes, before + 1);
  SignedIn(kNew);
}

// Issue 23: the limit check and the recorded failure are one step, taken
// before the hash: 30 parallel wrong current passwords get at most 10
// verifies (on the old code all 30 passed the check).
TEST_F(PasswordsTest, ParallelWrongCurrentPasswordsTakeAtMostTenSlots) {
  auto caller = CallerOf(SignedIn());
  int verifies = testing::VerifiesOfParallelCalls(hasher_, 30, [&](int) {
    (void)passwords_.Change(caller, {"not my password 1", kNew, false, ""});
  });
  EXPECT_LE(verifies, 10);
  EXPECT_EQ(passwords_.Change(caller, {kStrong, kNew, false, ""}).error().code,
            ErrorCode::kRateLimited);
}

}  // namespace
}  // namespace twostep::service
