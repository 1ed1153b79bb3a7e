// WaitHub: who is waiting for what, for the long-poll answers the server
// holds without a thread (SPEC §3 GET /v1/challenges/{id}?wait=N). A held
// answer subscribes to a topic ("challenge/<id>"); a signal of the topic
// wakes it, and its handler runs again to see what changed.
//
// It is also a Notifier, one more live channel beside the WebSocket hub:
// every notification about a challenge (a code sent, the challenge
// resolved) signals that challenge's topic, after the change committed.
// Changes made by another instance do not pass here; held answers recheck
// on their own (message.h Hold::recheck). Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "ports/counters.h"
#include "ports/notifier.h"

namespace twostep::http {

class WaitHub : public Notifier {
 public:
  // Something waiting; Wake() is called from the signalling thread and must
  // only hand the wake-up over (post to its own executor), never block.
  class Waiter {
   public:
    virtual ~Waiter() = default;
    virtual void Wake() = 0;
  };

  // `counters` (may be null) gets the gauge long_polls_waiting.
  explicit WaitHub(Counters* counters = nullptr) : counters_(counters) {}

  // Until the returned handle is released, Signal(topic) wakes `waiter`
  // (held weakly: a waiter that died is skipped).
  [[nodiscard]] std::shared_ptr<void> Subscribe(const std::string& topic,
                                                std::weak_ptr<Waiter> waiter);
  void Signal(const std::string& topic);
  // Wakes every waiter: the test clock moved, or the server is stopping.
  void SignalAll();
  size_t Waiting() const;

  void Notify(const std::string& account_id, const std::string& device_id,
              const Notification& notification) override;

  static std::string ChallengeTopic(std::string_view challenge_id) {
    return "challenge/" + std::string(challenge_id);
  }

 private:
  struct Entry {
    uint64_t id;
    std::weak_ptr<Waiter> waiter;
  };
  void Unsubscribe(const std::string& topic, uint64_t id);
  void Wake(std::multimap<std::string, Entry>::iterator first,
            std::multimap<std::string, Entry>::iterator last, std::unique_lock<std::mutex> lock);
  void ReportLocked() const;

  Counters* const counters_;
  mutable std::mutex mutex_;
  std::multimap<std::string, Entry> waiters_;  // GUARDED_BY(mutex_)
  uint64_t next_id_ = 0;                       // GUARDED_BY(mutex_)
};

}  // namespace twostep::http
