#include "service/registration.h"

#include "service/housekeeping.h"
#include "service/sign_in.h"
#include "testing/service_fixture.h"

namespace twostep::service {
namespace {

constexpr const char* kStrong = "correct horse battery staple 42";
constexpr const char* kAttacker = "attacker picked this one 99";

class RegistrationTest : public testing::ServiceFixture {
 protected:
  Result<std::string> Register(const std::string& email, const std::string& password,
                               const std::string& ip = "198.51.100.7") {
    return registration_.Register({email, password, "kasa", std::nullopt, ip});
  }
  ErrorCode SignInError(const std::string& email, const std::string& password) {
    auto r = uses_.sign_in.Run({email, password, device_, std::nullopt, "198.51.100.8"});
    return r.ok() ? ErrorCode::kInternal : r.error().code;
  }
  bool SignsIn(const std::string& email, const std::string& password) {
    auto r = uses_.sign_in.Run({email, password, device_, std::nullopt, "198.51.100.8"});
    return r.ok() && std::holds_alternative<IssuedSession>(*r);
  }
  domain::Challenge ChallengeRow(const std::string& id) {
    auto tx = store_.Begin();
    return *tx->LockChallenge(id);
  }
  bool AccountExists(const std::string& email) {
    auto tx = store_.Begin();
    return tx->FindAccountByEmail(email).has_value();
  }

