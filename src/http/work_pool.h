// WorkPool: a fixed set of threads with a bounded queue. TrySubmit refuses
// work when the queue is full, so overload is shed (503 + Retry-After)
// instead of queued without end. Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace twostep::http {

class WorkPool {
 public:
  // `nice` > 0 runs the threads at a lower CPU priority (Linux: per-thread
  // nice value): the hashing pool uses it so that Argon2id, which can keep
  // every core busy, never delays the I/O threads (SPEC: /healthz stays
  // fast under sign-in overload).
  WorkPool(std::string name, int threads, size_t queue_limit, int nice = 0);
  ~WorkPool();  // finishes queued work, then joins

  // False when `queue_limit` tasks are already waiting.
  bool TrySubmit(std::function<void()> task);
  size_t Waiting() const;
  size_t QueueLimit() const { return queue_limit_; }
  // Stops taking work, runs what is queued, joins the threads.
  void Shutdown();

 private:
  void Loop();

  const std::string name_;
  const size_t queue_limit_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // GUARDED_BY(mutex_)
  bool stopping_ = false;                    // GUARDED_BY(mutex_)
  std::vector<std::thread> threads_;
};

}  // namespace twostep::http
