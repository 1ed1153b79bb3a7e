#include "adapters/sqlite/sqlite_store.h"

#include <thread>

#include <gtest/gtest.h>

#include "testing/temp_dir.h"

namespace twostep::sqlite {
namespace {

const Timestamp kT0 = FromMillis(1'800'000'000'000);

class SqliteStoreTest : public ::testing::Test {
 protected:
  twostep::testing::TempDir dir_;
  std::string path_ = dir_.path() + "/t.db";
};

// The backend-independent behaviour is in adapters/store_contract_test.cc.

TEST_F(SqliteStoreTest, ConcurrentWritersOfOneProcessAreSerialised) {
  SqliteStore store(path_);
  // 4 threads appending through the connection pool: BEGIN IMMEDIATE makes
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
