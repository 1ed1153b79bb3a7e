#include "app/reload.h"

#include <gtest/gtest.h>

namespace twostep::app {
namespace {

using Keys = std::vector<std::string>;

TEST(ReloadPlanTest, NothingChangedNothingToDo) {
  Config c;
  auto plan = PlanReload(c, c);
  EXPECT_TRUE(plan.live.empty());
  EXPECT_TRUE(plan.restart_needed.empty());
}

TEST(ReloadPlanTest, LiveKeysAndRestartKeysAreSplit) {
  Config running, next;
  next.log.level = "warn";
  next.server.trusted_proxies = {"10.0.0.1"};
  next.mail.smtp_password = "x";
  next.security.code_ttl_s = 300;
  next.security.argon2_memory_kib = 9000;
  next.server.listen = "0.0.0.0:8080";
  next.database.url = "postgresql://db/twostep";
  auto plan = PlanReload(running, next);
  EXPECT_EQ(plan.live, (Keys{"server.trusted_proxies", "mail.smtp_password",
                             "security.code_ttl_s", "log.level"}));
  EXPECT_EQ(plan.restart_needed,
            (Keys{"server.listen", "database.url", "security.argon2_memory_kib"}));
}

TEST(ReloadPlanTest, AppsAndRolloutSeedsAreLiveAndNamedOneByOne) {
  Config running, next;
  next.apps["kasa"].two_step_default = true;
  next.apps["kasa"].display_name = "Kasa";
  next.apps["tapo"].two_step_default = false;
  next.rollout_percent["two_step.kasa"] = 25;
  auto plan = PlanReload(running, next);
  // A new app is named by its two_step_default (what makes it known).
  EXPECT_EQ(plan.live, (Keys{"apps.kasa.two_step_default", "apps.kasa.display_name",
                             "apps.tapo.two_step_default", "rollout.two_step.kasa.percent"}));
  EXPECT_TRUE(plan.restart_needed.empty());
}

TEST(ReloadPlanTest, PushCredentialsOfAnAppAreLive) {
  Config running, next;
  next.apps["kasa"].fcm_service_account_file = "/etc/twostep/kasa-fcm.json";
  next.apps["aginet"].apns_key_id = "ABC123";
  auto plan = PlanReload(running, next);
  EXPECT_EQ(plan.live, (Keys{"apps.aginet.apns_key_id", "apps.kasa.fcm_service_account_file"}));
  EXPECT_TRUE(plan.restart_needed.empty());
}

}  // namespace
}  // namespace twostep::app
