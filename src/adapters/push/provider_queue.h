// ProviderQueue: the bounded queue and the one thread of one push provider.
// Enqueue never blocks: when the queue is full the push is dropped and
// counted (the app still finds the request in /v1/notifications/pending
// when it is opened). A push the provider could not take now (429, 5xx,
// timeout) is tried again after its Retry-After, or 1 s doubling up to
// 60 s, while its challenge lives; a push whose token is gone is reported
// to `forget_token`. A hanging provider holds this thread only (its
// requests time out), never a request of the API.
//
// Metrics (Counters): push_sent{provider}, push_<provider>_failed{reason}
// (reasons: token_gone, rate_limited, server_error, timeout, unreachable,
// rejected, expired, queue_full, ...) and the latency of each attempt
// (Counters::Observe "push_seconds", the provider). Thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "adapters/push/push_sender.h"
#include "ports/clock.h"
#include "ports/counters.h"

namespace twostep::push {

class ProviderQueue {
 public:
  using ForgetToken = std::function<void(const std::string& token)>;
  ProviderQueue(PushSender& sender, const Clock& clock, Counters& counters,
                ForgetToken forget_token, size_t limit = 10000);
  ~ProviderQueue();  // stops: pushes still queued are dropped

  // False (and counted) when the queue is full.
  bool Enqueue(PushJob job);
  // Waits (bounded) until nothing is queued or in flight; for tests.
  bool WaitIdle(std::chrono::milliseconds timeout);

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;
  struct Pending {
    PushJob job;
    int attempts = 0;
  };
  void Loop();
  void Attempt(Pending p);
  void Fail(std::string_view reason);

  PushSender& sender_;
  const Clock& clock_;
  Counters& counters_;
  const ForgetToken forget_token_;
  const size_t limit_;
  const std::string failed_name_;  // push_<provider>_failed
  std::mutex mutex_;
  std::condition_variable cv_;
  std::condition_variable idle_cv_;
  std::multimap<SteadyTime, Pending> due_;  // GUARDED_BY(mutex_)
  bool busy_ = false;                       // GUARDED_BY(mutex_)
  bool stopping_ = false;                   // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace twostep::push
