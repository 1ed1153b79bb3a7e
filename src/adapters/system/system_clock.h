// SystemClock: the production Clock (std::chrono::system_clock).
#pragma once

#include "ports/clock.h"

namespace twostep {

class SystemClock : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now());
  }
};

}  // namespace twostep
