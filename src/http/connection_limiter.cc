#include "http/connection_limiter.h"

#include <map>
#include <mutex>

namespace twostep::http {

struct ConnectionLimiter::State {
  explicit State(size_t max) : max_per_ip(max) {}
  const size_t max_per_ip;
  mutable std::mutex mutex;
  std::map<std::string, size_t> live;  // GUARDED_BY(mutex); no zero entries
};

namespace {
// Gives the slot back when the last reference goes.
struct Holder {
  Holder(std::shared_ptr<ConnectionLimiter::State> s, std::string i)
      : state(std::move(s)), ip(std::move(i)) {}
  Holder(const Holder&) = delete;
  Holder& operator=(const Holder&) = delete;
  std::shared_ptr<ConnectionLimiter::State> state;
  std::string ip;
  ~Holder() {
    std::lock_guard lock(state->mutex);
    auto it = state->live.find(ip);
    if (it != state->live.end() && --it->second == 0) state->live.erase(it);
  }
};
}  // namespace

ConnectionLimiter::ConnectionLimiter(size_t max_per_ip)
    : state_(std::make_shared<State>(max_per_ip)) {}

ConnectionLimiter::Slot ConnectionLimiter::TryAcquire(const std::string& ip) {
  {
    std::lock_guard lock(state_->mutex);
    size_t& n = state_->live[ip];
    if (n >= state_->max_per_ip) {
      if (n == 0) state_->live.erase(ip);
      return nullptr;
    }
    ++n;
  }
  return std::make_shared<Holder>(state_, ip);
}

size_t ConnectionLimiter::Count(const std::string& ip) const {
  std::lock_guard lock(state_->mutex);
  auto it = state_->live.find(ip);
  return it == state_->live.end() ? 0 : it->second;
}

}  // namespace twostep::http
