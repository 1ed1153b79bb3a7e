// Issue 23: mail floods and account farming. Registrations and reset
// requests are limited per client IP (429 with Retry-After); code and
// "already registered" mails per mailbox, silently (the answer is the usual
// one, only no mail goes out).
#include "service/passwords.h"
#include "service/registration.h"
#include "service/sign_in.h"
#include "testing/service_fixture.h"

namespace twostep::service {
namespace {

constexpr const char* kStrong = "correct horse battery staple 42";

class FloodsTest : public testing::ServiceFixture {
 protected:
  Result<std::string> Register(const std::string& email, const std::string& ip = "198.51.100.7") {
    return registration_.Register({email, kStrong, "kasa", std::nullopt, ip});
  }
  // Mails delivered so far whose recipient's mailbox is `mailbox`.
  int MailsTo(const std::string& local, const std::string& domain) {
    outbox_.RunOnce();
    int n = 0;
    for (const auto& m : transport_.sent) {
      const auto& to = m.message.to;
      if (to.starts_with(local + "@") || to.starts_with(local + "+"))
        n += to.ends_with("@" + domain) ? 1 : 0;
    }
    return n;
  }

  Registration& registration_ = uses_.registration;
  Passwords& passwords_ = uses_.passwords;
};

TEST_F(FloodsTest, RegistrationsArePerClientIpTwentyAnHour) {
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(Register("user" + std::to_string(i) + "@example.com").ok()) << i;
  const int hashes = hasher_.hashes;
  auto r = Register("user20@example.com");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(r.error().retry_after, hours(1));
  EXPECT_EQ(hasher_.hashes, hashes);  // refused before any Argon2id
  EXPECT_TRUE(Register("user20@example.com", "198.51.100.8").ok());  // another IP
  clock_.Advance(hours(1));
  EXPECT_TRUE(Register("user21@example.com").ok());
}

// Issue 22: a reload publishes a new policy; the next request applies it.
TEST_F(FloodsTest, AReloadedLimitAppliesToTheNextRegistration) {
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(Register("early" + std::to_string(i) + "@example.com").ok()) << i;
  ChangePolicy([](SecurityPolicy& p) { p.registrations_per_ip = {3, hours(1)}; });
  EXPECT_EQ(Register("late@example.com").error().code, ErrorCode::kRateLimited);
  ChangePolicy([](SecurityPolicy& p) { p.registrations_per_ip = {5, hours(1)}; });
  EXPECT_TRUE(Register("later@example.com").ok());
}

TEST_F(FloodsTest, ResetRequestsArePerClientIpTwentyAnHour) {
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(passwords_.RequestReset("user" + std::to_string(i) + "@example.com", "192.0.2.5").ok());
  auto r = passwords_.RequestReset("user20@example.com", "192.0.2.5");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRateLimited);
  EXPECT_GT(r.error().retry_after, seconds(0));
  EXPECT_TRUE(passwords_.RequestReset("user20@example.com", "192.0.2.6").ok());
}

// 11 registrations of ann+N@example.com: one inbox, 10 mails, 11 identical
// answers (nothing tells the sender that the 11th mail was not sent).
TEST_F(FloodsTest, TaggedAddressesShareOneMailboxQuota) {
  for (int i = 0; i < 11; ++i) {
    auto r = Register("Ann+" + std::to_string(i) + "@example.com");
    ASSERT_TRUE(r.ok()) << i;
    EXPECT_EQ(r->rfind("chl_", 0), 0u);
  }
  EXPECT_EQ(MailsTo("ann", "example.com"), 10);
  clock_.Advance(hours(1));
  ASSERT_TRUE(Register("ann+late@example.com").ok());
  EXPECT_EQ(MailsTo("ann", "example.com"), 11);
}

// The "already registered" notice and reset codes count against the same
// mailbox; past the limit a reset still answers with a challenge id.
TEST_F(FloodsTest, NoticesAndResetCodesCountToo) {
  auto cid = Register("bo@example.com");
  ASSERT_TRUE(cid.ok());
  ASSERT_TRUE(registration_.VerifyEmail(*cid, Secret(LastCodeTo("bo@example.com"))).ok());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(Register("bo@example.com").ok());  // 4 notices
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(passwords_.RequestReset("bo@example.com", "192.0.2.5").ok());
  EXPECT_EQ(MailsTo("bo", "example.com"), 10);
  auto over = Register("bo+again@example.com");  // a new account, its code not sent
  ASSERT_TRUE(over.ok());
  EXPECT_EQ(MailsTo("bo", "example.com"), 10);
}

}  // namespace
}  // namespace twostep::service
