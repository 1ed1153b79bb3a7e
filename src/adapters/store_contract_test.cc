// The Store contract, run against every backend: the embedded SQLite file
// and a real PostgreSQL database (skipped without TEST_PG_URL,
// failed in CI where TEST_PG_REQUIRED=1). "Another store on the same
// database" stands for another twostepd process.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "testing/store_backends.h"
#include "testing/store_samples.h"

namespace twostep {
namespace {

const Timestamp kT0 = testing::kStoreT0;

using testing::SampleAccount;

using StoreContract = testing::StoreBackendTest;
TWOSTEP_ON_BOTH_STORES(StoreContract);

TEST_P(StoreContract, UncommittedTransactionLeavesNothing) {
  auto store = Open();
  {
    auto tx = store->Begin();
    ASSERT_TRUE(tx->InsertAccount(SampleAccount("acc_1", "a@example.com")));
    tx->EnqueueMail({"a@example.com", "s", "t", "h"}, kT0);
    // destroyed without Commit
  }
  EXPECT_FALSE(store->NextMailDue());
  auto tx = store->Begin();
  EXPECT_FALSE(tx->FindAccountByEmail("a@example.com"));
}

TEST_P(StoreContract, CommittedDataIsSeenByAnotherStore) {
  {
    auto store = Open();
    Seed(*store);
  }
  auto again = Open();  // migrations are idempotent
  auto tx = again->Begin();
  auto a = tx->FindAccountByEmail("a@example.com");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->id, "acc_1");
  EXPECT_EQ(a->created_at, kT0);
  EXPECT_FALSE(a->challenges_blocked_until);
}

TEST_P(StoreContract, EmailIsUnique) {
  auto store = Open();
  auto tx = store->Begin();
  EXPECT_TRUE(tx->InsertAccount(SampleAccount("acc_1", "a@example.com")));
  EXPECT_FALSE(tx->InsertAccount(SampleAccount("acc_2", "a@example.com")));
  tx->Commit();
}

TEST_P(StoreContract, AccountFieldsRoundTrip) {
  auto store = Open();
  auto a = SampleAccount("acc_1", "a@example.com");
  a.email_verified = a.two_step_enabled = a.two_step_email_verified = true;
  a.wrong_code_streak = 17;
  a.challenges_blocked_until = kT0 + hours(1);
  a.email_undeliverable_since = kT0 + minutes(3);
  a.locale = "zh-Hant";
  a.time_zone = "Asia/Taipei";
  {
    auto tx = store->Begin();
    ASSERT_TRUE(tx->InsertAccount(a));
    EXPECT_EQ(tx->FindAccountById("acc_1")->locale, "zh-Hant");
    a.password_hash = "new-hash";
    a.locale = "cs";
    a.time_zone = "Europe/Prague";
    tx->UpdateAccount(a);
    tx->Commit();
  }
  auto tx = store->Begin();
  auto back = tx->FindAccountById("acc_1");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->password_hash, "new-hash");
  EXPECT_TRUE(back->email_verified && back->two_step_enabled && back->two_step_email_verified);
  EXPECT_EQ(back->wrong_code_streak, 17);
  EXPECT_EQ(back->challenges_blocked_until, kT0 + hours(1));
  EXPECT_EQ(back->email_undeliverable_since, kT0 + minutes(3));
  EXPECT_EQ(back->locale, "cs");
  EXPECT_EQ(back->time_zone, "Europe/Prague");
}

