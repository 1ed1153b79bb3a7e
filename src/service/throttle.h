// Sliding-window limits checked against the store (so they hold across
// processes sharing one database).
#pragma once

#include <string>

#include "base/result.h"
#include "domain/rate_limit.h"
#include "ports/store.h"

namespace twostep::service {

// Ok when one more hit of `key` is allowed now; 429 rate_limited with
// Retry-After otherwise. Does not record the hit.
Result<void> CheckLimit(Transaction& tx, const std::string& key, const domain::RateLimit& limit,
                        Timestamp now);

// CheckLimit, and when allowed records the hit at `now` in the same
// transaction: the attempt holds its slot before the work it guards (an
// Argon2id verify) runs, so parallel attempts cannot all pass one check
// (issue 23). The store serialises check-and-take per key (SQLite: one
// writer; PostgreSQL: an advisory lock per key, taken by CountHits and held
// to the end of the transaction; each READ COMMITTED statement after it
// sees the hits committed before). An attempt that then succeeds gives the
// slot back with Transaction::RemoveHit(key, now).
Result<void> TakeSlot(Transaction& tx, const std::string& key, const domain::RateLimit& limit,
                      Timestamp now);

}  // namespace twostep::service
