#include "domain/reconnect_backoff.h"

#include <algorithm>

namespace twostep::domain {

std::chrono::milliseconds ReconnectDelay(int attempt, uint32_t random) {
  int64_t window = kFirstWindow.count();
  // Doubling stops at the cap (and long before int64 overflow).
  for (int i = 0; i < attempt && window < kLongestWindow.count(); ++i) window *= 2;
  window = std::min<int64_t>(window, kLongestWindow.count());
  const int64_t half = window / 2;
  return std::chrono::milliseconds(half + static_cast<int64_t>(random % static_cast<uint32_t>(half + 1)));
}

}  // namespace twostep::domain