TEST_P(StoreContract, RevokedFamilyKillsItsTokens) {
  auto store = Open();
  auto tx = store->Begin();
  ASSERT_TRUE(tx->InsertAccount(SampleAccount("acc_1", "a@example.com")));
  tx->InsertTokenFamily({"fam_1", "acc_1", "device-1", kT0});
  tx->InsertTokenFamily({"fam_2", "acc_1", "device-2", kT0});
  tx->InsertAccessToken("h1", "fam_1", kT0 + minutes(15));
  tx->InsertRefreshToken("r1", "fam_1", kT0 + hours(24));
  EXPECT_TRUE(tx->FindValidAccess("h1", kT0));
  EXPECT_FALSE(tx->FindValidAccess("h1", kT0 + minutes(15)));  // expired
  auto r = tx->LockRefreshToken("r1");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->used);
  tx->MarkRefreshUsed("r1");
  EXPECT_TRUE(tx->LockRefreshToken("r1")->used);
  auto signed_out = tx->RevokeAccountFamilies("acc_1", "fam_2", kT0);
  EXPECT_EQ(signed_out, std::vector<std::string>{"device-1"});
  EXPECT_FALSE(tx->FindValidAccess("h1", kT0));
  EXPECT_TRUE(tx->LockRefreshToken("r1")->family_revoked);
}

TEST_P(StoreContract, ChallengeRoundTripsAndListsOpenOnes) {
  auto store = Open();
  Seed(*store);
  auto tx = store->Begin();
  auto c = tx->LockChallenge("chl_1");
  ASSERT_TRUE(c);
  c->attempts_left = 3;
  c->locale = "ja";
  c->time_zone = "Asia/Tokyo";
  tx->UpdateChallenge(*c);
  auto back = tx->LockChallenge("chl_1");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->attempts_left, 3);
  EXPECT_EQ(back->method, domain::ChallengeMethod::kApp);
  EXPECT_EQ(back->requester.model, "GKWS6");
  EXPECT_EQ(back->requester_ip, "203.0.113.5");
  EXPECT_EQ(back->locale, "ja");
  EXPECT_EQ(back->time_zone, "Asia/Tokyo");
  EXPECT_EQ(tx->OpenChallenges("acc_1", domain::ChallengePurpose::kSignIn, kT0).size(), 1u);
  EXPECT_TRUE(tx->OpenChallenges("acc_1", domain::ChallengePurpose::kSignIn, kT0 + minutes(10)).empty());
  EXPECT_FALSE(tx->LockChallenge("chl_unknown"));
}

TEST_P(StoreContract, ChallengesAliveAtListsEndedOnesUntilTheirExpiry) {
  auto store = Open();
  Seed(*store);
  auto tx = store->Begin();
  auto c = tx->LockChallenge("chl_1");
  ASSERT_TRUE(c);
  auto denied = domain::Deny(*c, kT0);
  ASSERT_TRUE(denied);
  tx->UpdateChallenge(*denied);
  // No longer open, but a device live before it ended may still show it.
  EXPECT_TRUE(tx->OpenChallenges("acc_1", domain::ChallengePurpose::kSignIn, kT0).empty());
  auto alive = tx->ChallengesAliveAt("acc_1", domain::ChallengePurpose::kSignIn, kT0);
  ASSERT_EQ(alive.size(), 1u);
  EXPECT_EQ(alive[0].state, domain::ChallengeState::kDenied);
  EXPECT_TRUE(tx->ChallengesAliveAt("acc_1", domain::ChallengePurpose::kSignIn,
                                    c->expires_at).empty());
  EXPECT_TRUE(tx->ChallengesAliveAt("acc_2", domain::ChallengePurpose::kSignIn, kT0).empty());
  EXPECT_TRUE(tx->ChallengesAliveAt("acc_1", domain::ChallengePurpose::kRegistration, kT0).empty());
}

