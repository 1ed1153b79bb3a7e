#include "adapters/sqlite/sqlite_store.h"

#include <thread>

#include <gtest/gtest.h>

#include "testing/temp_dir.h"

namespace twostep::sqlite {
namespace {

const Timestamp kT0 = FromMillis(1'800'000'000'000);

domain::Account SampleAccount(std::string id, std::string email) {
  domain::Account a;
  a.id = std::move(id);
  a.email = std::move(email);
  a.password_hash = "hash";
  a.created_at = kT0;
  a.password_changed_at = kT0;
  a.registered_app = "kasa";
  return a;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  twostep::testing::TempDir dir_;
  std::string path_ = dir_.path() + "/t.db";
};

TEST_F(SqliteStoreTest, UncommittedTransactionLeavesNothing) {
  SqliteStore store(path_);
  {
    auto tx = store.Begin();
    ASSERT_TRUE(tx->InsertAccount(SampleAccount("acc_1", "a@example.com")));
    tx->EnqueueMail({"a@example.com", "s", "t", "h"}, kT0);
    // destroyed without Commit
  }
  EXPECT_FALSE(store.NextMailDue());
  auto tx = store.Begin();
  EXPECT_FALSE(tx->FindAccountByEmail("a@example.com"));
}

TEST_F(SqliteStoreTest, CommittedDataSurvivesReopen) {
  {
    SqliteStore store(path_);
    auto tx = store.Begin();
    ASSERT_TRUE(tx->InsertAccount(SampleAccount("acc_1", "a@example.com")));
    tx->Commit();
  }
  SqliteStore again(path_);  // migrations are idempotent
  auto tx = again.Begin();
  auto a = tx->FindAccountByEmail("a@example.com");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->id, "acc_1");
  EXPECT_EQ(a->created_at, kT0);
}

TEST_F(SqliteStoreTest, EmailIsUnique) {
  SqliteStore store(path_);
  auto tx = store.Begin();
  EXPECT_TRUE(tx->InsertAccount(SampleAccount("acc_1", "a@example.com")));
  EXPECT_FALSE(tx->InsertAccount(SampleAccount("acc_2", "a@example.com")));
}

TEST_F(SqliteStoreTest, RevokedFamilyKillsItsAccessTokens) {
  SqliteStore store(path_);
  auto tx = store.Begin();
  ASSERT_TRUE(tx->InsertAccount(SampleAccount("acc_1", "a@example.com")));
  tx->InsertTokenFamily({"fam_1", "acc_1", "device-1", kT0});
  tx->InsertAccessToken("h1", "fam_1", kT0 + minutes(15));
  EXPECT_TRUE(tx->FindValidAccess("h1", kT0));
  EXPECT_FALSE(tx->FindValidAccess("h1", kT0 + minutes(15)));  // expired
  tx->RevokeFamily("fam_1", kT0);
  EXPECT_FALSE(tx->FindValidAccess("h1", kT0));
}

TEST_F(SqliteStoreTest, ChallengeRoundTrips) {
  SqliteStore store(path_);
  auto tx = store.Begin();
  ASSERT_TRUE(tx->InsertAccount(SampleAccount("acc_1", "a@example.com")));
  domain::Challenge c;
  c.id = "chl_1";
  c.account_id = "acc_1";
  c.purpose = domain::ChallengePurpose::kSignIn;
  c.method = domain::ChallengeMethod::kApp;
  c.code_hash = "abc";
  c.created_at = c.last_sent_at = kT0;
  c.expires_at = kT0 + minutes(10);
  c.requester = {"device-9", "Pixel 8", "GKWS6", "Android 15", "kasa", "3.4.1"};
  c.requester_ip = "203.0.113.5";
  tx->InsertChallenge(c);
  c.attempts_left = 3;
  tx->UpdateChallenge(c);
  auto back = tx->LockChallenge("chl_1");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->attempts_left, 3);
  EXPECT_EQ(back->method, domain::ChallengeMethod::kApp);
  EXPECT_EQ(back->requester.model, "GKWS6");
  EXPECT_EQ(back->requester_ip, "203.0.113.5");
}

TEST_F(SqliteStoreTest, HitsAreCountedInTheWindow) {
  SqliteStore store(path_);
  auto tx = store.Begin();
  tx->RecordHit("k", kT0);
  tx->RecordHit("k", kT0 + minutes(1));
  tx->RecordHit("other", kT0);
  auto c = tx->CountHits("k", kT0 - milliseconds(1));
  EXPECT_EQ(c.hits, 2);
  EXPECT_EQ(c.oldest, kT0);
  EXPECT_EQ(tx->CountHits("k", kT0).hits, 1);
  tx->ClearHits("k");
  EXPECT_EQ(tx->CountHits("k", kT0 - minutes(1)).hits, 0);
}

