#include "adapters/sqlite/sqlite_store.h"

#include <algorithm>
#include <atomic>
#include <barrier>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/sqlite/sqlite_connection.h"
#include "testing/store_samples.h"
#include "testing/temp_dir.h"

namespace twostep::sqlite {
namespace {

const Timestamp kT0 = testing::kStoreT0;

using testing::SampleAccount;

class SqliteStoreTest : public ::testing::Test {
 protected:
  twostep::testing::TempDir dir_;
  std::string path_ = dir_.path() + "/t.db";
};

// The backend-independent behaviour is in adapters/store_contract_test.cc.

TEST_F(SqliteStoreTest, ConcurrentWritersOfOneProcessAreSerialised) {
  SqliteStore store(path_);
  // 4 threads appending through the connection pool: the store's gate makes
  // each step exclusive, so no write is lost to SQLITE_BUSY.
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

// /metrics shows what the connections hold: it grows as they read more
// pages and stays what it was when nothing more is read.
TEST_F(SqliteStoreTest, MemoryUsedFollowsWhatTheConnectionsHold) {
  SqliteStore store(path_);
  const int64_t opened = store.MemoryUsed();
  EXPECT_GT(opened, 0);  // the migrations' connection: schema and cache
  {
    auto tx = store.Begin();
    for (int i = 0; i < 2000; ++i) tx->RecordHit("counter-" + std::to_string(i), kT0);
    tx->Commit();
  }
  const int64_t written = store.MemoryUsed();
  EXPECT_GT(written, opened + 50 * 1024);  // 2,000 rows and their index pages
  {
    auto tx = store.BeginRead();
    EXPECT_EQ(tx->CountHits("counter-1999", kT0 - milliseconds(1)).hits, 1);
  }
  EXPECT_GT(store.MemoryUsed(), written);  // a reader connection, its own cache
}

// The schema's and statements' share is sampled, not measured on every
// return to the pool (SQLite walks every table and statement to measure
// it, ~10 us per security read): statements prepared after a sample show up at
// the next sample, the kStructureSampleEvery-th call later.
TEST_F(SqliteStoreTest, ConnectionSamplesItsStatementsMemoryNotOnEveryCall) {
  { SqliteStore migrated(path_); }
  Connection conn(path_);
  conn.MemoryBytes();  // the first call samples everything
  static const char* const kStatements[] = {
      "SELECT 1", "SELECT 2", "SELECT 3", "SELECT 4", "SELECT 5", "SELECT 6", "SELECT 7",
      "SELECT 8", "SELECT count(*) FROM accounts", "SELECT count(*) FROM devices"};
  for (const char* sql : kStatements) conn.Prepare(sql).Step();
  const int64_t before_sample = conn.MemoryBytes();  // the pages they read, not the statements
  for (uint32_t call = 3; call <= Connection::kStructureSampleEvery; ++call)
    ASSERT_EQ(conn.MemoryBytes(), before_sample) << "call " << call;
  EXPECT_GT(conn.MemoryBytes(), before_sample);  // the next sample: ten statements more
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

// Real threads against one SQLite store (run under TSan in CI: the
// *Concurrency* suites). Threads start together at a barrier; no sleeps.
namespace twostep::sqlite {
namespace {

class SqliteStoreConcurrencyTest : public ::testing::Test {
 protected:
  SqliteStoreConcurrencyTest() : store_(dir_.path() + "/c.db") {
    auto tx = store_.Begin();
    EXPECT_TRUE(tx->InsertAccount(SampleAccount("acc_1", "a@example.com")));
    tx->Commit();
  }
  template <class Fn>
  void InParallel(int n, Fn fn) {
    std::barrier start(n);
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i)
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        fn(i);
      });
    for (auto& t : threads) t.join();
  }
  twostep::testing::TempDir dir_;
  SqliteStore store_;
};

TEST_F(SqliteStoreConcurrencyTest, AChallengeIsConsumedExactlyOnce) {
  domain::Challenge c;
  c.id = "chl_race";
  c.account_id = "acc_1";
  c.purpose = domain::ChallengePurpose::kSignIn;
  c.code_hash = "h";
  c.created_at = c.last_sent_at = kT0;
  c.expires_at = kT0 + minutes(10);
  {
    auto tx = store_.Begin();
    tx->InsertChallenge(c);
    tx->Commit();
  }
  std::atomic<int> winners{0};
  InParallel(8, [&](int) {
    auto tx = store_.Begin();
    auto locked = tx->LockChallenge("chl_race");
    ASSERT_TRUE(locked);
    if (locked->state != domain::ChallengeState::kPending) return;  // rolls back
    locked->state = domain::ChallengeState::kVerified;
    tx->UpdateChallenge(*locked);
    tx->Commit();
    ++winners;
  });
  EXPECT_EQ(winners.load(), 1);
  auto tx = store_.Begin();
  EXPECT_EQ(tx->LockChallenge("chl_race")->state, domain::ChallengeState::kVerified);
}

TEST_F(SqliteStoreConcurrencyTest, ARefreshTokenRotatesExactlyOnce) {
  {
    auto tx = store_.Begin();
    tx->InsertTokenFamily({"fam_1", "acc_1", "dev-00000001", kT0});
    tx->InsertRefreshToken("rt_hash", "fam_1", kT0 + hours(24));
    tx->Commit();
  }
  std::atomic<int> rotations{0};
  InParallel(8, [&](int i) {
    auto tx = store_.Begin();
    auto r = tx->LockRefreshToken("rt_hash");
    ASSERT_TRUE(r);
    if (r->used) return;
    tx->MarkRefreshUsed("rt_hash");
    tx->InsertRefreshToken("rt_next_" + std::to_string(i), "fam_1", kT0 + hours(24));
    tx->Commit();
    ++rotations;
  });
  EXPECT_EQ(rotations.load(), 1);
}

TEST_F(SqliteStoreConcurrencyTest, EveryMailIsClaimedByOneSender) {
  {
    auto tx = store_.Begin();
    for (int i = 0; i < 40; ++i)
      tx->EnqueueMail({"a@example.com", "s" + std::to_string(i), "t", "h"}, kT0);
    tx->Commit();
  }
  std::mutex mutex;
  std::vector<int64_t> claimed;
  InParallel(4, [&](int) {
    for (int round = 0; round < 20; ++round) {
      auto items = store_.ClaimDueMail(kT0 + seconds(1), kT0 + minutes(2), 3);
      std::lock_guard lock(mutex);
      for (const auto& item : items) claimed.push_back(item.id);
    }
  });
  std::sort(claimed.begin(), claimed.end());
  EXPECT_EQ(claimed.size(), 40u);
  EXPECT_EQ(std::adjacent_find(claimed.begin(), claimed.end()), claimed.end());  // no mail twice
}

// Readers run outside the gate on their own connections while writers
// commit: no reader sees a value go back or a half-done write, and no
// increment is lost.
TEST_F(SqliteStoreConcurrencyTest, ReadersRunAlongsideWriters) {
  constexpr int kWriters = 3, kReaders = 3, kIncrements = 20, kReads = 40;
  std::atomic<int> bad_reads{0};
  InParallel(kWriters + kReaders, [&](int i) {
    if (i < kWriters) {
      for (int n = 0; n < kIncrements; ++n) {
        auto tx = store_.Begin();
        auto acc = tx->FindAccountById("acc_1");
        acc->wrong_code_streak += 1;
        tx->UpdateAccount(*acc);
        tx->Commit();
      }
      return;
    }
    int last = 0;
    for (int n = 0; n < kReads; ++n) {
      auto tx = store_.BeginRead();
      int seen = tx->FindAccountById("acc_1")->wrong_code_streak;
      if (seen < last || seen > kWriters * kIncrements) ++bad_reads;
      last = seen;
      tx->Commit();
    }
  });
  EXPECT_EQ(bad_reads.load(), 0);
  EXPECT_EQ(store_.BeginRead()->FindAccountById("acc_1")->wrong_code_streak,
            kWriters * kIncrements);
}

}  // namespace
}  // namespace twostep::sqlite