TEST_P(StoreContract, DevicesTouchTrustAndListTrusted) {
  auto store = Open();
  auto tx = store->Begin();
  ASSERT_TRUE(tx->InsertAccount(SampleAccount("acc_1", "a@example.com")));
  domain::DeviceDescription desc{"device-1", "Laptop", "X1", "Debian 12", "kasa", "1.0"};
  tx->TouchDevice("acc_1", desc, "127.0.0.1", kT0);
  EXPECT_TRUE(tx->ListTrustedDevices("acc_1").empty());
  desc.name = "Renamed";
  tx->TrustDevice("acc_1", desc, "127.0.0.2", kT0 + minutes(1), "sh");
  auto list = tx->ListTrustedDevices("acc_1");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].description.name, "Renamed");
  EXPECT_EQ(list[0].trusted_at, kT0 + minutes(1));
  EXPECT_EQ(list[0].first_seen_at, kT0);
  EXPECT_EQ(list[0].secret_hash, "sh");
  EXPECT_EQ(tx->CountDevices("acc_1"), 1);
  // A plain touch keeps the trust; the compare-and-set touch needs the secret.
  tx->TouchDevice("acc_1", desc, "127.0.0.3", kT0 + minutes(2));
  EXPECT_EQ(tx->ListTrustedDevices("acc_1").size(), 1u);
  EXPECT_FALSE(tx->TouchTrustedDevice("acc_1", desc, "127.0.0.3", kT0 + minutes(3), "other"));
  EXPECT_TRUE(tx->TouchTrustedDevice("acc_1", desc, "127.0.0.4", kT0 + minutes(3), "sh"));
  EXPECT_EQ(tx->FindDevice("acc_1", "device-1")->last_ip, "127.0.0.4");
  tx->MarkDeviceSeen("acc_1", "device-1", kT0 + minutes(4));
  EXPECT_EQ(tx->FindDevice("acc_1", "device-1")->last_seen_at, kT0 + minutes(4));
  EXPECT_FALSE(tx->UntrustDevice("acc_1", "device-1", "other"));
  EXPECT_TRUE(tx->UntrustDevice("acc_1", "device-1", "sh"));
  EXPECT_FALSE(tx->UntrustDevice("acc_1", "device-1", "sh"));
  EXPECT_TRUE(tx->ListTrustedDevices("acc_1").empty());
}

// Issue 23 item 12: a sign-in that read a trusted device before a removal
// committed must not write the trust back; its compare-and-set fails.
TEST_P(StoreContract, AStaleTouchNeverRestoresTrust) {
  auto store = Open();
  domain::DeviceDescription desc{"device-1", "Laptop", "X1", "Debian 12", "kasa", "1.0"};
  {
    auto tx = store->Begin();
    ASSERT_TRUE(tx->InsertAccount(SampleAccount("acc_1", "a@example.com")));
    tx->TrustDevice("acc_1", desc, "127.0.0.1", kT0, "sh");
    tx->Commit();
  }
  std::string seen_secret;
  {
    auto reader = store->BeginRead();  // the sign-in's view before the removal
    seen_secret = reader->FindDevice("acc_1", "device-1")->secret_hash;
    reader->Commit();
  }
  {
    auto tx = store->Begin();
    ASSERT_TRUE(tx->UntrustDevice("acc_1", "device-1", "sh"));
    tx->Commit();
  }
  auto tx = store->Begin();
  EXPECT_FALSE(tx->TouchTrustedDevice("acc_1", desc, "127.0.0.1", kT0 + minutes(1), seen_secret));
  tx->TouchDevice("acc_1", desc, "127.0.0.1", kT0 + minutes(1));
  tx->Commit();
  EXPECT_TRUE(store->BeginRead()->ListTrustedDevices("acc_1").empty());
}

TEST_P(StoreContract, FamiliesRememberTheDeviceSecretTheyHold) {
  auto store = Open();
  auto tx = store->Begin();
  ASSERT_TRUE(tx->InsertAccount(SampleAccount("acc_1", "a@example.com")));
  tx->InsertTokenFamily({"fam_1", "acc_1", "device-1", kT0, "sh"});
  tx->InsertTokenFamily({"fam_2", "acc_1", "device-1", kT0});
  tx->InsertAccessToken("at1", "fam_1", kT0 + minutes(15));
  tx->InsertAccessToken("at2", "fam_2", kT0 + minutes(15));
  tx->InsertRefreshToken("rt2", "fam_2", kT0 + hours(1));
  EXPECT_EQ(tx->FindValidAccess("at1", kT0)->device_secret_hash, "sh");
  EXPECT_EQ(tx->FindValidAccess("at2", kT0)->device_secret_hash, "");
  tx->SetFamilyDeviceSecret("fam_2", "sh2");
  EXPECT_EQ(tx->FindValidAccess("at2", kT0)->device_secret_hash, "sh2");
  EXPECT_EQ(tx->LockRefreshToken("rt2")->device_secret_hash, "sh2");
}

