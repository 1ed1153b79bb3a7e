#include "http/ws_hub.h"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <mutex>
#include <thread>
#include <vector>

namespace twostep::http {
namespace {

// Records what the hub sends; called from any thread.
class FakeConnection : public LiveConnection {
 public:
  void Send(std::string text) override {
    std::lock_guard lock(mutex_);
    sent_.push_back(std::move(text));
  }
  void SendAndClose(std::string text) override {
    std::lock_guard lock(mutex_);
    closes_.push_back(std::move(text));
  }
  std::vector<std::string> sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }
  std::vector<std::string> closes() const {
    std::lock_guard lock(mutex_);
    return closes_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> sent_;
  std::vector<std::string> closes_;
};

Notification Code(std::string id) {
  CodeRequested n;
  n.challenge_id = std::move(id);
  n.code = Secret("123456");
  return n;
}

Notification Removed(std::string family_id = {}) {
  return twostep::SignedOut{SignOutReason::kDeviceRemoved, std::move(family_id)};
}

TEST(WsHubTest, DeliversToTheRegisteredDeviceOnly) {
  WsHub hub;
  auto a = std::make_shared<FakeConnection>();
  auto b = std::make_shared<FakeConnection>();
  hub.Register("acc_1", "dev-a", a, "fam", true);
  hub.Register("acc_1", "dev-b", b, "fam", true);
  hub.Notify("acc_1", "dev-a", Code("chl_1"));
  EXPECT_EQ(a->sent().size(), 1u);
  EXPECT_TRUE(b->sent().empty());
  hub.Notify("acc_2", "dev-a", Code("chl_2"));  // another account, same install id
  EXPECT_EQ(a->sent().size(), 1u);
}

// U9: a session that did not prove the trusted device gets no codes, and
// never takes over the connection of one that did.
TEST(WsHubTest, CodesGoOnlyToConnectionsThatProvedTheDevice) {
  WsHub hub;
  auto proven = std::make_shared<FakeConnection>();
  auto unproven = std::make_shared<FakeConnection>();
  EXPECT_TRUE(hub.Register("acc_1", "dev-a", proven, "fam_1", true));
  EXPECT_FALSE(hub.Register("acc_1", "dev-a", unproven, "fam_2", false));
  EXPECT_TRUE(proven->closes().empty());  // not replaced
  hub.Notify("acc_1", "dev-a", Code("chl_1"));
  EXPECT_EQ(proven->sent().size(), 1u);

  WsHub other;
  auto alone = std::make_shared<FakeConnection>();
  EXPECT_TRUE(other.Register("acc_1", "dev-b", alone, "fam_3", false));
  other.Notify("acc_1", "dev-b", Code("chl_2"));
  EXPECT_TRUE(alone->sent().empty());  // no code for an unproven session
  other.Notify("acc_1", "dev-b", Removed());
  EXPECT_EQ(alone->closes().size(), 1u);  // but it is signed out like any
}

// A signed_out that names a session closes that session's connection only.
TEST(WsHubTest, ASignedOutOfAnotherSessionLeavesTheConnectionOpen) {
  WsHub hub;
  auto conn = std::make_shared<FakeConnection>();
  hub.Register("acc_1", "dev-a", conn, "fam_new", true);
  hub.Notify("acc_1", "dev-a", Removed("fam_old"));
  EXPECT_TRUE(conn->closes().empty());
  EXPECT_EQ(hub.Connected(), 1u);
  hub.Notify("acc_1", "dev-a", Removed("fam_new"));
  EXPECT_EQ(conn->closes().size(), 1u);
  EXPECT_EQ(hub.LiveSessions().size(), 0u);
}

TEST(WsHubTest, ListsTheDevicesConnectedNow) {
  WsHub hub;
  auto a = std::make_shared<FakeConnection>();
  auto gone = std::make_shared<FakeConnection>();
  hub.Register("acc_1", "dev-a", a, "fam", true);
  hub.Register("acc_2", "dev-b", gone, "fam", true);
  gone.reset();  // dropped without unregistering: the hub holds weak references
  using Pair = std::pair<std::string, std::string>;
  EXPECT_EQ(hub.LiveDevices(), std::vector<Pair>{Pair("acc_1", "dev-a")});
}

// The mobile push asks this to skip a device whose WebSocket has the code.
TEST(WsHubTest, ReceivesCodesOnlyWhileATrustedConnectionLives) {
  WsHub hub;
  auto trusted = std::make_shared<FakeConnection>();
  auto untrusted = std::make_shared<FakeConnection>();
  hub.Register("acc_1", "dev-a", trusted, "fam", true);
  hub.Register("acc_1", "dev-b", untrusted, "fam2", false);
  EXPECT_TRUE(hub.ReceivesCodes("acc_1", "dev-a"));
  EXPECT_FALSE(hub.ReceivesCodes("acc_1", "dev-b"));  // gets no codes on the socket
  EXPECT_FALSE(hub.ReceivesCodes("acc_2", "dev-a"));
  trusted.reset();
  EXPECT_FALSE(hub.ReceivesCodes("acc_1", "dev-a"));
}

TEST(WsHubTest, SignedOutClosesAndForgets) {
  WsHub hub;
  auto a = std::make_shared<FakeConnection>();
  hub.Register("acc_1", "dev-a", a, "fam", true);
  hub.Notify("acc_1", "dev-a", Removed());
  ASSERT_EQ(a->closes().size(), 1u);
  EXPECT_NE(a->closes()[0].find("device_removed"), std::string::npos);
  EXPECT_EQ(hub.Connected(), 0u);
  hub.Notify("acc_1", "dev-a", Code("chl_1"));
  EXPECT_TRUE(a->sent().empty());
}

// Threads register new connections for one device (each replaces the one
// before) while others notify it: every replaced connection is told
// "replaced" exactly once, the last one stays, nothing is lost or doubled.
TEST(WsHubConcurrencyTest, ReplacementsRaceWithNotifications) {
  constexpr int kRegistrars = 4, kPerRegistrar = 50, kNotifiers = 4, kNotifies = 200;
  WsHub hub;
  std::vector<std::shared_ptr<FakeConnection>> all(kRegistrars * kPerRegistrar);
  for (auto& c : all) c = std::make_shared<FakeConnection>();
  std::barrier start(kRegistrars + kNotifiers);
  std::vector<std::thread> threads;
  for (int r = 0; r < kRegistrars; ++r)
    threads.emplace_back([&, r] {
      start.arrive_and_wait();
      for (int i = 0; i < kPerRegistrar; ++i) hub.Register("acc_1", "dev-a", all[r * kPerRegistrar + i], "fam", true);
    });
  for (int n = 0; n < kNotifiers; ++n)
    threads.emplace_back([&, n] {
      start.arrive_and_wait();
      for (int i = 0; i < kNotifies; ++i) hub.Notify("acc_1", "dev-a", Code("chl_" + std::to_string(n)));
    });
  for (auto& t : threads) t.join();

  EXPECT_EQ(hub.Connected(), 1u);
  size_t replaced = 0, live = 0, delivered = 0;
  for (const auto& c : all) {
    auto closes = c->closes();
    ASSERT_LE(closes.size(), 1u);
    if (closes.empty()) {
      ++live;
    } else {
      EXPECT_EQ(closes[0], R"({"type":"replaced"})");
      ++replaced;
    }
    delivered += c->sent().size();
  }
  EXPECT_EQ(live, 1u);
  EXPECT_EQ(replaced, all.size() - 1);
  // Each notification reached at most one connection (none while the device
  // had no connection yet).
  EXPECT_LE(delivered, size_t{kNotifiers * kNotifies});
}

// A device is signed out while notifications to it are in flight and while
// it reconnects: afterwards it is either gone or connected through a new
// connection, and the signed-out connection never receives a notification
// sent after the hub forgot it.
TEST(WsHubConcurrencyTest, SignOutRacesWithSendsAndDroppedConnections) {
  WsHub hub;
  auto victim = std::make_shared<FakeConnection>();
  hub.Register("acc_1", "dev-a", victim, "fam", true);
  std::atomic<bool> signed_out{false};
  std::barrier start(4);
  std::vector<std::thread> threads;
  threads.emplace_back([&] {  // notifications to the victim
    start.arrive_and_wait();
    for (int i = 0; i < 500; ++i) hub.Notify("acc_1", "dev-a", Code("chl_x"));
  });
  threads.emplace_back([&] {  // the removal
    start.arrive_and_wait();
    hub.Notify("acc_1", "dev-a", Removed());
    signed_out = true;
  });
  threads.emplace_back([&] {  // other devices come and go (weak references expire)
    start.arrive_and_wait();
    for (int i = 0; i < 300; ++i) {
      auto c = std::make_shared<FakeConnection>();
      hub.Register("acc_1", "dev-" + std::to_string(i % 7), c, "fam", true);
      if (i % 3 == 0) hub.Unregister("acc_1", "dev-" + std::to_string(i % 7), c.get());
    }
  });
  threads.emplace_back([&] {  // readers of the registry
    start.arrive_and_wait();
    for (int i = 0; i < 300; ++i) (void)hub.Connected();
  });
  for (auto& t : threads) t.join();
  ASSERT_TRUE(signed_out);
  auto closes = victim->closes();
  ASSERT_EQ(closes.size(), 1u);
  EXPECT_NE(closes[0].find("signed_out"), std::string::npos);
  size_t before = victim->sent().size();
  hub.Notify("acc_1", "dev-a", Code("chl_after"));
  EXPECT_EQ(victim->sent().size(), before);  // forgotten
}

}  // namespace
}  // namespace twostep::http
