// WorkPool: a fixed set of threads with a bounded queue. TrySubmit refuses
// work when the queue is full or a new task would wait too long
// (http/admission.h), so overload is shed (503 + Retry-After) instead of
// queued without end. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/admission.h"

namespace twostep::http {

class WorkPool {
 public:
  // Measures the tasks' run times (tests make a task take exactly N ms).
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `nice` > 0 runs the threads at a lower CPU priority (Linux: per-thread
  // nice value): the hashing pool uses it so that Argon2id, which can keep
  // every core busy, never delays the I/O threads (SPEC: /healthz stays
  // fast under sign-in overload).
  WorkPool(std::string name, int threads, AdmissionLimits limits, int nice = 0,
           Clock clock = std::chrono::steady_clock::now);
  // Count-only admission: at most `queue_limit` tasks wait.
  WorkPool(std::string name, int threads, size_t queue_limit, int nice = 0);
  ~WorkPool();  // finishes queued work, then joins

  // False when `limits.max_waiting` tasks are already waiting, or when the
  // new task's expected wait would pass `limits.max_wait` (Admit).
  bool TrySubmit(std::function<void()> task);
  size_t Waiting() const;
  size_t QueueLimit() const { return limits_.max_waiting; }
  // What a task submitted now would wait; nullopt before any task ran.
  std::optional<std::chrono::nanoseconds> ExpectedWait() const;
  // Stops taking work, runs what is queued, joins the threads.
  void Shutdown();

 private:
  void Loop();

  const std::string name_;
  const int thread_count_;
  const AdmissionLimits limits_;
  const Clock clock_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // GUARDED_BY(mutex_)
  RunTimeMean run_time_;                     // GUARDED_BY(mutex_)
  bool stopping_ = false;                    // GUARDED_BY(mutex_)
  std::vector<std::thread> threads_;
};

}  // namespace twostep::http