TEST_P(StoreContract, RolloutsRoundTrip) {
  auto store = Open();
  auto tx = store->Begin();
  EXPECT_FALSE(tx->FindRollout("two_step", "kasa"));
  tx->PutRollout({"two_step", "kasa", 25, {"a@example.com", "b@example.com"}});
  tx->PutRollout({"two_step", "kasa", 30, {"c@example.com"}});
  auto r = tx->FindRollout("two_step", "kasa");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->percent, 30);
  EXPECT_EQ(r->allow, std::vector<std::string>{"c@example.com"});
}

// Store::ReadSecurityFacts answers what the separate reads would: the
// grant, its account, the caller's app and its rollout (two-step off), the
// trusted devices of that account only.
TEST_P(StoreContract, SecurityFactsAreTheGrantItsAccountAppRolloutAndTrustedDevices) {
  auto store = Open();
  {
    auto tx = store->Begin();
    auto a = SampleAccount("acc_1", "a@example.com");
    a.email_undeliverable_since = kT0 + minutes(1);
    ASSERT_TRUE(tx->InsertAccount(a));
    ASSERT_TRUE(tx->InsertAccount(SampleAccount("acc_2", "b@example.com")));
    tx->InsertTokenFamily({"fam_1", "acc_1", "device-1", kT0, "sh1"});
    tx->InsertTokenFamily({"fam_2", "acc_1", "device-gone", kT0});
    tx->InsertAccessToken("at1", "fam_1", kT0 + minutes(15));
    tx->InsertAccessToken("at2", "fam_2", kT0 + minutes(15));
    tx->TouchDevice("acc_1", {"device-1", "Laptop", "X1", "Debian 12", "kasa", "1.0"}, "", kT0);
    tx->TrustDevice("acc_1", {"device-3", "Tablet", "T", "OS", "kasa", "2"}, "", kT0 + minutes(2), "s3");
    tx->TrustDevice("acc_1", {"device-2", "Phone", "P", "OS", "kasa", "3"}, "", kT0 + minutes(1), "s2");
    tx->TrustDevice("acc_2", {"device-9", "Other", "O", "OS", "kasa", "4"}, "", kT0, "s9");
    tx->PutRollout({"two_step", "kasa", 25, {"a@example.com", "c@example.com"}});
    tx->PutRollout({"two_step", "", 60, {}});
    tx->Commit();
  }
  auto facts = store->ReadSecurityFacts("at1", kT0, "two_step");
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->grant.account_id, "acc_1");
  EXPECT_EQ(facts->grant.family_id, "fam_1");
  EXPECT_EQ(facts->grant.device_id, "device-1");
  EXPECT_EQ(facts->grant.expires_at, kT0 + minutes(15));
  EXPECT_EQ(facts->grant.device_secret_hash, "sh1");
  EXPECT_EQ(facts->account.id, "acc_1");
  EXPECT_EQ(facts->account.email, "a@example.com");
  EXPECT_EQ(facts->account.email_undeliverable_since, kT0 + minutes(1));
  EXPECT_EQ(facts->caller_app, "kasa");
  ASSERT_TRUE(facts->rollout);
  EXPECT_EQ(facts->rollout->app, "kasa");
  EXPECT_EQ(facts->rollout->percent, 25);
  EXPECT_EQ(facts->rollout->allow, (std::vector<std::string>{"a@example.com", "c@example.com"}));
  auto trusted = facts->trusted_devices;  // in no particular order
  std::sort(trusted.begin(), trusted.end(),
            [](const auto& a, const auto& b) { return a.description.id < b.description.id; });
  ASSERT_EQ(trusted.size(), 2u);
  EXPECT_EQ(trusted[0].description.id, "device-2");
  EXPECT_EQ(trusted[0].account_id, "acc_1");
  EXPECT_EQ(trusted[0].trusted_at, kT0 + minutes(1));
  EXPECT_EQ(trusted[0].secret_hash, "s2");
  EXPECT_EQ(trusted[1].description.id, "device-3");
  EXPECT_EQ(trusted[1].description.app_version, "2");

  // A session whose device row is gone has no app: the rollout of "".
  facts = store->ReadSecurityFacts("at2", kT0, "two_step");
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->caller_app, "");
  ASSERT_TRUE(facts->rollout);
  EXPECT_EQ(facts->rollout->percent, 60);
  EXPECT_EQ(facts->trusted_devices.size(), 2u);
  // No stored rollout of that feature: none.
  EXPECT_FALSE(store->ReadSecurityFacts("at1", kT0, "other_feature")->rollout);

  // With two-step on the summary asks no rollout: neither is read.
  {
    auto tx = store->Begin();
    auto a = *tx->FindAccountById("acc_1");
    a.two_step_enabled = true;
    tx->UpdateAccount(a);
    tx->Commit();
  }
  facts = store->ReadSecurityFacts("at1", kT0, "two_step");
  ASSERT_TRUE(facts);
  EXPECT_TRUE(facts->account.two_step_enabled);
  EXPECT_EQ(facts->caller_app, "");
  EXPECT_FALSE(facts->rollout);
  EXPECT_EQ(facts->trusted_devices.size(), 2u);

  // Nothing for a token that FindValidAccess refuses.
  EXPECT_FALSE(store->ReadSecurityFacts("at1", kT0 + minutes(15), "two_step"));  // expired
  EXPECT_FALSE(store->ReadSecurityFacts("unknown", kT0, "two_step"));
  {
    auto tx = store->Begin();
    tx->RevokeFamily("fam_1", kT0);
    tx->Commit();
  }
  EXPECT_FALSE(store->ReadSecurityFacts("at1", kT0, "two_step"));
}

