// The SIGHUP handler's entry to new push credentials: a bad file is a
// ConfigError naming the key, and leaves the channel running.
#include "app/push_channel.h"

#include <fstream>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <gtest/gtest.h>

#include "adapters/sqlite/sqlite_store.h"
#include "testing/fakes.h"
#include "testing/temp_dir.h"

namespace twostep::app {
namespace {

std::string P256KeyPem() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(len));
  BIO_free(bio);
  EVP_PKEY_free(key);
  return pem;
}

TEST(PushChannelTest, ReloadReadsTheFilesAgainAndRefusesABadOne) {
  testing::TempDir dir;
  sqlite::SqliteStore store(dir.path() + "/t.db");
  testing::ManualClock clock;
  testing::RecordingCounters counters;
  Config config = LoadConfig(std::nullopt, {});
  auto channel = OpenPushChannel(config, store, clock, counters,
                                 [](const std::string&, const std::string&) { return false; });
  auto& kasa = config.apps["kasa"];
  kasa.apns_key_file = dir.path() + "/AuthKey.p8";
  kasa.apns_key_id = "ABC123DEFG";
  kasa.apns_team_id = "TEAM123456";
  kasa.apns_topic = "com.example.kasa";
  std::ofstream(kasa.apns_key_file) << "not a key";
  try {
    ReloadPushCredentials(config, *channel);
    FAIL() << "a bad key file was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("apps.kasa.apns_key_file"), std::string::npos);
  }
  std::ofstream(kasa.apns_key_file) << P256KeyPem();
  EXPECT_NO_THROW(ReloadPushCredentials(config, *channel));
  EXPECT_EQ(LoadPushCredentials(config).apns.count("kasa"), 1u);
}

}  // namespace
}  // namespace twostep::app
