#include "service/housekeeping.h"

#include <spdlog/spdlog.h>

namespace twostep::service {

void Housekeeping::RunOnce() {
  const Timestamp now = clock_.Now();
  store_.Prune({.hits = now - hours(24),
                .events = now - retention_,
                .challenges = now - hours(24),
                .unverified_accounts = now - kUnverifiedAccountLifetime,
                .now = now});
}

void Housekeeping::Start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      try {
        RunOnce();
      } catch (const std::exception& e) {
        spdlog::warn("housekeeping failed: {}", e.what());
      }
      lock.lock();
      cv_.wait_for(lock, std::chrono::minutes(10), [&] { return stopping_; });
    }
  });
}

void Housekeeping::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace twostep::service
