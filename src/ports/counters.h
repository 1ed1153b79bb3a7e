// Counters: business metrics the use cases report (logins by outcome, codes
// sent by channel) and gauges (the mail outbox backlog). The HTTP layer's Metrics implements it; tests record.
// Labels are fixed vocabulary, never user input or secrets. Thread-safe.
#pragma once

#include <string_view>

namespace twostep {

class Counters {
 public:
  virtual ~Counters() = default;
  virtual void Increment(std::string_view name, std::string_view label) = 0;
  // A value that goes up and down (e.g. the outbox backlog), as of now.
  virtual void SetGauge(std::string_view name, double value) = 0;
  // One observation of a duration in seconds (e.g. a push's round trip),
  // for a histogram by `label`. Default: not recorded.
  virtual void Observe(std::string_view name, std::string_view label, double seconds) {
    (void)name, (void)label, (void)seconds;
  }
};

}  // namespace twostep