TEST_F(SqliteStoreTest, OutboxClaimHidesMessagesUntilTheLeaseEnds) {
  SqliteStore store(path_);
  {
    auto tx = store.Begin();
    tx->EnqueueMail({"a@example.com", "s", "t", "h"}, kT0);
    tx->Commit();
  }
  auto first = store.ClaimDueMail(kT0, kT0 + minutes(2), 10);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].message.subject, "s");
  EXPECT_TRUE(store.ClaimDueMail(kT0 + minutes(1), kT0 + minutes(3), 10).empty());
  EXPECT_EQ(store.ClaimDueMail(kT0 + minutes(2), kT0 + minutes(4), 10).size(), 1u);
  store.MarkMailSent(first[0].id);
  EXPECT_FALSE(store.NextMailDue());
}

TEST_F(SqliteStoreTest, ConcurrentWritersAreSerialised) {
  SqliteStore store(path_);
  {
    auto tx = store.Begin();
    ASSERT_TRUE(tx->InsertAccount(SampleAccount("acc_1", "a@example.com")));
    tx->Commit();
  }
  // Read-modify-write of a counter from 4 threads: the store's gate makes
  // each step exclusive, so no increment is lost.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto tx = store.Begin();
        tx->RecordHit("counter", kT0);
        tx->Commit();
      }
    });
  for (auto& t : threads) t.join();
  auto tx = store.Begin();
  EXPECT_EQ(tx->CountHits("counter", kT0 - milliseconds(1)).hits, 100);
}

}  // namespace
}  // namespace twostep::sqlite

namespace twostep::sqlite {
namespace {

TEST(SqlitePruneTest, WipesSealedCodesOfExpiredChallenges) {
  twostep::testing::TempDir dir;
  SqliteStore store(dir.path() + "/s.db");
  const Timestamp t0 = FromMillis(1'800'000'000'000);
  {
    auto tx = store.Begin();
    domain::Account a;
    a.id = "acc_1";
    a.email = "a@example.com";
    ASSERT_TRUE(tx->InsertAccount(a));
    for (const char* id : {"chl_old", "chl_open"}) {
      domain::Challenge c;
      c.id = id;
      c.account_id = "acc_1";
      c.sealed_code = "sealed";
      c.created_at = c.last_sent_at = t0;
      c.expires_at = std::string(id) == "chl_old" ? t0 + minutes(10) : t0 + minutes(30);
      tx->InsertChallenge(c);
    }
    tx->Commit();
  }
  store.Prune(t0, t0, t0, t0 + minutes(20));
  auto tx = store.Begin();
  EXPECT_EQ(tx->LockChallenge("chl_old")->sealed_code, "");
  EXPECT_EQ(tx->LockChallenge("chl_open")->sealed_code, "sealed");
}

TEST(SqlitePruneTest, DropsOnlyOldRows) {
  twostep::testing::TempDir dir;
  SqliteStore store(dir.path() + "/p.db");
  const Timestamp t0 = FromMillis(1'800'000'000'000);
  {
    auto tx = store.Begin();
    domain::Account a;
    a.id = "acc_1";
    a.email = "a@example.com";
    a.created_at = a.password_changed_at = t0;
    ASSERT_TRUE(tx->InsertAccount(a));
    LoginEvent old_event, new_event;
    old_event.account_id = new_event.account_id = "acc_1";
    old_event.at = t0;
    new_event.at = t0 + hours(24 * 91);
    tx->AppendLoginEvent(old_event);
    tx->AppendLoginEvent(new_event);
    tx->RecordHit("k", t0);
    tx->Commit();
  }
  store.Prune(t0 + hours(1), t0 + hours(24), t0, t0);
  auto tx = store.Begin();
  auto events = tx->ListLoginEvents("acc_1", 0, 10);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at, t0 + hours(24 * 91));
  EXPECT_EQ(tx->CountHits("k", t0 - hours(1)).hits, 0);
}

}  // namespace
}  // namespace twostep::sqlite

namespace twostep::sqlite {
namespace {

TEST(SqliteLeaseTest, ReleasedLeasesAreDueAgainButBackoffsStay) {
  twostep::testing::TempDir dir;
  SqliteStore store(dir.path() + "/l.db");
  const Timestamp t0 = FromMillis(1'800'000'000'000);
  {
    auto tx = store.Begin();
    tx->EnqueueMail({"a@example.com", "leased", "t", "h"}, t0);
    tx->EnqueueMail({"b@example.com", "failed", "t", "h"}, t0);
    tx->Commit();
  }
  auto claimed = store.ClaimDueMail(t0, t0 + minutes(2), 10);
  ASSERT_EQ(claimed.size(), 2u);
  store.MarkMailFailed(claimed[1].id, 1, t0 + minutes(5));  // a real back-off
  store.ReleaseMailLeases(t0 + seconds(1));
  auto again = store.ClaimDueMail(t0 + seconds(1), t0 + minutes(2), 10);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].message.subject, "leased");
}

}  // namespace
}  // namespace twostep::sqlite
