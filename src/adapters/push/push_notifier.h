// PushNotifier: the mobile push channel behind the Notifier port (SPEC §4
// "Push"). For each notification to a device it finds the device's push
// registration (Transaction::FindPushTarget: only while the session that
// registered it proves the trusted device), skips a device that is live on
// the WebSocket unless its registration asked for both, and hands a push
// without the code (push_message.h) to the provider's queue. Notify only
// converts and queues: the store read and the providers run on this
// object's threads, so a slow database or a hanging provider never slows
// the request that caused the notification. A provider's "token gone"
// deletes the token from the store.
//
// Credentials are read at start; Reload swaps them while running (for the
// SIGHUP handler): on a bad file it throws and keeps the old ones.
// Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "adapters/push/provider_queue.h"
#include "adapters/push/push_credentials.h"
#include "ports/clock.h"
#include "ports/counters.h"
#include "ports/notifier.h"
#include "ports/store.h"

namespace twostep::push {

struct PushOptions {
  std::string fcm_endpoint = "https://fcm.googleapis.com";
  std::string apns_endpoint = "https://api.push.apple.com";
  std::string ca_file;         // empty: the system store
  seconds request_timeout{10};
  size_t queue_limit = 10000;  // per provider, and for the dispatch queue
};

class PushNotifier : public Notifier {
 public:
  // Whether the device has a live WebSocket connection (on this instance).
  using IsLive = std::function<bool(const std::string& account_id, const std::string& device_id)>;
  PushNotifier(Store& store, const Clock& clock, Counters& counters, IsLive is_live,
               PushCredentials credentials, PushOptions options);
  ~PushNotifier() override;

  void Notify(const std::string& account_id, const std::string& device_id,
              const Notification& notification) override;
  // New credentials for both providers (SIGHUP). Throws nothing itself:
  // load them with LoadPushCredentials first, which throws on a bad file.
  void Reload(PushCredentials credentials);
  // Waits (bounded) until every queued push was tried once or given up;
  // for tests.
  bool WaitIdle(std::chrono::milliseconds timeout);

 private:
  struct Wake {
    std::string account_id;
    std::string device_id;
    PushMessage message;
    Timestamp queued_at;  // a registration made later does not get it
  };
  void Loop();
  void Dispatch(const Wake& wake);
  void Forget(domain::PushProvider provider, const std::string& token);

  Store& store_;
  const Clock& clock_;
  Counters& counters_;
  const IsLive is_live_;
  const PushOptions options_;
  std::atomic<bool> enabled_;  // some app has credentials
  std::atomic<bool> cancel_{false};  // shutdown: abandon requests in flight
  std::unique_ptr<PushSender> fcm_;
  std::unique_ptr<PushSender> apns_;
  std::unique_ptr<ProviderQueue> fcm_queue_;
  std::unique_ptr<ProviderQueue> apns_queue_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::condition_variable idle_cv_;
  std::deque<Wake> queue_;  // GUARDED_BY(mutex_)
  bool busy_ = false;       // GUARDED_BY(mutex_)
  bool stopping_ = false;   // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace twostep::push