// With no trusted device the list is empty (the joined row's device
// columns are NULL, not a device).
TEST_P(StoreContract, SecurityFactsOfAnAccountWithoutTrustedDevices) {
  auto store = Open();
  {
    auto tx = store->Begin();
    ASSERT_TRUE(tx->InsertAccount(SampleAccount("acc_1", "a@example.com")));
    tx->InsertTokenFamily({"fam_1", "acc_1", "device-1", kT0});
    tx->InsertAccessToken("at1", "fam_1", kT0 + minutes(15));
    tx->TouchDevice("acc_1", {"device-1", "Laptop", "X1", "Debian 12", "kasa", "1.0"}, "", kT0);
    tx->Commit();
  }
  auto facts = store->ReadSecurityFacts("at1", kT0, "two_step");
  ASSERT_TRUE(facts);
  EXPECT_TRUE(facts->trusted_devices.empty());
  EXPECT_FALSE(facts->rollout);
  EXPECT_EQ(facts->caller_app, "kasa");
}

TEST_P(StoreContract, LoginEventsPageNewestFirst) {
  auto store = Open();
  auto tx = store->Begin();
  ASSERT_TRUE(tx->InsertAccount(SampleAccount("acc_1", "a@example.com")));
  for (int i = 0; i < 5; ++i) {
    tx->AppendLoginEvent(LoginEvent::SignIn(
        "acc_1", kT0 + seconds(i), {"device-" + std::to_string(i), "n", "m", "o", "kasa", "1"},
        "203.0.113.7", i == 3 ? domain::LoginOutcome::kFailed : domain::LoginOutcome::kSuccess,
        i % 2 == 0));
  }
  auto page1 = tx->ListLoginEvents("acc_1", 0, 3);
  ASSERT_EQ(page1.size(), 3u);
  EXPECT_EQ(page1[0].device.id, "device-4");
  EXPECT_TRUE(page1[0].trusted);
  // The vocabulary round-trips through the store.
  EXPECT_EQ(page1[0].kind, domain::LoginEventKind::kSignIn);
  EXPECT_EQ(page1[0].method, domain::LoginMethod::kPassword);
  EXPECT_EQ(page1[1].outcome, domain::LoginOutcome::kFailed);
  EXPECT_EQ(page1[0].outcome, domain::LoginOutcome::kSuccess);
  auto page2 = tx->ListLoginEvents("acc_1", page1.back().id, 3);
  ASSERT_EQ(page2.size(), 2u);
  EXPECT_EQ(page2[0].device.id, "device-1");
  EXPECT_EQ(page2[1].device.id, "device-0");
}

