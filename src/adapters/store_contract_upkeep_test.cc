// The Store contract, part two: what keeps the store tidy and sends the
// mail (rate-limit hits, the outbox and its refusals, pruning), on both
// backends. Part one (store_contract_test.cc) has the records and the
// transactions.
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
using testing::SampleChallenge;

using StoreUpkeepContract = testing::StoreBackendTest;
TWOSTEP_ON_BOTH_STORES(StoreUpkeepContract);

TEST_P(StoreUpkeepContract, HitsAreCountedInTheWindow) {
  auto store = Open();
  auto tx = store->Begin();
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

TEST_P(StoreUpkeepContract, OutboxClaimHidesMessagesUntilTheLeaseEnds) {
  auto store = Open();
  {
    auto tx = store->Begin();
    MailMessage mail{"a@example.com", "s", "t", "h"};
    mail.language = "zh-Hans";
    tx->EnqueueMail(mail, kT0);
    tx->Commit();
  }
  auto other = Open();
  auto first = store->ClaimDueMail(kT0, kT0 + minutes(2), 10);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].message.subject, "s");
  EXPECT_EQ(first[0].message.language, "zh-Hans");
  EXPECT_TRUE(other->ClaimDueMail(kT0 + minutes(1), kT0 + minutes(3), 10).empty());
  EXPECT_EQ(other->ClaimDueMail(kT0 + minutes(2), kT0 + minutes(4), 10).size(), 1u);
  store->MarkMailSent(first[0].id);
  EXPECT_FALSE(store->NextMailDue());
}

// A permanent SMTP refusal drops the message and marks the account of its
// address; the first mark is kept; an accepted delivery clears it.
TEST_P(StoreUpkeepContract, RejectedMailMarksTheAddressAndADeliveryClearsIt) {
  auto store = Open();
  auto queue = [&](const std::string& to) {
    auto tx = store->Begin();
    tx->EnqueueMail({to, "s", "t", "h"}, kT0);
    tx->Commit();
  };
  auto since = [&] {
    auto tx = store->Begin();
    return tx->FindAccountById("acc_1")->email_undeliverable_since;
  };
  Seed(*store);
  queue("a@example.com");
  queue("stranger@example.com");  // no account: nothing to mark
  auto items = store->ClaimDueMail(kT0, kT0 + minutes(2), 10);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].app, "kasa");  // the account's registered app
  EXPECT_EQ(items[1].app, "");
  store->MarkMailRejected(items[0].id, kT0 + minutes(1));
  store->MarkMailRejected(items[1].id, kT0 + minutes(1));
  EXPECT_FALSE(store->NextMailDue());  // not retried
  EXPECT_EQ(since(), kT0 + minutes(1));
  queue("a@example.com");
  auto again = store->ClaimDueMail(kT0 + minutes(5), kT0 + minutes(7), 10);
  ASSERT_EQ(again.size(), 1u);
  store->MarkMailRejected(again[0].id, kT0 + minutes(5));
  EXPECT_EQ(since(), kT0 + minutes(1));  // since the first refusal
  queue("a@example.com");
  auto good = store->ClaimDueMail(kT0 + minutes(9), kT0 + minutes(11), 10);
  ASSERT_EQ(good.size(), 1u);
  store->MarkMailSent(good[0].id);
  EXPECT_FALSE(since());
}

TEST_P(StoreUpkeepContract, PruneDropsOldRowsAndWipesExpiredSealedCodes) {
  auto store = Open();
  {
    auto tx = store->Begin();
    ASSERT_TRUE(tx->InsertAccount(SampleAccount("acc_1", "a@example.com")));
    auto old_c = SampleChallenge("chl_old", "acc_1");
    auto open_c = SampleChallenge("chl_open", "acc_1");
    open_c.expires_at = kT0 + minutes(30);
    tx->InsertChallenge(old_c);
    tx->InsertChallenge(open_c);
    LoginEvent old_event, new_event;
    old_event.account_id = new_event.account_id = "acc_1";
    old_event.at = kT0;
    new_event.at = kT0 + hours(24 * 91);
    tx->AppendLoginEvent(old_event);
    tx->AppendLoginEvent(new_event);
    tx->RecordHit("k", kT0);
    tx->Commit();
  }
  store->Prune({.hits = kT0 + hours(1), .events = kT0 + hours(24), .challenges = kT0,
                .unverified_accounts = kT0, .now = kT0 + minutes(20)});
  auto tx = store->Begin();
  EXPECT_EQ(tx->LockChallenge("chl_old")->sealed_code, "");
  EXPECT_EQ(tx->LockChallenge("chl_open")->sealed_code, "sealed");
  auto events = tx->ListLoginEvents("acc_1", 0, 10);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at, kT0 + hours(24 * 91));
  EXPECT_EQ(tx->CountHits("k", kT0 - hours(1)).hits, 0);
}

