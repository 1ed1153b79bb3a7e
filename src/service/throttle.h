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

}  // namespace twostep::service
