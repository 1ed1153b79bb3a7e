#include "domain/rate_limit.h"

#include <gtest/gtest.h>

namespace twostep::domain {
namespace {

const Timestamp kT0 = FromMillis(1'800'000'000'000);

TEST(RateLimitTest, AllowsBelowTheLimit) {
  EXPECT_TRUE(DecideRate({9, kT0}, kT0, {10, minutes(15)}).allowed);
}

TEST(RateLimitTest, RefusesAtTheLimitUntilTheOldestHitLeaves) {
  auto d = DecideRate({10, kT0}, kT0 + minutes(5), {10, minutes(15)});
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, minutes(10));
}

TEST(RateLimitTest, RetryAfterIsAtLeastOneSecond) {
  auto d = DecideRate({10, kT0}, kT0 + minutes(15) - milliseconds(1), {10, minutes(15)});
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, seconds(1));
}

TEST(RateLimitTest, FloodKeysAreDistinctPerKind) {
  // One IP's registrations and resets are counted apart, and a mailbox
  // key never collides with an IP key of the same text.
  EXPECT_NE(RegistrationsByIpKey("192.0.2.1"), ResetsByIpKey("192.0.2.1"));
  EXPECT_NE(MailsToMailboxKey("192.0.2.1"), RegistrationsByIpKey("192.0.2.1"));
  EXPECT_EQ(MailsToMailboxKey("ann@example.com"), "mail:box:ann@example.com");
}

}  // namespace
}  // namespace twostep::domain
