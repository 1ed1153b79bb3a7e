// PgFanout: the cross-instance half of the Notifier port (SPEC §4: a code
// requested through any instance reaches a trusted device connected to any
// other). Notify delivers to this instance's live connections and publishes
// the message with NOTIFY; every other instance LISTENs on a dedicated
// connection and hands what it hears to its own live connections.
//
// The channel is not trusted: any database role that may NOTIFY can write
// to it (security issue #23). So every message is sealed whole
// (fanout_message.h: AEAD under a key derived from the service's seal key,
// binding origin, account, device, type, message id and send time), and a
// listener delivers a message only when
//   - it opens (anything else is dropped and counted:
//     twostep_fanout_messages_refused_total{kind="unauthenticated"}),
//   - it is recent and heard for the first time (replay_guard.h: kind
//     "stale" or "replayed"),
//   - the store confirms the device belongs to that account, and for a
//     verification_code or challenge_resolved that it is a trusted device
//     of it (kind "unknown_device" or "untrusted_device").
// Messages carry the sending instance's id; an instance ignores its own.
//
// The listener reconnects with back-off when the database goes away. A
// signed_out published meanwhile would be lost, so after every (re)connect
// and then every `sweep_interval` the listener asks the store which of the
// devices connected here are still signed in and closes the others. Code
// requests and challenge_resolved published meanwhile would be lost too, so
// after a reconnect it hands `catch_up` the time since which it may have
// missed messages: from a while before it noticed the loss (kCatchUpMargin),
// because a connection can die before anyone notices.
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "adapters/postgres/replay_guard.h"
#include "ports/counters.h"
#include "ports/notifier.h"
#include "base/random.h"
#include "base/time.h"
#include "ports/server_keys.h"

namespace twostep::pg {

class PgStore;

// The devices connected to this instance, and how to close one.
struct LocalDevices {
  std::function<std::vector<std::pair<std::string, std::string>>()> list;
  Notifier* deliver = nullptr;  // this instance's live connections
  // Delivers to them what was published since the given time (after the
  // listener reconnected); may throw StoreError. Empty: nothing to do.
  std::function<void(Timestamp since)> catch_up;
};

// How long before the listener noticed a lost connection it may already
// have been deaf: TCP keepalive on the listening connection (PgFanout's
// kListenKeepalive) notices a silently dead peer within about 25 s.
inline constexpr std::chrono::seconds kCatchUpMargin{30};

class PgFanout : public Notifier {
 public:
  PgFanout(PgStore& store, LocalDevices local, const ServerKeys& keys, Random& random,
           Counters& counters, std::chrono::seconds sweep_interval = std::chrono::seconds(60));
  ~PgFanout() override;

  void Notify(const std::string& account_id, const std::string& device_id,
              const Notification& notification) override;

  void Start();
  void Stop();
  // Waits until the listener has (re)connected `generation` times; for
  // tests, which must not publish before the other side listens.
  bool WaitListening(int generation, std::chrono::milliseconds timeout);

 private:
  void Run();
  void Listen();  // one connection's life; returns when it drops or on Stop
  void Sweep();
  void CatchUp();  // after a reconnect: what was missed since lost_at_
  void Deliver(const std::string& payload);
  // True when the store confirms the device may receive this message.
  bool DeviceMayReceive(const std::string& account_id, const std::string& device_id,
                        const Notification& n);
  void Refuse(std::string_view kind);

  PgStore& store_;
  LocalDevices local_;
  Random& random_;
  Counters& counters_;
  std::chrono::seconds sweep_interval_;
  std::string instance_id_;
  const std::string key_;  // the fan-out key, derived from the seal key
  // Those of the other key pairs (ServerKeys::others): while a key rotation
  // rolls through the instances, a message from one that already seals with
  // the new pair (or still with the old one) is opened too.
  std::vector<std::string> other_keys_;
  ReplayGuard replay_guard_;  // the listener thread's alone
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable listening_changed_;
  int listen_generation_ = 0;  // GUARDED_BY(mutex_)
  // When the listener noticed its connection was gone (the listener
  // thread's alone); nullopt while nothing may have been missed.
  std::optional<Timestamp> lost_at_;
  int wake_fd_ = -1;  // eventfd: wakes the listener's poll() on Stop
  std::thread thread_;
};

// The channel every instance LISTENs on.
inline constexpr const char* kNotifyChannel = "twostep_notifications";

}  // namespace twostep::pg
