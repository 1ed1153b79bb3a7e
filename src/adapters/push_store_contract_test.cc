// The push-token verbs of the Store contract (issue 20), on both backends:
// a registration belongs to the session that made it, is used only while
// that session proves the trusted device, and goes when the session or the
// device does.
#include <chrono>
#include <memory>

#include <gtest/gtest.h>

#include "testing/store_backends.h"
#include "testing/store_samples.h"

namespace twostep {
namespace {

const Timestamp kT0 = testing::kStoreT0;
const std::string kApnsToken(64, 'a');

domain::PushRegistration Registration(std::string device, std::string family, std::string token,
                                      domain::PushProvider p = domain::PushProvider::kApns) {
  return {"acc_1", std::move(device), std::move(family), "kasa", p, std::move(token), true, kT0};
}

class PushStoreContract : public testing::StoreBackendTest {
 protected:
  void SetUp() override {
    StoreBackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    store_ = Open();
    // Two trusted devices, each signed in by a session that holds its secret.
    auto tx = store_->Begin();
    ASSERT_TRUE(tx->InsertAccount(testing::SampleAccount("acc_1", "a@example.com")));
    for (const char* d : {"device-1", "device-2"}) {
      tx->TrustDevice("acc_1", {d, "Phone", "M", "OS", "kasa", "1"}, "127.0.0.1", kT0,
                      std::string("sh-") + d);
      tx->InsertTokenFamily({std::string("fam-") + d, "acc_1", d, kT0, std::string("sh-") + d});
    }
    tx->Commit();
  }

  std::optional<domain::PushRegistration> Target(const std::string& device) {
    return store_->BeginRead()->FindPushTarget("acc_1", device);
  }

  std::unique_ptr<Store> store_;
};

TWOSTEP_ON_BOTH_STORES(PushStoreContract);

TEST_P(PushStoreContract, ARegistrationRoundTripsAndIsReplaced) {
  {
    auto tx = store_->Begin();
    tx->PutPushToken(Registration("device-1", "fam-device-1", kApnsToken));
    tx->Commit();
  }
  auto t = Target("device-1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->provider, domain::PushProvider::kApns);
  EXPECT_EQ(t->token, kApnsToken);
  EXPECT_EQ(t->app, "kasa");
  EXPECT_EQ(t->family_id, "fam-device-1");
  EXPECT_TRUE(t->also_when_live);
  EXPECT_EQ(t->registered_at, kT0);
  {
    auto tx = store_->Begin();
    auto again = Registration("device-1", "fam-device-1", "fcm-token", domain::PushProvider::kFcm);
    again.also_when_live = false;
    tx->PutPushToken(again);
    tx->Commit();
  }
  t = Target("device-1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->provider, domain::PushProvider::kFcm);
  EXPECT_EQ(t->token, "fcm-token");
  EXPECT_FALSE(t->also_when_live);
  auto tx = store_->Begin();
  tx->DeletePushToken("acc_1", "device-1");
  tx->Commit();
  EXPECT_FALSE(Target("device-1"));
}

TEST_P(PushStoreContract, ATokenLivesOnOneDeviceOnly) {
  auto tx = store_->Begin();
  tx->PutPushToken(Registration("device-1", "fam-device-1", kApnsToken));
  tx->PutPushToken(Registration("device-2", "fam-device-2", kApnsToken));
  tx->Commit();
  EXPECT_FALSE(Target("device-1"));
  EXPECT_TRUE(Target("device-2"));
}

TEST_P(PushStoreContract, AGoneTokenIsForgottenWhereverItIs) {
  auto tx = store_->Begin();
  tx->PutPushToken(Registration("device-1", "fam-device-1", kApnsToken));
  tx->PutPushToken(Registration("device-2", "fam-device-2", "other", domain::PushProvider::kFcm));
  tx->ForgetPushToken(domain::PushProvider::kFcm, kApnsToken);  // another provider's: kept
  tx->Commit();
  EXPECT_TRUE(Target("device-1"));
  tx = store_->Begin();
  tx->ForgetPushToken(domain::PushProvider::kApns, kApnsToken);
  tx->Commit();
  EXPECT_FALSE(Target("device-1"));
  EXPECT_TRUE(Target("device-2"));
}

TEST_P(PushStoreContract, OnlyASessionThatProvesTheTrustedDeviceIsPushed) {
  auto tx = store_->Begin();
  // A session that named device-1 without its secret registers a token.
  tx->InsertTokenFamily({"fam-stranger", "acc_1", "device-1", kT0});
  tx->PutPushToken(Registration("device-1", "fam-stranger", kApnsToken));
  tx->Commit();
  EXPECT_FALSE(Target("device-1"));
  // It becomes the device's session when it is issued the secret.
  tx = store_->Begin();
  tx->SetFamilyDeviceSecret("fam-stranger", "sh-device-1");
  tx->Commit();
  EXPECT_TRUE(Target("device-1"));
  // An untrusted device is pushed nothing.
  tx = store_->Begin();
  ASSERT_TRUE(tx->UntrustDevice("acc_1", "device-1", "sh-device-1"));
  tx->Commit();
  EXPECT_FALSE(Target("device-1"));
}

TEST_P(PushStoreContract, EndingTheSessionDropsItsRegistration) {
  auto tx = store_->Begin();
  tx->PutPushToken(Registration("device-1", "fam-device-1", kApnsToken));
  tx->PutPushToken(Registration("device-2", "fam-device-2", "fcm-2", domain::PushProvider::kFcm));
  tx->RevokeFamily("fam-device-1", kT0);  // sign-out
  tx->Commit();
  EXPECT_FALSE(Target("device-1"));
  EXPECT_TRUE(Target("device-2"));
  tx = store_->Begin();
  tx->RevokeDeviceFamilies("acc_1", "device-2", kT0);  // removal
  tx->Commit();
  EXPECT_FALSE(Target("device-2"));
}

TEST_P(PushStoreContract, SigningOutOtherDevicesDropsTheirRegistrations) {
  auto tx = store_->Begin();
  tx->PutPushToken(Registration("device-1", "fam-device-1", kApnsToken));
  tx->PutPushToken(Registration("device-2", "fam-device-2", "fcm-2", domain::PushProvider::kFcm));
  tx->RevokeAccountFamilies("acc_1", "fam-device-1", kT0);
  tx->Commit();
  EXPECT_TRUE(Target("device-1"));
  EXPECT_FALSE(Target("device-2"));
}

}  // namespace
}  // namespace twostep
