// Clock: the one source of "now" (UTC). Production reads the system clock;
// tests use testing::ManualClock and advance it explicitly.
#pragma once

#include "base/time.h"

namespace twostep {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;  // thread-safe
};

}  // namespace twostep
