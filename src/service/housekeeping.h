// Housekeeping: prunes what the service no longer needs, in the background:
// rate-limit hits older than a day, login activity older than the retention
// (default 90 days), challenges that ended more than a day ago, accounts
// never verified 7 days after their creation (U1: an address someone
// registered and never confirmed is free again), and the sealed codes and
// carried password hashes of expired challenges, expired access and refresh
// tokens, and sessions (token families) that ended more than a day ago.
// RunOnce is the testable step; Start/Stop run it every `interval`
// (activity.housekeeping_s, 10 minutes by default) on a thread.
// Thread-safe.
#pragma once

#include "base/periodic_task.h"
#include "ports/clock.h"
#include "ports/store.h"

namespace twostep::service {

// U1: an account whose email was never verified is deleted this long after
// it was created (unless a registration of it is open at that moment).
inline constexpr seconds kUnverifiedAccountLifetime{7 * 24 * 3600};

class Housekeeping {
 public:
  Housekeeping(Store& store, const Clock& clock, seconds activity_retention,
               std::chrono::milliseconds interval = std::chrono::minutes(10))
      : store_(store), clock_(clock), retention_(activity_retention),
        task_("housekeeping", interval, /*run_at_start=*/true, [this] { RunOnce(); }) {}

  void RunOnce();
  void Start() { task_.Start(); }
  void Stop() { task_.Stop(); }

 private:
  Store& store_;
  const Clock& clock_;
  const seconds retention_;
  PeriodicTask task_;  // last: stopped (and joined) before the members it uses go
};

}  // namespace twostep::service
