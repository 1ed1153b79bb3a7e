// What only the PostgreSQL store does: concurrent migrations, the key
// fingerprint, recovering dropped connections, and the cross-instance
// notification fan-out over a real LISTEN/NOTIFY. Skipped without
// TEST_PG_URL (failed when TEST_PG_REQUIRED=1).
#include "adapters/postgres/pg_store.h"

#include <condition_variable>
#include <thread>

#include <gtest/gtest.h>

#include "adapters/postgres/pg_fanout.h"
#include "adapters/sodium/sodium_random.h"
#include "testing/fakes.h"
#include "testing/pg_test_database.h"

namespace twostep::pg {
namespace {

const Timestamp kT0 = FromMillis(1'800'000'000'000);
const std::string kFingerprint = "00112233445566778899aabbccddeeff";

// Records what reaches "this instance's live connections".
class RecordingNotifier : public Notifier {
 public:
  void Notify(const std::string& account_id, const std::string& device_id,
              const Notification& n) override {
    std::lock_guard lock(mutex_);
    got_.push_back({account_id, device_id, n});
    changed_.notify_all();
  }
  struct Entry {
    std::string account_id, device_id;
    Notification n;
  };
  // Waits (bounded) until `count` messages arrived; returns them.
  std::vector<Entry> WaitFor(size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(10), [&] { return got_.size() >= count; });
    return got_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Entry> got_;
};

// acc_1 with device-1 signed in and device-2 signed out.
void SeedSignedInAndSignedOutDevice(PgStore& store) {
  auto tx = store.Begin();
  domain::Account a;
  a.id = "acc_1";
  a.email = "a@example.com";
  ASSERT_TRUE(tx->InsertAccount(a));
  tx->InsertTokenFamily({"fam_1", "acc_1", "device-1", kT0});
  tx->InsertTokenFamily({"fam_2", "acc_1", "device-2", kT0});
  tx->RevokeDeviceFamilies("acc_1", "device-2", kT0);
  tx->Commit();
}

// The device records behind SeedSignedInAndSignedOutDevice: acc_1's
// device-1 trusted and device-2 not; acc_2 with a trusted device-9.
void SeedDevices(PgStore& store) {
  auto tx = store.Begin();
  domain::Account b;
  b.id = "acc_2";
  b.email = "b@example.com";
  ASSERT_TRUE(tx->InsertAccount(b));
  auto device = [&tx](const char* account, const char* id, bool trusted) {
    const domain::DeviceDescription d{id, "Phone", "M1", "OS 1", "kasa", "1"};
    if (trusted) tx->TrustDevice(account, d, "", kT0, "secret-hash");
    else tx->TouchDevice(account, d, "", kT0);
  };
  device("acc_1", "device-1", true);
  device("acc_1", "device-2", false);
  device("acc_2", "device-9", true);
  tx->Commit();
}

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    db_ = testing::PgTestDatabase::Create(why);
    if (!db_) {
      if (testing::PgTestDatabase::Required()) FAIL() << why;
      GTEST_SKIP() << why;
    }
  }
  PgSettings Settings() const { return {db_->url(), 2, std::chrono::seconds(10)}; }
  std::unique_ptr<testing::PgTestDatabase> db_;
  ServerKeys keys_{std::string(32, 'h'), std::string(32, 's')};
  SodiumRandom random_;
  testing::RecordingCounters counters_;
};

TEST_F(PgStoreTest, InstancesStartingAtOnceMigrateOnce) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      try {
        PgStore store(Settings(), kFingerprint);
      } catch (const StoreError&) {
        ++failures;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  PgStore store(Settings(), kFingerprint);
  auto tx = store.Begin();  // the schema is there and usable
  EXPECT_FALSE(tx->FindAccountByEmail("a@example.com"));
}

TEST_F(PgStoreTest, RefusesAnInstanceWithOtherKeys) {
  PgStore first(Settings(), kFingerprint);
  try {
    PgStore second(Settings(), "ffeeddccbbaa99887766554433221100");
    FAIL() << "an instance with other keys started";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("security.keys_file"), std::string::npos);
  }
}

TEST_F(PgStoreTest, ReplacesConnectionsTheServerDropped) {
  PgStore store(Settings(), kFingerprint);
  {
    // Two transactions at once: the pool (of 2) holds two connections.
    auto tx = store.Begin();
    auto other = store.Begin();
    domain::Account a;
    a.id = "acc_1";
    a.email = "a@example.com";
    ASSERT_TRUE(tx->InsertAccount(a));
    tx->Commit();
    other->Commit();
  }
  // Kill every backend of this database, as a restart or failover would.
  testing::PgExec(db_->url(),
                  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                  " WHERE datname = current_database() AND pid <> pg_backend_pid()");
  for (int i = 0; i < 3; ++i) {
    auto tx = store.Begin();
    EXPECT_TRUE(tx->FindAccountByEmail("a@example.com"));
    tx->Commit();
  }
}

TEST_F(PgStoreTest, AFullPoolAnswersStoreErrorAfterItsTimeout) {
  PgStore store({db_->url(), 1, std::chrono::milliseconds(50)}, kFingerprint);
  auto holding = store.Begin();  // the pool's only connection
  EXPECT_THROW(store.Begin(), StoreError);
  holding->Commit();
  EXPECT_NO_THROW(store.Begin()->Commit());  // free again
}

