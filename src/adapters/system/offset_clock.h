// OffsetClock: the system clock plus an offset that only moves forward.
// Used when `testing.manual_clock` is on, so black-box tests can reach an
// expiry or a cool-down through POST /v1/admin/clock instead of waiting.
// Thread-safe.
#pragma once

#include <atomic>

#include "adapters/system/system_clock.h"

namespace twostep {

class OffsetClock : public Clock {
 public:
  Timestamp Now() const override { return system_.Now() + milliseconds(offset_ms_.load()); }
  void Advance(seconds by) { offset_ms_ += std::chrono::duration_cast<milliseconds>(by).count(); }

 private:
  SystemClock system_;
  std::atomic<int64_t> offset_ms_{0};
};

}  // namespace twostep
