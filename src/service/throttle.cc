#include "service/throttle.h"

namespace twostep::service {

Result<void> CheckLimit(Transaction& tx, const std::string& key, const domain::RateLimit& limit,
                        Timestamp now) {
  auto count = tx.CountHits(key, now - limit.window);
  auto decision = domain::DecideRate(count, now, limit);
  if (decision.allowed) return Ok();
  return Error::RateLimited(decision.retry_after);
}

}  // namespace twostep::service
