#include "service/rollouts.h"

#include "domain/random_values.h"
#include "testing/service_fixture.h"

namespace twostep::service {
namespace {

class RolloutsTest : public testing::ServiceFixture {
 protected:
  Rollouts& rollouts_ = uses_.rollouts;
};

TEST_F(RolloutsTest, AdminTwentyFivePercentReachesAQuarterOfTenThousandAccounts) {
  ASSERT_TRUE(rollouts_.Put("two_step", "kasa", 25, {}).ok());
  auto tx = store_.Begin();
  int available = 0;
  for (int i = 0; i < 10000; ++i) {
    domain::Account a;
    a.id = domain::GenerateId(random_, "acc");
    a.email = "user" + std::to_string(i) + "@example.com";
    available += TwoStepAvailable(*tx, *policy_.Get(), a, "kasa");
  }
  EXPECT_GE(available, 2300);
  EXPECT_LE(available, 2700);
  // Another app keeps its own rollout (100 % by default).
  domain::Account a{"acc_x", "x@example.com"};
  EXPECT_TRUE(TwoStepAvailable(*tx, *policy_.Get(), a, "aginet"));
}

TEST_F(RolloutsTest, ValidatesAndNormalises) {
  EXPECT_EQ(rollouts_.Put("two_step", "kasa", 101, {}).error().code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(rollouts_.Put("other", "kasa", 50, {}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(rollouts_.Put("two_step", "nope", 50, {}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(rollouts_.Put("two_step", "kasa", 50, {"not an email"}).error().code,
            ErrorCode::kInvalidRequest);
  auto r = rollouts_.Put("two_step", "kasa", 0, {"VIP@Example.com", "vip@example.com"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->allow, std::vector<std::string>{"vip@example.com"});
  EXPECT_EQ(rollouts_.Get("two_step", "kasa")->percent, 0);
}

TEST_F(RolloutsTest, ConfiguredInitialPercentAppliesUntilTheAdminSetsOne) {
  ChangePolicy([](SecurityPolicy& p) { p.initial_rollout_percent["two_step.kasa"] = 10; });
  EXPECT_EQ(rollouts_.Get("two_step", "kasa")->percent, 10);
  ASSERT_TRUE(rollouts_.Put("two_step", "kasa", 60, {}).ok());
  EXPECT_EQ(rollouts_.Get("two_step", "kasa")->percent, 60);
}

}  // namespace
}  // namespace twostep::service