TEST_F(PgStoreTest, ErrorsNameNoRowValues) {
  PgStore store(Settings(), kFingerprint);
  auto tx = store.Begin();
  domain::Challenge c;
  c.id = "chl_1";
  c.account_id = "acc_nobody";  // foreign key violation
  try {
    tx->InsertChallenge(c);
    FAIL() << "inserted a challenge of no account";
  } catch (const StoreError& e) {
    EXPECT_EQ(std::string(e.what()).find("acc_nobody"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("23503"), std::string::npos) << e.what();
  }
}

TEST_F(PgStoreTest, StillSignedInListsDevicesWithALiveFamily) {
  PgStore store(Settings(), kFingerprint);
  SeedSignedInAndSignedOutDevice(store);
  auto live = store.StillSignedIn({{"acc_1", "device-1"}, {"acc_1", "device-2"}, {"acc_x", "dev\"ice"}});
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].second, "device-1");
}

// The wire format and its tamper tests are in fanout_message_test.cc.

// Security issue #23: even a message that opens is delivered only to a
// device the store knows in that account, and codes and "resolved" only to
// a trusted one.
TEST_F(PgStoreTest, MessagesReachOnlyDevicesOfTheirAccount) {
  PgStore store_a(Settings(), kFingerprint);
  PgStore store_b(Settings(), kFingerprint);
  SeedSignedInAndSignedOutDevice(store_a);
  SeedDevices(store_a);
  RecordingNotifier local_a, local_b;
  PgFanout a(store_a, {nullptr, &local_a}, keys_, random_, counters_);
  PgFanout b(store_b, {nullptr, &local_b}, keys_, random_, counters_);
  a.Start();
  b.Start();
  ASSERT_TRUE(a.WaitListening(1, std::chrono::seconds(10)));
  ASSERT_TRUE(b.WaitListening(1, std::chrono::seconds(10)));
  CodeRequested request;
  request.challenge_id = "chl_1";
  request.code = Secret("493817");
  const Notification code = request;
  const Notification out = SignedOut{SignOutReason::kSignedOut, {}};
  a.Notify("acc_1", "device-9", out);   // device-9 is acc_2's
  a.Notify("acc_1", "device-2", code);  // not trusted
  a.Notify("acc_1", "device-1", code);  // trusted: delivered
  a.Notify("acc_1", "device-2", out);   // any device of the account may be signed out
  auto got = local_b.WaitFor(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].device_id, "device-1");
  ASSERT_TRUE(std::holds_alternative<CodeRequested>(got[0].n));
  EXPECT_EQ(std::get<CodeRequested>(got[0].n).code.Reveal(), "493817");
  EXPECT_EQ(got[1].device_id, "device-2");
  EXPECT_TRUE(std::holds_alternative<SignedOut>(got[1].n));
  a.Stop();
  b.Stop();
  EXPECT_EQ(counters_.Get("fanout_messages_refused/unknown_device"), 1);
  EXPECT_EQ(counters_.Get("fanout_messages_refused/untrusted_device"), 1);
}

TEST_F(PgStoreTest, MessagesReachTheOtherInstanceButNotTwiceHere) {
  PgStore store_a(Settings(), kFingerprint);
  PgStore store_b(Settings(), kFingerprint);
  SeedSignedInAndSignedOutDevice(store_a);
  SeedDevices(store_a);
  RecordingNotifier local_a, local_b;
  PgFanout a(store_a, {nullptr, &local_a}, keys_, random_, counters_);
  PgFanout b(store_b, {nullptr, &local_b}, keys_, random_, counters_);
  a.Start();
  b.Start();
  ASSERT_TRUE(a.WaitListening(1, std::chrono::seconds(10)));
  ASSERT_TRUE(b.WaitListening(1, std::chrono::seconds(10)));
  const Notification n = SignedOut{SignOutReason::kDeviceRemoved, {}};
  a.Notify("acc_1", "device-1", n);
  auto got_b = local_b.WaitFor(1);
  ASSERT_EQ(got_b.size(), 1u);
  EXPECT_EQ(got_b[0].device_id, "device-1");
  ASSERT_TRUE(std::holds_alternative<SignedOut>(got_b[0].n));
  EXPECT_EQ(std::get<SignedOut>(got_b[0].n).reason, SignOutReason::kDeviceRemoved);
  // A's own copy came back through LISTEN too and was ignored: a second
  // message from B arrives at A as A's second entry, not its third.
  b.Notify("acc_1", "device-2", n);
  auto got_a = local_a.WaitFor(2);
  ASSERT_EQ(got_a.size(), 2u);
  EXPECT_EQ(got_a[0].device_id, "device-1");  // delivered locally by Notify
  EXPECT_EQ(got_a[1].device_id, "device-2");  // from B
  a.Stop();
  b.Stop();
}

TEST_F(PgStoreTest, ListenerSweepClosesDevicesSignedOutMeanwhile) {
  PgStore store(Settings(), kFingerprint);
  SeedSignedInAndSignedOutDevice(store);  // device-2 removed while unheard
  RecordingNotifier local;
  std::vector<std::pair<std::string, std::string>> connected{{"acc_1", "device-1"},
                                                             {"acc_1", "device-2"}};
  PgFanout fanout(store, {[&] { return connected; }, &local}, keys_, random_, counters_);
  fanout.Start();
  ASSERT_TRUE(fanout.WaitListening(1, std::chrono::seconds(10)));
  auto got = local.WaitFor(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].device_id, "device-2");
  EXPECT_TRUE(std::holds_alternative<SignedOut>(got[0].n));
  fanout.Stop();
}

}  // namespace
}  // namespace twostep::pg
