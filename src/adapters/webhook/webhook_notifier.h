// WebhookNotifier: the gateway to mobile push services. Every notification
// is POSTed as JSON {"account_id", "device_id", "notification": {...}} to
// `push.webhook_url`, from a background thread, with retries and back-off
// (0.5 s doubling, 5 tries). The queue is bounded: when the gateway is down
// for long, the oldest notifications are dropped (devices then fetch open
// requests from /v1/notifications/pending). Logs never contain the body.
//
// With a secret (push.webhook_secret) every POST is signed, so the gateway
// can tell our requests from anyone else's and refuse old ones:
//   X-Twostep-Timestamp: <unix seconds when this attempt was sent>
//   X-Twostep-Signature: sha256=<hex HMAC-SHA-256 of "<timestamp>.<body>">
// (README, "Webhook signatures", says how to verify). Each retry is signed
// anew with its own timestamp. The secret is never logged.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/secret.h"
#include "ports/counters.h"
#include "ports/notifier.h"

namespace twostep {

// "sha256=" and the lower-case hex HMAC-SHA-256 (libsodium) under `secret`
// of the decimal `timestamp`, a dot and `body`.
std::string WebhookSignature(const Secret& secret, int64_t timestamp, std::string_view body);

class WebhookNotifier : public Notifier {
 public:
  // `secret` empty: requests are not signed.
  WebhookNotifier(std::string url, Secret secret, Counters& counters,
                  size_t queue_limit = 10000);
  ~WebhookNotifier() override;  // delivers what is queued (bounded), then stops

  void Notify(const std::string& account_id, const std::string& device_id,
              const Notification& notification) override;

 private:
  struct Item {
    std::string body;
    int attempts = 0;
  };
  void Loop();
  bool Post(const std::string& body);

  const std::string url_;
  const Secret secret_;
  Counters& counters_;
  const size_t queue_limit_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Item> queue_;  // GUARDED_BY(mutex_)
  bool stopping_ = false;   // GUARDED_BY(mutex_)
  std::thread thread_;
};

// Sends every notification to each of several notifiers (WebSocket hub,
// webhook). Does not own them.
class FanoutNotifier : public Notifier {
 public:
  explicit FanoutNotifier(std::vector<Notifier*> targets) : targets_(std::move(targets)) {}
  void Notify(const std::string& account_id, const std::string& device_id,
              const Notification& n) override {
    for (auto* t : targets_) t->Notify(account_id, device_id, n);
  }

 private:
  std::vector<Notifier*> targets_;
};

}  // namespace twostep
