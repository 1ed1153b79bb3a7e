// ReplayGuard: refuses a fan-out message seen before or sent too long ago.
//
// The AEAD of fanout_message.h stops forged and redirected messages, but a
// role that can NOTIFY could still repeat a genuine one word for word: a
// captured signed_out would then close the device's next connection too.
// Every message carries a random id and its send time (both inside the
// associated data), so an instance accepts a message only while its time is
// within `window` of its own clock and only the first time it hears the id.
// The ids are kept just for the window; when more than `capacity` are
// held, the oldest go and nothing at or before their time is accepted any
// more (refusing a late genuine message is the safe side: codes are still
// in /v1/notifications/pending and the sweep closes signed-out devices).
// Pure and single-threaded (the listener thread owns it).
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace twostep::pg {

class ReplayGuard {
 public:
  enum class Verdict { kFresh, kStale, kReplayed };

  ReplayGuard(std::chrono::milliseconds window, size_t capacity)
      : window_ms_(window.count()), capacity_(capacity) {}

  // Records the message when it is fresh. `now_ms`: unix milliseconds.
  Verdict Admit(std::string_view id, int64_t sent_at_ms, int64_t now_ms) {
    while (!seen_.empty() && seen_.begin()->first < now_ms - window_ms_) seen_.erase(seen_.begin());
    if (sent_at_ms < now_ms - window_ms_ || sent_at_ms > now_ms + window_ms_ ||
        sent_at_ms <= floor_ms_)
      return Verdict::kStale;
    if (!seen_.emplace(sent_at_ms, std::string(id)).second) return Verdict::kReplayed;
    if (seen_.size() > capacity_) {
      floor_ms_ = std::max(floor_ms_, seen_.begin()->first);
      seen_.erase(seen_.begin());
    }
    return Verdict::kFresh;
  }

  size_t size() const { return seen_.size(); }

 private:
  const int64_t window_ms_;
  const size_t capacity_;
  std::set<std::pair<int64_t, std::string>> seen_;  // (sent at, id), oldest first
  int64_t floor_ms_ = std::numeric_limits<int64_t>::min();
};

}  // namespace twostep::pg
