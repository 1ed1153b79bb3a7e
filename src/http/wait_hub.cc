#include "http/wait_hub.h"

#include <vector>

namespace twostep::http {

std::shared_ptr<void> WaitHub::Subscribe(const std::string& topic, std::weak_ptr<Waiter> waiter) {
  uint64_t id;
  {
    std::lock_guard lock(mutex_);
    id = ++next_id_;
    waiters_.emplace(topic, Entry{id, std::move(waiter)});
    ReportLocked();
  }
  // The handle's deleter removes the entry: no dead entries pile up.
  return std::shared_ptr<void>(nullptr, [this, topic, id](void*) { Unsubscribe(topic, id); });
}

void WaitHub::Unsubscribe(const std::string& topic, uint64_t id) {
  std::lock_guard lock(mutex_);
  auto [first, last] = waiters_.equal_range(topic);
  for (auto it = first; it != last; ++it) {
    if (it->second.id != id) continue;
    waiters_.erase(it);
    break;
  }
  ReportLocked();
}

void WaitHub::Wake(std::multimap<std::string, Entry>::iterator first,
                   std::multimap<std::string, Entry>::iterator last,
                   std::unique_lock<std::mutex> lock) {
  std::vector<std::shared_ptr<Waiter>> woken;
  for (auto it = first; it != last; ++it)
    if (auto w = it->second.waiter.lock()) woken.push_back(std::move(w));
  // Outside the lock: a waiter released here unsubscribes, which locks.
  lock.unlock();
  for (auto& w : woken) w->Wake();
}

void WaitHub::Signal(const std::string& topic) {
  std::unique_lock lock(mutex_);
  auto [first, last] = waiters_.equal_range(topic);
  Wake(first, last, std::move(lock));
}

void WaitHub::SignalAll() {
  std::unique_lock lock(mutex_);
  Wake(waiters_.begin(), waiters_.end(), std::move(lock));
}

size_t WaitHub::Waiting() const {
  std::lock_guard lock(mutex_);
  return waiters_.size();
}

void WaitHub::Notify(const std::string&, const std::string&, const Notification& n) {
  if (const auto* code = std::get_if<CodeRequested>(&n)) Signal(ChallengeTopic(code->challenge_id));
  if (const auto* resolved = std::get_if<ChallengeResolved>(&n))
    Signal(ChallengeTopic(resolved->challenge_id));
}

void WaitHub::ReportLocked() const {
  if (counters_) counters_->SetGauge("long_polls_waiting", static_cast<double>(waiters_.size()));
}

}  // namespace twostep::http
