#include "app/mail_setup.h"

#include <gtest/gtest.h>

#include "testing/pem_keys.h"
#include "testing/temp_dir.h"

namespace twostep::app {
namespace {

class MailSetupTest : public ::testing::Test {
 protected:
  std::string Key(twostep::testing::KeyType type, const std::string& name) {
    return twostep::testing::WritePrivateKeyPem(dir_.path(), type, name);
  }
  std::map<std::string, std::string> Env() {
    return {{"TWOSTEP_MAIL_FROM", "no-reply@mail.example.com"},
            {"TWOSTEP_MAIL_DKIM_DOMAIN", "example.com"},
            {"TWOSTEP_MAIL_DKIM_SELECTOR", "rsa1"},
            {"TWOSTEP_MAIL_DKIM_KEY_FILE", Key(twostep::testing::KeyType::kRsa2048, "rsa.pem")},
            {"TWOSTEP_MAIL_DKIM_ED25519_SELECTOR", "ed1"},
            {"TWOSTEP_MAIL_DKIM_ED25519_KEY_FILE", Key(twostep::testing::KeyType::kEd25519, "ed.pem")},
            {"TWOSTEP_MAIL_SMTP_URL", "smtp://relay.example.net:587"}};
  }
  twostep::testing::TempDir dir_;
};

TEST_F(MailSetupTest, DisplayNamesComeFromTheAppsTableOrTheAppId) {
  auto c = LoadConfig(std::nullopt, {{"TWOSTEP_APPS_KASA_DISPLAY_NAME", "Kasa Smart"}});
  auto id = IdentityFromConfig(c);
  EXPECT_EQ(id.app_names.at("kasa"), "Kasa Smart");
  EXPECT_EQ(id.app_names.at("aginet"), "aginet");  // SPEC §4: default the app id
  EXPECT_FALSE(c.apps.at("kasa").two_step_default);  // the other setting untouched
}

TEST_F(MailSetupTest, DkimIsOffUntilConfiguredAndMustBeWhole) {
  EXPECT_FALSE(DkimFromConfig(LoadConfig(std::nullopt, {})));
  auto env = Env();
  auto dkim = DkimFromConfig(LoadConfig(std::nullopt, env));
  ASSERT_TRUE(dkim);
  EXPECT_EQ(dkim->keys.size(), 2u);
  auto without = [&](const char* name) {
    auto e = env;
    e.erase(name);
    return LoadConfig(std::nullopt, e);
  };
  EXPECT_THROW(DkimFromConfig(without("TWOSTEP_MAIL_DKIM_KEY_FILE")), ConfigError);
  EXPECT_THROW(DkimFromConfig(without("TWOSTEP_MAIL_DKIM_ED25519_KEY_FILE")), ConfigError);
  EXPECT_THROW(DkimFromConfig(without("TWOSTEP_MAIL_DKIM_ED25519_SELECTOR")), ConfigError);
  auto rsa_only = env;
  rsa_only.erase("TWOSTEP_MAIL_DKIM_ED25519_SELECTOR");
  rsa_only.erase("TWOSTEP_MAIL_DKIM_ED25519_KEY_FILE");
  EXPECT_EQ(DkimFromConfig(LoadConfig(std::nullopt, rsa_only))->keys.size(), 1u);
  env["TWOSTEP_MAIL_DKIM_DOMAIN"] = "exa mple.com";
  EXPECT_THROW(DkimFromConfig(LoadConfig(std::nullopt, env)), ConfigError);
}

TEST_F(MailSetupTest, MailDnsPrintsSpfDkimAndDmarc) {
  auto c = LoadConfig(std::nullopt, Env());
  const std::string text = MailDnsRecords(c);
  EXPECT_NE(text.find("mail.example.com. 3600 IN TXT \"v=spf1 a:relay.example.net -all\""),
            std::string::npos);
  EXPECT_NE(text.find("rsa1._domainkey.example.com. 3600 IN TXT ( \"v=DKIM1; k=rsa; p="),
            std::string::npos);
  EXPECT_NE(text.find("ed1._domainkey.example.com. 3600 IN TXT ( \"v=DKIM1; k=ed25519; p="),
            std::string::npos);
  EXPECT_NE(text.find("_dmarc.mail.example.com. 3600 IN TXT \"v=DMARC1; p=none;"),
            std::string::npos);
  EXPECT_EQ(text.find("WARNING"), std::string::npos);  // example.com is a parent: aligned
  auto other = Env();
  other["TWOSTEP_MAIL_DKIM_DOMAIN"] = "elsewhere.example";
  EXPECT_NE(MailDnsRecords(LoadConfig(std::nullopt, other)).find("WARNING"), std::string::npos);
  EXPECT_NE(MailDnsRecords(LoadConfig(std::nullopt, {})).find("DKIM: not configured"),
            std::string::npos);
}

}  // namespace
}  // namespace twostep::app
