#include "app/session_sweep.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace twostep::app {

size_t SessionSweep::RunOnce() {
  auto live = hub_.LiveSessions();
  std::vector<std::string> families;
  for (const auto& s : live)
    if (!s.family_id.empty()) families.push_back(s.family_id);
  auto ended = sessions_.EndedSessions(families);
  std::sort(ended.begin(), ended.end());
  size_t closed = 0;
  for (const auto& s : live) {
    if (!std::binary_search(ended.begin(), ended.end(), s.family_id)) continue;
    Notification n;
    n.type = Notification::Type::kSignedOut;
    n.reason = "session_ended";
    n.family_id = s.family_id;
    hub_.Notify(s.account_id, s.device_id, n);
    ++closed;
  }
  return closed;
}

void SessionSweep::Start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!cv_.wait_for(lock, interval_, [&] { return stopping_; })) {
      lock.unlock();
      try {
        RunOnce();
      } catch (const std::exception& e) {
        spdlog::warn(R"({{"event":"session_sweep_failed","error":"{}"}})", e.what());
      }
      lock.lock();
    }
  });
}

void SessionSweep::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace twostep::app
