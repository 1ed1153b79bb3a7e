#include "service/housekeeping.h"

namespace twostep::service {

void Housekeeping::RunOnce() {
  const Timestamp now = clock_.Now();
  store_.Prune({.hits = now - hours(24),
                .events = now - retention_,
                .challenges = now - hours(24),
                .unverified_accounts = now - kUnverifiedAccountLifetime,
                .now = now,
                .sessions = now - hours(24)});
}

}  // namespace twostep::service
