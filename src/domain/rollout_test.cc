#include "domain/rollout.h"

#include <gtest/gtest.h>

#include "domain/random_values.h"
#include "testing/fakes.h"

namespace twostep::domain {
namespace {

TEST(RolloutTest, TwentyFivePercentOfTenThousandAccountsLandsWithinTwoPoints) {
  testing::ScriptedRandom random;
  Rollout r{"two_step", "kasa", 25, {}};
  int in = 0;
  for (int i = 0; i < 10000; ++i) in += InRollout(r, GenerateId(random, "acc"), "x@example.com");
  EXPECT_GE(in, 2300);
  EXPECT_LE(in, 2700);
}

TEST(RolloutTest, BucketIsStableAndDependsOnTheFeature) {
  EXPECT_EQ(RolloutBucket("two_step", "acc_1"), RolloutBucket("two_step", "acc_1"));
  int differ = 0;
  for (int i = 0; i < 100; ++i)
    differ += RolloutBucket("two_step", "acc_" + std::to_string(i)) !=
              RolloutBucket("other", "acc_" + std::to_string(i));
  EXPECT_GT(differ, 80);
}

TEST(RolloutTest, ZeroAndHundredAndAllowList) {
  Rollout none{"two_step", "kasa", 0, {"vip@example.com"}};
  Rollout all{"two_step", "kasa", 100, {}};
  EXPECT_FALSE(InRollout(none, "acc_1", "ann@example.com"));
  EXPECT_TRUE(InRollout(none, "acc_1", "vip@example.com"));
  EXPECT_TRUE(InRollout(all, "acc_1", "ann@example.com"));
}

}  // namespace
}  // namespace twostep::domain