TEST_P(StoreContract, ReadThenWriteStepsAreAtomicAcrossStores) {
  auto a = Open();
  Seed(*a);
  auto second = GetParam() == "postgresql" ? Open() : nullptr;
  Store* b = second ? second.get() : a.get();
  constexpr int kPerThread = 10;
  constexpr int kLimit = 25;  // of 40 attempts on the rate key, exactly 25 pass
  std::atomic<int> passed{0};
  auto work = [&](Store& store) {
    for (int i = 0; i < kPerThread; ++i) {
      auto tx = store.Begin();
      auto c = tx->LockChallenge("chl_1");
      c->sends += 1;
      tx->UpdateChallenge(*c);
      auto acc = tx->FindAccountById("acc_1");
      acc->wrong_code_streak += 1;
      tx->UpdateAccount(*acc);
      if (tx->CountHits("limit", kT0 - hours(1)).hits < kLimit) {
        tx->RecordHit("limit", kT0);
        ++passed;
      }
      tx->Commit();
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back(work, std::ref(*a));
    threads.emplace_back(work, std::ref(*b));
  }
  for (auto& t : threads) t.join();
  auto tx = a->Begin();
  EXPECT_EQ(tx->LockChallenge("chl_1")->sends, 4 * kPerThread);
  EXPECT_EQ(tx->FindAccountById("acc_1")->wrong_code_streak, 4 * kPerThread);
  EXPECT_EQ(tx->CountHits("limit", kT0 - hours(1)).hits, kLimit);
  EXPECT_EQ(passed.load(), kLimit);
}

// A read transaction (authenticated GETs) sees one snapshot, refuses to
// write, and never waits for a writer: on SQLite it runs outside the gate,
// on PostgreSQL it takes no row locks.
TEST_P(StoreContract, ReadTransactionRefusesWritesAndLeavesNothing) {
  auto store = Open();
  Seed(*store);
  {
    auto tx = store->BeginRead();
    ASSERT_TRUE(tx->FindAccountById("acc_1"));
    EXPECT_THROW(tx->InsertAccount(SampleAccount("acc_2", "b@example.com")), StoreError);
  }
  auto tx = store->BeginRead();
  EXPECT_FALSE(tx->FindAccountById("acc_2"));
  EXPECT_FALSE(tx->FindAccountByEmail("b@example.com"));
}

TEST_P(StoreContract, ReadTransactionSeesOneSnapshot) {
  auto store = Open();
  Seed(*store);
  auto read = store->BeginRead();
  ASSERT_EQ(read->FindAccountById("acc_1")->wrong_code_streak, 0);
  {
    auto write = store->Begin();
    auto acc = write->FindAccountById("acc_1");
    acc->wrong_code_streak = 7;
    write->UpdateAccount(*acc);
    write->Commit();
  }
  EXPECT_EQ(read->FindAccountById("acc_1")->wrong_code_streak, 0);  // still its snapshot
  read->Commit();
  EXPECT_EQ(store->BeginRead()->FindAccountById("acc_1")->wrong_code_streak, 7);
}

TEST_P(StoreContract, ReadTransactionDoesNotWaitForAWriter) {
  auto store = Open();
  Seed(*store);
  auto write = store->Begin();  // holds the gate (SQLite) and the row lock (PostgreSQL)
  auto acc = write->FindAccountById("acc_1");
  acc->wrong_code_streak = 3;
  write->UpdateAccount(*acc);
  auto reader = std::async(std::launch::async, [&] {
    auto tx = store->BeginRead();
    return tx->FindAccountById("acc_1")->wrong_code_streak;
  });
  // A reader that queued behind the writer would still be waiting here.
  auto status = reader.wait_for(std::chrono::seconds(10));
  write->Commit();  // lets a queued reader go on, so that a failure ends
  ASSERT_EQ(status, std::future_status::ready);
  EXPECT_EQ(reader.get(), 0);  // the committed state, not the open write
}

}  // namespace
}  // namespace twostep
