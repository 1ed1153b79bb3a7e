#include "domain/account.h"

#include <gtest/gtest.h>

namespace twostep::domain {
namespace {

const Timestamp kT0 = FromMillis(1'700'000'000'000);

TEST(IsLiveTest, TrustedAndUsedWithinTheIdleTime) {
  DeviceRecord d;
  d.trusted = true;
  d.last_seen_at = kT0;
  const seconds idle = hours(24) * 180;
  EXPECT_TRUE(IsLive(d, kT0 + idle - seconds(1), idle));
  EXPECT_FALSE(IsLive(d, kT0 + idle, idle));
  d.trusted = false;
  EXPECT_FALSE(IsLive(d, kT0, idle));
}

TEST(WrongCodeTest, AlertsOnceAtTheAlertAndBlocksFromTheBlock) {
  Account a;
  const WrongCodePolicy p{3, 5, seconds(3600)};
  EXPECT_EQ(ApplyWrongCode(a, kT0, p), WrongCodeEffect::kNone);
  EXPECT_EQ(ApplyWrongCode(a, kT0, p), WrongCodeEffect::kNone);
  EXPECT_EQ(ApplyWrongCode(a, kT0, p), WrongCodeEffect::kAlertOwner);
  EXPECT_EQ(ApplyWrongCode(a, kT0, p), WrongCodeEffect::kNone);
  EXPECT_FALSE(a.challenges_blocked_until);
  EXPECT_EQ(ApplyWrongCode(a, kT0 + seconds(5), p), WrongCodeEffect::kNone);
  ASSERT_TRUE(a.challenges_blocked_until);
  EXPECT_EQ(*a.challenges_blocked_until, kT0 + seconds(3605));
  EXPECT_TRUE(ClearWrongCodes(a));
  EXPECT_EQ(a.wrong_code_streak, 0);
  EXPECT_FALSE(ClearWrongCodes(a));
}

}  // namespace
}  // namespace twostep::domain
