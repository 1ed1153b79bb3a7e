#include "http/connection_limiter.h"

#include <arpa/inet.h>

#include <cstring>
#include <map>
#include <mutex>

namespace twostep::http {

struct ConnectionLimiter::State {
  State(size_t per_ip, size_t total) : max_per_ip(per_ip), max_total(total) {}
  const size_t max_per_ip;
  const size_t max_total;
  mutable std::mutex mutex;
  std::map<std::string, size_t> live;  // GUARDED_BY(mutex); by group, no zero entries
  size_t total = 0;                    // GUARDED_BY(mutex)
};

namespace {
// Gives the slot back when the last reference goes.
struct Holder {
  Holder(std::shared_ptr<ConnectionLimiter::State> s, std::string g, bool per_ip)
      : state(std::move(s)), group(std::move(g)), counted_per_ip(per_ip) {}
  Holder(const Holder&) = delete;
  Holder& operator=(const Holder&) = delete;
  std::shared_ptr<ConnectionLimiter::State> state;
  std::string group;
  bool counted_per_ip;
  ~Holder() {
    std::lock_guard lock(state->mutex);
    --state->total;
    if (!counted_per_ip) return;
    auto it = state->live.find(group);
    if (it != state->live.end() && --it->second == 0) state->live.erase(it);
  }
};
}  // namespace

std::string ConnectionLimiter::GroupOf(const std::string& ip) {
  unsigned char a[16];
  char text[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, ip.c_str(), a) == 1) return inet_ntop(AF_INET, a, text, sizeof text);
  if (inet_pton(AF_INET6, ip.c_str(), a) != 1) return ip;
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a, kMapped, sizeof kMapped) == 0)
    return inet_ntop(AF_INET, a + 12, text, sizeof text);
  std::memset(a + 8, 0, 8);
  return std::string(inet_ntop(AF_INET6, a, text, sizeof text)) + "/64";
}

ConnectionLimiter::ConnectionLimiter(size_t max_per_ip, size_t max_total)
    : state_(std::make_shared<State>(max_per_ip, max_total)) {}

ConnectionLimiter::Slot ConnectionLimiter::TryAcquire(const std::string& ip, Caps caps,
                                                      Refusal* why) {
  std::string group = caps.per_ip ? GroupOf(ip) : std::string();
  {
    std::lock_guard lock(state_->mutex);
    Refusal refusal = Refusal::kNone;
    if (caps.per_ip) {
      auto it = state_->live.find(group);
      if (it != state_->live.end() && it->second >= state_->max_per_ip) refusal = Refusal::kPerIp;
    }
    if (refusal == Refusal::kNone && state_->total >= state_->max_total) refusal = Refusal::kTotal;
    if (why) *why = refusal;
    if (refusal != Refusal::kNone) return nullptr;
    ++state_->total;
    if (caps.per_ip) ++state_->live[group];
  }
  return std::make_shared<Holder>(state_, std::move(group), caps.per_ip);
}

ConnectionLimiter::Slot ConnectionLimiter::TryAcquire(const std::string& ip) {
  return TryAcquire(ip, Caps{});
}

size_t ConnectionLimiter::Count(const std::string& ip) const {
  std::string group = GroupOf(ip);
  std::lock_guard lock(state_->mutex);
  auto it = state_->live.find(group);
  return it == state_->live.end() ? 0 : it->second;
}

size_t ConnectionLimiter::Total() const {
  std::lock_guard lock(state_->mutex);
  return state_->total;
}

}  // namespace twostep::http
