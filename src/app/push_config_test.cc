// push.* settings (SPEC §4): the webhook URL must be https:// unless it
// names a loopback host, and the webhook secret never shows in --help or
// in an error message.
#include <gtest/gtest.h>

#include "app/config.h"

namespace twostep::app {
namespace {

Config WithWebhook(const std::string& url) {
  return LoadConfig(std::nullopt, {{"TWOSTEP_PUSH_WEBHOOK_URL", url}});
}

TEST(PushConfigTest, WebhookUrlMustBeHttpsUnlessTheHostIsLoopback) {
  for (const char* ok : {"https://example.com/hook", "https://push.example.com:8443/x",
                         "http://127.0.0.1:9/hook", "http://127.3.4.5/hook",
                         "http://localhost:9/hook", "http://LOCALHOST/hook", "http://[::1]:9/hook"}) {
    EXPECT_EQ(WithWebhook(ok).push.webhook_url, ok);
  }
  for (const char* bad : {"http://example.com/hook", "http://10.0.0.1/hook",
                          "http://localhost.example.com/hook", "http://127.0.0.1.example.com/hook",
                          "http://127.0.0.1@example.com/hook", "http://[::ffff:8.8.8.8]/hook",
                          "ftp://127.0.0.1/hook", "file:///etc/passwd", "not a url", "//example.com"}) {
    EXPECT_THROW(WithWebhook(bad), ConfigError) << bad;
  }
  EXPECT_TRUE(LoadConfig(std::nullopt, {}).push.webhook_url.empty());  // off by default
}

TEST(PushConfigTest, TheWebhookSecretIsReadButNeverShown) {
  const std::string secret = "whsec-d41d8cd98f00b204e9800998ecf8427e";
  auto c = LoadConfig(std::nullopt, {{"TWOSTEP_PUSH_WEBHOOK_URL", "https://example.com/hook"},
                                     {"TWOSTEP_PUSH_WEBHOOK_SECRET", secret}});
  EXPECT_EQ(c.push.webhook_secret, secret);
  EXPECT_NE(HelpText().find("push.webhook_secret"), std::string::npos);
  EXPECT_EQ(HelpText().find(secret), std::string::npos);
  try {
    LoadConfig(std::nullopt, {{"TWOSTEP_PUSH_WEBHOOK_URL", "http://example.com/hook"},
                              {"TWOSTEP_PUSH_WEBHOOK_SECRET", secret}});
    FAIL() << "an http:// URL to a remote host was accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).find(secret), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("push.webhook_url"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace twostep::app

namespace twostep::app {
namespace {

TEST(PushConfigTest, AppPushKeysComeFromTheFileOrTheEnvironment) {
  auto c = LoadConfig(std::nullopt, {{"TWOSTEP_APPS_KASA_APNS_KEY_FILE", "/k/AuthKey.p8"},
                                     {"TWOSTEP_APPS_KASA_APNS_KEY_ID", "ABC123DEFG"},
                                     {"TWOSTEP_APPS_KASA_APNS_TEAM_ID", "TEAM123456"},
                                     {"TWOSTEP_APPS_KASA_APNS_TOPIC", "com.example.kasa"},
                                     {"TWOSTEP_APPS_MY_APP_FCM_SERVICE_ACCOUNT_FILE", "/k/sa.json"}});
  EXPECT_EQ(c.apps["kasa"].apns_key_file, "/k/AuthKey.p8");
  EXPECT_EQ(c.apps["kasa"].apns_key_id, "ABC123DEFG");
  EXPECT_EQ(c.apps["kasa"].apns_team_id, "TEAM123456");
  EXPECT_EQ(c.apps["kasa"].apns_topic, "com.example.kasa");
  EXPECT_FALSE(c.apps["kasa"].two_step_default);  // the app's other settings stay
  EXPECT_EQ(c.apps["my_app"].fcm_service_account_file, "/k/sa.json");
  EXPECT_NE(HelpText().find("apps.<id>.fcm_service_account_file"), std::string::npos);
  EXPECT_NE(HelpText().find("TWOSTEP_APPS_<ID>_APNS_TEAM_ID"), std::string::npos);
}

TEST(PushConfigTest, EndpointsMustBeHttpsUnlessTheHostIsLoopback) {
  auto c = LoadConfig(std::nullopt, {});
  EXPECT_EQ(c.push.fcm_endpoint, "https://fcm.googleapis.com");
  EXPECT_EQ(c.push.apns_endpoint, "https://api.push.apple.com");
  EXPECT_EQ(LoadConfig(std::nullopt, {{"TWOSTEP_PUSH_APNS_ENDPOINT", "http://127.0.0.1:9"}})
                .push.apns_endpoint,
            "http://127.0.0.1:9");
  EXPECT_THROW(LoadConfig(std::nullopt, {{"TWOSTEP_PUSH_APNS_ENDPOINT", "http://example.com"}}),
               ConfigError);
  EXPECT_THROW(LoadConfig(std::nullopt, {{"TWOSTEP_PUSH_FCM_ENDPOINT", "ftp://127.0.0.1"}}),
               ConfigError);
}

}  // namespace
}  // namespace twostep::app