  Registration& registration_ = uses_.registration;
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
  SignIn& sign_in = uses_.sign_in;
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
  const int before = hasher_.hashes;  // SignIn's dummy hash, made at start-up
  EXPECT_EQ(registration_.Register({"not-an-email", kStrong, "kasa", std::nullopt, ""}).error().code,
            ErrorCode::kInvalidEmail);
  EXPECT_EQ(registration_.Register({"a@example.com", "short", "kasa", std::nullopt, ""}).error().code,
            ErrorCode::kWeakPassword);
  EXPECT_EQ(registration_.Register({"a@example.com", kStrong, "nope", std::nullopt, ""}).error().code,
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(hasher_.hashes, before);
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

// U1 / issue 23: someone registers the owner's unverified address with a
// password of their own after the owner did. The owner confirms the code of
// their own challenge: the account has the owner's password, not theirs.
TEST_F(RegistrationTest, ReRegistrationCannotChooseTheOwnersPassword) {
  auto owner = Register("ann@example.com", kStrong);
  ASSERT_TRUE(owner.ok());
  auto owner_code = LastCodeTo("ann@example.com");
  auto attacker = Register("ann@example.com", kAttacker, "203.0.113.66");
  ASSERT_TRUE(attacker.ok());
  auto attacker_code = LastCodeTo("ann@example.com");
  ASSERT_TRUE(registration_.VerifyEmail(*owner, Secret(owner_code)).ok());
  EXPECT_TRUE(SignsIn("ann@example.com", kStrong));
  EXPECT_EQ(SignInError("ann@example.com", kAttacker), ErrorCode::kInvalidCredentials);
  // Confirming one registration ended the other, and wiped what it carried.
  auto ended = ChallengeRow(*attacker);
  EXPECT_EQ(ended.state, domain::ChallengeState::kExpired);
  EXPECT_EQ(ended.password_hash, "");
  EXPECT_EQ(ended.code_hash, "");
  auto r = registration_.VerifyEmail(*attacker, Secret(attacker_code));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kChallengeExpired);
  EXPECT_TRUE(SignsIn("ann@example.com", kStrong));
}

// The other order: whoever registers first cannot choose the password the
// mailbox owner confirms later either.
TEST_F(RegistrationTest, FirstRegistrantCannotChooseTheOwnersPassword) {
  ASSERT_TRUE(Register("ann@example.com", kAttacker, "203.0.113.66").ok());
  auto owner = Register("ann@example.com", kStrong);
  ASSERT_TRUE(owner.ok());
  ASSERT_TRUE(registration_.VerifyEmail(*owner, Secret(LastCodeTo("ann@example.com"))).ok());
  EXPECT_TRUE(SignsIn("ann@example.com", kStrong));
  EXPECT_EQ(SignInError("ann@example.com", kAttacker), ErrorCode::kInvalidCredentials);
  EXPECT_EQ(ChallengeRow(*owner).password_hash, "");  // the account holds it now
}

// U17: each registration's code mail is in the language it chose, and the
// account takes the language and zone of the registration that is
// confirmed, not of whoever registered the address first.
TEST_F(RegistrationTest, TheConfirmedRegistrationChoosesTheLanguageAndZone) {
  RegisterRequest attacker{"ann@example.com", kAttacker, "kasa", std::nullopt, "203.0.113.66"};
  attacker.locale = "ja";
  attacker.time_zone = "Asia/Tokyo";
  ASSERT_TRUE(registration_.Register(attacker).ok());
  RegisterRequest owner{"ann@example.com", kStrong, "kasa", std::nullopt, "198.51.100.7"};
  owner.locale = "cs";
  owner.time_zone = "Europe/Prague";
  auto cid = registration_.Register(owner);
  ASSERT_TRUE(cid.ok());
  const std::string code = LastCodeTo("ann@example.com");
  ASSERT_EQ(transport_.sent.size(), 2u);
  EXPECT_EQ(transport_.sent[0].message.language, "ja");
  EXPECT_EQ(transport_.sent[1].message.language, "cs");
  ASSERT_TRUE(registration_.VerifyEmail(*cid, Secret(code)).ok());
  auto tx = store_.Begin();
  auto account = tx->FindAccountByEmail("ann@example.com");
  ASSERT_TRUE(account);
  EXPECT_EQ(account->locale, "cs");
  EXPECT_EQ(account->time_zone, "Europe/Prague");
}

TEST_F(RegistrationTest, UnknownLanguageOrZoneIsRefusedAndNothingIsWritten) {
  RegisterRequest bad_language{"ann@example.com", kStrong, "kasa", std::nullopt, ""};
  bad_language.locale = "tlh";
  RegisterRequest bad_zone{"ann@example.com", kStrong, "kasa", std::nullopt, ""};
  bad_zone.time_zone = "Mars/Olympus_Mons";
  const int before = hasher_.hashes;
  for (const auto& request : {bad_language, bad_zone}) {
    auto r = registration_.Register(request);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidRequest);
  }
  EXPECT_FALSE(AccountExists("ann@example.com"));
  EXPECT_EQ(hasher_.hashes, before);  // refused before the hash
}

// The notice about a taken address is read by its owner: their language,
// whatever the registering stranger chose.
TEST_F(RegistrationTest, TheTakenAddressNoticeIsInTheOwnersLanguage) {
  RegisterRequest owner{"ann@example.com", kStrong, "kasa", std::nullopt, ""};
  owner.locale = "de";
  auto first = registration_.Register(owner);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(registration_.VerifyEmail(*first, Secret(LastCodeTo("ann@example.com"))).ok());
  transport_.sent.clear();
  RegisterRequest stranger{"ann@example.com", kAttacker, "kasa", std::nullopt, ""};
  stranger.locale = "fr";
  ASSERT_TRUE(registration_.Register(stranger).ok());
  outbox_.RunOnce();
  ASSERT_EQ(transport_.sent.size(), 1u);
  EXPECT_EQ(transport_.sent[0].message.language, "de");
}

// Signing in to an unverified account emails a new registration code; that
// challenge keeps the password the sign-in just proved (see VerifyEmail).
TEST_F(RegistrationTest, SignInToAnUnverifiedAccountKeepsItsPassword) {
  ASSERT_TRUE(Register("ann@example.com", kStrong).ok());
  auto r = uses_.sign_in.Run({"ann@example.com", kStrong, device_, std::nullopt, ""});
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.error().code, ErrorCode::kEmailNotVerified);
  ASSERT_TRUE(r.error().challenge_id);
  ASSERT_TRUE(Register("ann@example.com", kAttacker, "203.0.113.66").ok());
  auto code = LastCodeTo("ann@example.com");  // the attacker's mail is the newest...
  transport_.sent.pop_back();
  code = LastCodeTo("ann@example.com");       // ...the sign-in's is the one before
  ASSERT_TRUE(registration_.VerifyEmail(*r.error().challenge_id, Secret(code)).ok());
  EXPECT_TRUE(SignsIn("ann@example.com", kStrong));
  EXPECT_EQ(SignInError("ann@example.com", kAttacker), ErrorCode::kInvalidCredentials);
}

TEST_F(RegistrationTest, UnverifiedAccountsAreDeletedAfterSevenDays) {
  ASSERT_TRUE(Register("ann@example.com", kStrong).ok());
  auto bo = Register("bo@example.com", kStrong);
  ASSERT_TRUE(registration_.VerifyEmail(*bo, Secret(LastCodeTo("bo@example.com"))).ok());
  Housekeeping housekeeping(store_, clock_, hours(24 * 90));
  clock_.Advance(hours(24 * 7) - minutes(1));
  housekeeping.RunOnce();
  EXPECT_TRUE(AccountExists("ann@example.com"));
  clock_.Advance(minutes(2));
  housekeeping.RunOnce();
  EXPECT_FALSE(AccountExists("ann@example.com"));
  EXPECT_TRUE(AccountExists("bo@example.com"));
  // The address is free again for a new registration.
  auto again = Register("ann@example.com", kStrong);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(registration_.VerifyEmail(*again, Secret(LastCodeTo("ann@example.com"))).ok());
}

}  // namespace
}  // namespace twostep::service
