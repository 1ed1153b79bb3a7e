// Server key rotation (SPEC §4, issue #22): a new key pair makes new codes,
// the previous pair still checks the codes of challenges made before, and a
// pair no longer kept checks nothing.
#include <gtest/gtest.h>

#include "service/registration.h"
#include "testing/service_fixture.h"

namespace twostep::service {
namespace {

constexpr const char* kStrong = "correct horse battery staple 42";

class KeyRotationTest : public testing::ServiceFixture {
 protected:
  void SetUp() override {
    ServerKeys keys = *keys_.Current();
    keys.key_id = "key-one";
    keys_.Set(keys);
  }

  // The operator's rotation: a new current pair, the old one kept.
  void Rotate(bool keep_old) {
    ServerKeys keys = *keys_.Current();
    if (keep_old) keys.others["key-one"] = {keys.code_hmac_key, keys.seal_key};
    keys.code_hmac_key = std::string(32, 'H');
    keys.seal_key = std::string(32, 'S');
    keys.key_id = "key-two";
    keys_.Set(keys);
  }

  std::string Register(const std::string& email) {
    auto cid = registration_.Register({email, kStrong, "kasa", std::nullopt, ""});
    EXPECT_TRUE(cid.ok());
    return *cid;
  }

  Registration& registration_ = uses_.registration;
};

TEST_F(KeyRotationTest, ACodeMadeBeforeTheRotationStillVerifies) {
  auto cid = Register("ann@example.com");
  auto code = LastCodeTo("ann@example.com");
  Rotate(/*keep_old=*/true);
  EXPECT_TRUE(registration_.VerifyEmail(cid, Secret(code)).ok());
}

TEST_F(KeyRotationTest, TheChallengeRecordsWhichKeyMadeItsCode) {
  auto before = Register("ann@example.com");
  Rotate(/*keep_old=*/true);
  auto after = Register("bo@example.com");
  EXPECT_EQ(store_.Begin()->LockChallenge(before)->key_id, "key-one");
  EXPECT_EQ(store_.Begin()->LockChallenge(after)->key_id, "key-two");
}

TEST_F(KeyRotationTest, NewCodesNeedOnlyTheNewKey) {
  Rotate(/*keep_old=*/true);
  auto cid = Register("ann@example.com");
  ServerKeys retired = *keys_.Current();
  retired.others.clear();  // the old pair retired
  keys_.Set(retired);
  EXPECT_TRUE(registration_.VerifyEmail(cid, Secret(LastCodeTo("ann@example.com"))).ok());
}

TEST_F(KeyRotationTest, AKeyNoLongerKeptChecksNothing) {
  auto cid = Register("ann@example.com");
  auto code = LastCodeTo("ann@example.com");
  Rotate(/*keep_old=*/false);
  auto r = registration_.VerifyEmail(cid, Secret(code));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidCode);
}

}  // namespace
}  // namespace twostep::service
