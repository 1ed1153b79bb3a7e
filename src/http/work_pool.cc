#include "http/work_pool.h"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace twostep::http {

WorkPool::WorkPool(std::string name, int threads, size_t queue_limit, int nice)
    : WorkPool(std::move(name), threads, AdmissionLimits{queue_limit, {}}, nice) {}

WorkPool::WorkPool(std::string name, int threads, AdmissionLimits limits, int nice, Clock clock)
    : name_(std::move(name)), thread_count_(threads), limits_(limits), clock_(std::move(clock)) {
  for (int i = 0; i < threads; ++i)
    threads_.emplace_back([this, nice] {
      // Named for top, perf and gdb (15 characters at most).
      pthread_setname_np(pthread_self(), name_.substr(0, 15).c_str());
      // Lowering one's own priority needs no privilege; failure only costs latency.
      if (nice > 0 && setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice) != 0)
        spdlog::warn(R"({{"event":"nice_failed","pool":"{}"}})", name_);
      Loop();
    });
}

WorkPool::~WorkPool() { Shutdown(); }

bool WorkPool::TrySubmit(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || !Admit(queue_.size(), thread_count_, run_time_.Get(), limits_)) return false;
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

size_t WorkPool::Waiting() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

std::optional<std::chrono::nanoseconds> WorkPool::ExpectedWait() const {
  std::lock_guard lock(mutex_);
  return http::ExpectedWait(queue_.size(), thread_count_, run_time_.Get());
}

void WorkPool::Shutdown() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void WorkPool::Loop() {
  std::optional<std::chrono::nanoseconds> last_run;  // recorded with the next take of the lock
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      if (last_run) run_time_.Add(*last_run);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    const auto start = clock_();
    try {
      task();
    } catch (const std::exception& e) {
      // Tasks handle their own errors; this is a bug guard, never a secret.
      spdlog::error("uncaught exception in {} pool: {}", name_, e.what());
    }
    last_run = clock_() - start;
  }
}

}  // namespace twostep::http