TEST_P(StoreUpkeepContract, RemoveHitGivesBackExactlyOneSlot) {
  auto store = Open();
  auto tx = store->Begin();
  tx->RecordHit("k", kT0);
  tx->RecordHit("k", kT0);
  tx->RecordHit("k", kT0 + minutes(1));
  tx->RecordHit("other", kT0);
  tx->RemoveHit("k", kT0);
  EXPECT_EQ(tx->CountHits("k", kT0 - minutes(1)).hits, 2);
  tx->RemoveHit("k", kT0 + minutes(5));  // no such hit: nothing changes
  EXPECT_EQ(tx->CountHits("k", kT0 - minutes(1)).hits, 2);
  tx->RemoveHit("k", kT0);
  auto c = tx->CountHits("k", kT0 - minutes(1));
  EXPECT_EQ(c.hits, 1);
  EXPECT_EQ(c.oldest, kT0 + minutes(1));
  EXPECT_EQ(tx->CountHits("other", kT0 - minutes(1)).hits, 1);
  tx->Commit();
}

// U1: accounts never verified go after 7 days (the caller's cutoff), with
// their challenges; not while a registration of theirs is still open, and
// never a verified one. Ended challenges lose the password hash they carried.
TEST_P(StoreUpkeepContract, PruneDeletesStaleUnverifiedAccounts) {
  auto store = Open();
  const Timestamp now = kT0 + hours(24 * 8);
  {
    auto tx = store->Begin();
    auto stale = SampleAccount("acc_stale", "stale@example.com");
    auto verified = SampleAccount("acc_verified", "verified@example.com");
    verified.email_verified = true;
    auto young = SampleAccount("acc_young", "young@example.com");
    young.created_at = now - hours(24);
    auto busy = SampleAccount("acc_busy", "busy@example.com");
    for (const auto& a : {stale, verified, young, busy}) ASSERT_TRUE(tx->InsertAccount(a));
    auto ended = SampleChallenge("chl_ended", "acc_stale");
    ended.password_hash = "argon2-of-a-registration";
    tx->InsertChallenge(ended);
    auto open = SampleChallenge("chl_busy", "acc_busy");
    open.purpose = domain::ChallengePurpose::kRegistration;
    open.password_hash = "argon2-of-another";
    open.expires_at = now + minutes(5);
    tx->InsertChallenge(open);
    auto young_c = SampleChallenge("chl_young", "acc_young");
    young_c.password_hash = "argon2-expired";
    tx->InsertChallenge(young_c);
    tx->Commit();
  }
  store->Prune({.hits = kT0, .events = kT0, .challenges = kT0 - hours(1),
                .unverified_accounts = now - hours(24 * 7), .now = now});
  auto tx = store->Begin();
  EXPECT_FALSE(tx->FindAccountById("acc_stale"));
  EXPECT_FALSE(tx->LockChallenge("chl_ended"));  // went with its account
  EXPECT_TRUE(tx->FindAccountById("acc_verified"));
  EXPECT_TRUE(tx->FindAccountById("acc_young"));
  EXPECT_TRUE(tx->FindAccountById("acc_busy"));
  EXPECT_EQ(tx->LockChallenge("chl_busy")->password_hash, "argon2-of-another");
  EXPECT_EQ(tx->LockChallenge("chl_young")->password_hash, "");
  EXPECT_TRUE(tx->InsertAccount(SampleAccount("acc_again", "stale@example.com")));  // free again
}

