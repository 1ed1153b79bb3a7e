// Start-up errors for push credentials: each names the key and the file
// and what is wrong, and never the key material.
#include "adapters/push/push_credentials.h"

#include <fstream>

#include <gtest/gtest.h>

#include "testing/temp_dir.h"

namespace twostep::push {
namespace {

const auto kLoopbackOnly = [](const std::string& url) { return url.rfind("http://127.0.0.1", 0) == 0; };

class PushCredentialsTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_.path() + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  std::string ErrorOf(const std::map<std::string, AppPushSettings>& apps) {
    try {
      LoadPushCredentials(apps, kLoopbackOnly);
    } catch (const KeyError& e) {
      return e.what();
    }
    return "(loaded)";
  }
  testing::TempDir dir_;
};

TEST_F(PushCredentialsTest, NoFilesNoCredentials) {
  EXPECT_TRUE(LoadPushCredentials({{"kasa", {}}}, kLoopbackOnly).empty());
}

TEST_F(PushCredentialsTest, AServiceAccountFileMustBeComplete) {
  AppPushSettings s;
  s.fcm_service_account_file = dir_.path() + "/missing.json";
  EXPECT_EQ(ErrorOf({{"kasa", s}}), "apps.kasa.fcm_service_account_file (" +
                                        s.fcm_service_account_file + "): cannot read " +
                                        s.fcm_service_account_file);
  s.fcm_service_account_file = Write("sa.json", "{not json");
  EXPECT_NE(ErrorOf({{"kasa", s}}).find(": not a JSON object"), std::string::npos);
  s.fcm_service_account_file = Write("sa.json", R"({"type":"service_account","project_id":"p",
      "client_email":"a@b","token_uri":"http://127.0.0.1:1/token"})");
  EXPECT_NE(ErrorOf({{"kasa", s}}).find("has no \"private_key\""), std::string::npos);
  s.fcm_service_account_file = Write("sa.json", R"({"type":"service_account","project_id":"p",
      "client_email":"a@b","token_uri":"http://example.com/token","private_key":"secret-ish"})");
  EXPECT_NE(ErrorOf({{"kasa", s}}).find("token_uri must be https://"), std::string::npos);
  s.fcm_service_account_file = Write("sa.json", R"({"type":"service_account","project_id":"p",
      "client_email":"a@b","token_uri":"http://127.0.0.1:1/token","private_key":"secret-ish"})");
  const std::string e = ErrorOf({{"kasa", s}});
  EXPECT_NE(e.find("no PEM private key"), std::string::npos) << e;
  EXPECT_EQ(e.find("secret-ish"), std::string::npos);
}

TEST_F(PushCredentialsTest, AnApnsKeyNeedsItsIdsAndTopic) {
  AppPushSettings s;
  s.apns_key_file = Write("k.p8", "whatever");
  EXPECT_EQ(ErrorOf({{"kasa", s}}), "apps.kasa.apns_key_id: required when apns_key_file is set");
  s.apns_key_id = "ABC123DEFG";
  s.apns_team_id = "TEAM123456";
  EXPECT_EQ(ErrorOf({{"kasa", s}}), "apps.kasa.apns_topic: required when apns_key_file is set");
  s.apns_topic = "com.example.kasa";
  EXPECT_EQ(ErrorOf({{"kasa", s}}),
            "apps.kasa.apns_key_file (" + s.apns_key_file + "): no PEM private key in it");
}

}  // namespace
}  // namespace twostep::push