// Sessions do not pile up: expired access and refresh tokens go at once
// (neither is ever accepted again), and a token family goes, with its
// tokens, a day (the caller's cutoff) after it was signed out or its last
// refresh token expired. A live session and its valid tokens stay.
TEST_P(StoreUpkeepContract, PruneDropsEndedSessionsAndExpiredTokens) {
  auto store = Open();
  const Timestamp now = kT0 + hours(24 * 40);
  {
    auto tx = store->Begin();
    ASSERT_TRUE(tx->InsertAccount(SampleAccount("acc_1", "a@example.com")));
    for (const char* id : {"fam_live", "fam_out", "fam_out_today", "fam_lapsed"})
      tx->InsertTokenFamily({id, "acc_1", "device-1", kT0, ""});
    tx->InsertAccessToken("acc_old", "fam_live", now - minutes(1));
    tx->InsertAccessToken("acc_new", "fam_live", now + minutes(10));
    tx->InsertRefreshToken("ref_old", "fam_live", now - minutes(1));
    tx->InsertRefreshToken("ref_new", "fam_live", now + hours(24));
    tx->InsertRefreshToken("ref_out", "fam_out", now + hours(24));
    tx->RevokeFamily("fam_out", now - hours(25));
    tx->InsertRefreshToken("ref_today", "fam_out_today", now + hours(24));
    tx->RevokeFamily("fam_out_today", now - hours(1));
    tx->InsertRefreshToken("ref_lapsed", "fam_lapsed", now - hours(25));
    tx->Commit();
  }
  store->Prune({.hits = kT0, .events = kT0, .challenges = kT0, .unverified_accounts = kT0,
                .now = now, .sessions = now - hours(24)});
  auto tx = store->Begin();
  EXPECT_FALSE(tx->FindValidAccess("acc_old", now - minutes(2)));  // deleted, not just expired
  EXPECT_TRUE(tx->FindValidAccess("acc_new", now));
  EXPECT_FALSE(tx->LockRefreshToken("ref_old"));
  EXPECT_TRUE(tx->LockRefreshToken("ref_new"));
  EXPECT_FALSE(tx->LockRefreshToken("ref_out"));  // went with its family
  EXPECT_TRUE(tx->LockRefreshToken("ref_today"));
  EXPECT_TRUE(tx->LockRefreshToken("ref_today")->family_revoked);
  EXPECT_FALSE(tx->LockRefreshToken("ref_lapsed"));
  auto live = tx->LiveFamilies({"fam_live", "fam_out", "fam_out_today", "fam_lapsed"}, now);
  EXPECT_EQ(live, std::vector<std::string>{"fam_live"});
  // The pruned family ids are free: nothing of theirs is left behind.
  tx->InsertTokenFamily({"fam_out", "acc_1", "device-1", now, ""});
  tx->InsertTokenFamily({"fam_lapsed", "acc_1", "device-1", now, ""});
  tx->Commit();
}

// The checks that guard codes and limits are read-then-write steps; run
// from four threads, none may be lost or doubled. On PostgreSQL the threads
// use two stores (two instances): LockChallenge and FindAccount* lock their
// row, CountHits its key. An SQLite file belongs to one process, whose
// store serialises its transactions, so there all four share one store.

TEST_P(StoreUpkeepContract, KeyGenerationsListOldestFirstAndDelete) {
  auto store = Open();
  {
    auto tx = store->Begin();
    tx->InsertKeyGeneration({"gen-b", "bbbb", kT0 + seconds(10)});
    tx->InsertKeyGeneration({"gen-a", "aaaa", kT0});
    tx->Commit();
  }
  auto tx = store->Begin();
  auto all = tx->ListKeyGenerations();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, "gen-a");
  EXPECT_EQ(all[0].sealed, "aaaa");
  EXPECT_EQ(all[0].created_at, kT0);
  EXPECT_EQ(all[1].id, "gen-b");
  tx->DeleteKeyGeneration("gen-a");
  all = tx->ListKeyGenerations();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].id, "gen-b");
}

}  // namespace
}  // namespace twostep
